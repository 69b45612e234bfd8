import { ManualClock, platformConfigSchema, type Bar } from '@rrr/core';
import { createTradingEngineService, type TradingEngineService } from '@rrr/trading-engine';
import { startApiTestServer, type ApiTestServer } from '../../ws/testing/api-test-server';

export const TRADING_TEST_T0 = Date.UTC(2024, 0, 2, 10);
const MINUTE = 60_000;

/** The API server with the real trading engine (paper venue, default risk limits) behind its /api/v1 routes. */
export interface TradingApiTestServer {
  readonly server: ApiTestServer;
  readonly trading: TradingEngineService;
  /** The engine's clock: each published bar moves it one minute on. */
  readonly clock: ManualClock;
  /** API keys by scope. */
  readonly keys: { read: string; trade: string };
  /** Publishes a one-minute bar at `close` (open = close) on the bus and waits until the engine has applied it. */
  publishBar(symbol: string, close: number): Promise<Bar>;
  /** `fetch` on the server with the key of `scope` (or none) and a JSON body. */
  request(method: string, path: string, options?: { key?: 'read' | 'trade'; body?: unknown }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * Starts the real API server (loopback, temp SQLite, in-process bus) with a trading engine on the same database and
 * bus: BTC-USD and ETH-USD on the paper exchange with 100,000 USD, no simulated latency, a portfolio snapshot per bar.
 */
export async function startTradingApiTestServer(): Promise<TradingApiTestServer> {
  const clock = new ManualClock(TRADING_TEST_T0);
  const defaults = platformConfigSchema().parse({});
  let trading: TradingEngineService | undefined;
  const server = await startApiTestServer({
    security: { rateLimit: false },
    deps: async ({ db, bus }) => {
      trading = createTradingEngineService(
        { db, bus, clock },
        {
          symbols: ['BTC-USD', 'ETH-USD'],
          paper: { ...defaults.paper, latencyMinMs: 0, latencyMaxMs: 0 },
          risk: defaults.risk,
          snapshotEveryMs: 0,
        },
      );
      await trading.start();
      return { db, trading };
    },
  });
  const engine = trading as TradingEngineService;
  const keys = {
    read: (await server.apiKeys.create({ name: 'reader', scope: 'read' })).token,
    trade: (await server.apiKeys.create({ name: 'trader', scope: 'trade' })).token,
  };
  return {
    server,
    trading: engine,
    clock,
    keys,
    async publishBar(symbol, close) {
      const bar: Bar = {
        symbol,
        interval: '1m',
        ts: clock.now(),
        open: close,
        high: close,
        low: close,
        close,
        volume: 1e6,
      };
      // Bars are delivered at their close, so the clock reads ts + interval when the engine sees it.
      clock.advance(MINUTE);
      await server.bus.publish('bar', bar);
      await server.bus.idle();
      await engine.engine.oms.flush();
      return bar;
    },
    request(method, path, options = {}) {
      const headers: Record<string, string> = {};
      if (options.key !== undefined) headers['authorization'] = `Bearer ${keys[options.key]}`;
      if (options.body !== undefined) headers['content-type'] = 'application/json';
      return fetch(`${server.url}${path}`, {
        method,
        headers,
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      });
    },
    async close() {
      await engine.stop();
      await server.close();
    },
  };
}
