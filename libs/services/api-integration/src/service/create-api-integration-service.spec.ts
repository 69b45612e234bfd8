import { ConfigError, InProcessEventBus, ManualClock, createMetricsRegistry, type RiskAlert } from '@rrr/core';
import { CapturingApiLogger } from '../testing/capturing-api-logger';
import { FakeBinanceServer } from '../testing/fake-binance-server';
import { FakeCoinbaseServer } from '../testing/fake-coinbase-server';
import { FakePolygonServer } from '../testing/fake-polygon-server';
import { waitUntil } from '../testing/wait-until';
import { createApiIntegrationService, type ApiIntegrationService } from './create-api-integration-service';
import { resolveApiIntegrationConfig } from './api-integration-config';

const BINANCE_KEY = 'binance-key-SVC1111';
const BINANCE_SECRET = 'binance-secret-SVC9999';
const POLYGON_KEY = 'polygon-key-SVC5555';
/** Long enough that only the round at start runs by itself; the tests probe when they need to. */
const HOUR = 3_600_000;

describe('createApiIntegrationService', () => {
  let bus: InProcessEventBus;
  let alerts: RiskAlert[];

  beforeEach(async () => {
    bus = new InProcessEventBus();
    alerts = [];
    await bus.subscribe('risk.alert', (alert) => {
      alerts.push(alert);
    });
  });

  afterEach(async () => {
    await bus.close();
  });

  describe('with nothing configured', () => {
    let service: ApiIntegrationService;

    beforeEach(async () => {
      service = createApiIntegrationService({ bus }, { secrets: {} });
      await service.start();
    });

    afterEach(async () => {
      await service.stop();
    });

    it('is up and idle, and says how to connect something', () => {
      expect(service.health()).toEqual({
        status: 'up',
        details: {
          idle: true,
          clients: {},
          reason:
            'no exchange or data vendor configured: set BINANCE_API_KEY and BINANCE_SECRET, COINBASE_API_KEY and ' +
            'COINBASE_SECRET, or POLYGON_API_KEY',
        },
      });
      expect(service.exchanges()).toEqual([]);
      expect(service.clients()).toEqual([]);
    });

    it('refuses clients it does not have, naming the variables to set', () => {
      expect(() => service.exchange('binance')).toThrow(
        expect.objectContaining({
          code: 'SERVICE_UNAVAILABLE',
          message: 'exchange binance is not connected; set BINANCE_API_KEY and BINANCE_SECRET',
        }),
      );
      expect(() => service.polygon()).toThrow('polygon is not connected; set POLYGON_API_KEY');
    });

    it('is down once stopped and hands out nothing', async () => {
      await service.stop();
      expect(service.health()).toEqual({ status: 'down', details: { reason: 'stopped' } });
      expect(() => service.http()).toThrow(expect.objectContaining({ code: 'SERVICE_UNAVAILABLE' }));
    });
  });

  describe('against loopback Binance, Coinbase and Polygon', () => {
    let binance: FakeBinanceServer;
    let coinbase: FakeCoinbaseServer;
    let polygon: FakePolygonServer;
    let clock: ManualClock;
    let logger: CapturingApiLogger;
    let service: ApiIntegrationService;

    beforeEach(async () => {
      [binance, coinbase, polygon] = await Promise.all([
        FakeBinanceServer.start({ apiKey: BINANCE_KEY, secret: BINANCE_SECRET, balances: { USDT: 1_234, BTC: 0.5 } }),
        FakeCoinbaseServer.start(),
        FakePolygonServer.start({ apiKey: POLYGON_KEY }),
      ]);
      clock = new ManualClock(Date.now());
      logger = new CapturingApiLogger();
      service = createApiIntegrationService(
        { bus, metrics: createMetricsRegistry(), logger, clock },
        {
          secrets: { binanceApiKey: BINANCE_KEY, binanceSecret: BINANCE_SECRET, polygonApiKey: POLYGON_KEY },
          exchanges: [
            { exchange: 'binance', urls: { rest: binance.restUrl, ws: binance.wsUrl } },
            // No credentials: public data only.
            { exchange: 'coinbase', urls: { rest: coinbase.restUrl, ws: coinbase.wsUrl } },
          ],
          polygon: { baseUrl: polygon.restUrl },
          // The first probe also loads ccxt, which takes seconds on a busy machine.
          probe: { intervalMs: HOUR, timeoutMs: 20_000 },
          http: {
            defaultRateLimit: { refillPerSecond: 10_000 },
            retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
            breaker: { failureThreshold: 2, resetTimeoutMs: 5_000 },
          },
        },
      );
      await service.start();
      // The round the service runs by itself at start.
      await service.probe();
    });

    afterEach(async () => {
      await service.stop();
      await Promise.all([binance.close(), coinbase.close(), polygon.close()]);
    });

    it('probes every client through its cheapest public call and reports them up', async () => {
      expect(binance.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v3/time']);
      expect(coinbase.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/time']);
      expect(polygon.requests).toHaveLength(1);
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      expect(polygon.requests[0].path).toBe(
        `/v2/aggs/ticker/X%3ABTCUSD/range/1/day/${day(clock.now() - 3 * 86_400_000)}/${day(clock.now())}`,
      );
      expect(polygon.requests[0].query['apiKey']).toBe(POLYGON_KEY);

      const health = service.health();
      expect(health.status).toBe('up');
      const clients = health.details?.['clients'] as Record<string, Record<string, unknown>>;
      expect(Object.keys(clients)).toEqual(['binance', 'coinbase', 'polygon']);
      expect(clients['binance']).toMatchObject({
        kind: 'exchange',
        host: binance.host,
        credentials: true,
        circuit: 'closed',
        consecutiveFailures: 0,
        lastProbe: { ok: true },
      });
      expect(clients['coinbase']).toMatchObject({ host: coinbase.host, credentials: false, lastProbe: { ok: true } });
      expect(clients['polygon']).toMatchObject({ kind: 'data-vendor', host: polygon.host, lastProbe: { ok: true } });
      expect(alerts).toEqual([]);
    });

    it('hands out clients that carry the credentials from the secrets, and never shows them', async () => {
      const balances = await service.exchange('binance').fetchBalance();
      expect(balances['USDT']).toEqual({ free: 1_234, used: 0, total: 1_234 });
      await expect(service.exchange('coinbase').fetchBalance()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
      expect(service.exchanges().map((e) => e.id)).toEqual(['binance', 'coinbase']);
      const shown = JSON.stringify([service.config, service.health(), service.exchanges()]) + logger.text();
      for (const secret of [BINANCE_KEY, BINANCE_SECRET, POLYGON_KEY]) expect(shown).not.toContain(secret);
    });

    it('opens the breaker on a failing exchange, degrades health and alerts once, then recovers and says so', async () => {
      binance.injectFaults([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }], '/api/v3/time');
      await service.probe();

      const degraded = service.health();
      expect(degraded.status).toBe('degraded');
      expect(degraded.details?.['reason']).toBe('binance: circuit open');
      expect((degraded.details?.['clients'] as Record<string, unknown>)['binance']).toMatchObject({
        circuit: 'open',
        lastProbe: { ok: false, error: { code: 'SERVICE_UNAVAILABLE' } },
      });
      await waitUntil(() => alerts.length === 1, 'the circuit-open alert');
      expect(alerts[0]).toMatchObject({
        rule: 'api-connectivity-binance',
        severity: 'critical',
        message: `binance (${binance.host}) unreachable: circuit opened after 2 consecutive failed requests; calls fail fast until a probe gets through`,
        value: 2,
        limit: 2,
      });

      // While open, probes fail fast without reaching the exchange, and the outage is not alerted again.
      const before = binance.requestsTo('/api/v3/time').length;
      await service.probe();
      expect(binance.requestsTo('/api/v3/time')).toHaveLength(before);
      expect(service.clients().find((c) => c.name === 'binance')?.lastProbe?.error?.code).toBe('CIRCUIT_OPEN');
      expect(service.health().status).toBe('degraded');
      // The other clients are unaffected.
      expect(service.clients().filter((c) => c.name !== 'binance' && c.lastProbe?.ok)).toHaveLength(2);

      // After the reset timeout the next probe is the half-open trial: the third fault fails it, the fourth the next.
      for (const fault of [3, 4]) {
        clock.advance(5_000);
        await service.probe();
        expect(binance.server.pendingFaults).toBe(4 - fault);
        expect(service.clients().find((c) => c.name === 'binance')?.circuit).toBe('open');
      }
      clock.advance(5_000);
      await service.probe();
      expect(service.health().status).toBe('up');
      await service.settle();
      expect(alerts.map((a) => [a.rule, a.severity])).toEqual([
        ['api-connectivity-binance', 'critical'],
        ['api-connectivity-binance', 'info'],
      ]);
      expect(alerts[1].message).toBe(`binance (${binance.host}) reachable again: circuit closed`);
    });

    it("alerts when a consumer's own traffic opens a circuit, before any probe notices", async () => {
      polygon.injectFaults([{ status: 502 }, { status: 502 }]);
      const pages = service.polygon().aggregates({ ticker: 'X:ETHUSD', from: '2026-01-01', to: '2026-01-02' });
      await expect(pages.next()).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
      expect(service.health()).toMatchObject({ status: 'degraded', details: { reason: 'polygon: circuit open' } });
      await service.settle();
      expect(alerts.map((a) => [a.rule, a.severity])).toEqual([['api-connectivity-polygon', 'critical']]);
    });

    it('counts a failing last probe that does not open the circuit as degraded too', async () => {
      // 401: the vendor answers, so the host is healthy for the breaker, but this client is not usable.
      polygon.injectFaults([{ status: 401, body: { status: 'ERROR', error: 'Unknown API Key' } }]);
      await service.probe();
      expect(service.health()).toMatchObject({
        status: 'degraded',
        details: { reason: 'polygon: last probe failed (UNAUTHORIZED)' },
      });
      expect(alerts).toEqual([]);
    });
  });

  it('connects exactly the exchanges whose key and secret are both set', () => {
    const config = resolveApiIntegrationConfig({
      secrets: { binanceApiKey: 'k', coinbaseApiKey: 'k', coinbaseSecret: 's' },
    });
    expect(config.exchanges).toEqual([{ exchange: 'coinbase' }]);
    // A blank key is no key to the client either, so it does not connect the exchange.
    expect(resolveApiIntegrationConfig({ secrets: { binanceApiKey: '  ', binanceSecret: 's' } }).exchanges).toEqual([]);
    expect(config.polygon).toBeUndefined();
    expect(resolveApiIntegrationConfig({ secrets: { polygonApiKey: 'p' } }).polygon).toEqual({
      probeTicker: 'X:BTCUSD',
    });
  });

  it('connects a required exchange once, at the origin listed for it or its default', () => {
    const urls = { rest: 'http://127.0.0.1:1', ws: 'ws://127.0.0.1:1' };
    expect(resolveApiIntegrationConfig({ required: ['binance'] }).exchanges).toEqual([{ exchange: 'binance' }]);
    expect(
      resolveApiIntegrationConfig({ required: ['binance'], exchanges: [{ exchange: 'binance', urls }] }).exchanges,
    ).toEqual([{ exchange: 'binance', urls }]);
    expect(
      resolveApiIntegrationConfig({ required: ['coinbase'], secrets: { coinbaseApiKey: 'k', coinbaseSecret: 's' } })
        .exchanges,
    ).toEqual([{ exchange: 'coinbase' }]);
    expect(() => resolveApiIntegrationConfig({ required: ['kraken' as 'binance'] })).toThrow(
      'required[0]: must be one of coinbase, binance',
    );
  });

  it('rejects a bad configuration naming every field', () => {
    let error: unknown;
    try {
      resolveApiIntegrationConfig({
        exchanges: ['kraken' as 'binance', { exchange: 'binance', urls: { rest: 'ftp://example.com' } }, 'binance'],
        probe: { intervalMs: 0 },
        polygon: { probeTicker: 'not a ticker' },
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'exchanges[0].exchange: must be one of coinbase, binance',
      'exchanges[1].urls.rest: must be an absolute http:// or https:// URL',
      'exchanges[2].exchange: is listed twice',
      'polygon.probeTicker: must be a Polygon ticker such as X:BTCUSD',
      'probe.intervalMs: must be an integer number of milliseconds > 0',
    ]);
  });
});
