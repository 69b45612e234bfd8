import { FakeBinanceServer } from '@rrr/api-integration';
import { createLogger, loadConfig, openDatabase, type RegistryHealth } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createPlatform, type Platform } from '../boot/create-platform';
import { WsTestClient } from '../ws/testing/ws-test-client';

jest.setTimeout(30_000);

const silent = new Writable({ write: (_chunk, _enc, done) => done() });

describe('the platform with an exchange that answers only errors', () => {
  let dir: string;
  let binance: FakeBinanceServer;
  let platform: Platform;
  let ws: WsTestClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-exchange-outage-'));
    binance = await FakeBinanceServer.start();
    const config = loadConfig({
      env: {},
      configDir: dir,
      overrides: {
        server: { port: 0 },
        database: { sqlitePath: join(dir, 'rrr.db') },
        data: { symbols: ['BTC-USD'] },
        models: { dir: join(dir, 'models') },
      },
    });
    platform = createPlatform(config, createLogger({ level: 'silent', destination: silent }), {
      apiIntegration: {
        // Public data only (no credentials), at the fake's origin.
        exchanges: [{ exchange: 'binance', urls: { rest: binance.restUrl, ws: binance.wsUrl } }],
        // The first probe also loads ccxt, which takes seconds on a busy machine.
        probe: { intervalMs: 50, timeoutMs: 15_000 },
        http: {
          retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 2 },
          breaker: { failureThreshold: 3, resetTimeoutMs: 60_000 },
        },
      },
    });
    await platform.start();
    ws = await WsTestClient.connect(`${platform.url().replace('http', 'ws')}/ws`);
    await ws.request({ op: 'subscribe', channels: ['alerts'], id: 'alerts' });
  });

  afterAll(async () => {
    await ws?.close();
    await platform?.stop();
    await binance?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function health(): Promise<{ status: number; body: RegistryHealth }> {
    const response = await fetch(`${platform.url()}/health`);
    return { status: response.status, body: (await response.json()) as RegistryHealth };
  }

  it('starts up healthy while the exchange answers', async () => {
    let { status, body } = await health();
    const deadline = Date.now() + 20_000;
    const probed = () =>
      (body.services['api-integration']?.details as { clients?: { binance?: { lastProbe: unknown } } } | undefined)
        ?.clients?.binance?.lastProbe != null;
    while (!probed() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      ({ status, body } = await health());
    }
    expect(binance.requestsTo('/api/v3/time').length).toBeGreaterThan(0);
    expect(status).toBe(200);
    expect(body.services['api-integration']).toMatchObject({
      status: 'up',
      details: {
        idle: false,
        clients: { binance: { host: binance.host, credentials: false, circuit: 'closed', lastProbe: { ok: true } } },
      },
    });
  });

  it('opens the breaker, raises an alert that monitoring picks up, and keeps serving degraded', async () => {
    binance.server.setHandler(() => ({ status: 503, body: { code: -1001, msg: 'Internal error; unable to process' } }));

    // The alert reaches WebSocket clients on the alerts channel…
    const event = await ws.next((m) => m.op === 'event' && m.channel === 'alerts', 10_000);
    expect(event.data).toMatchObject({
      rule: 'api-connectivity-binance',
      severity: 'critical',
      message: expect.stringContaining(`binance (${binance.host}) unreachable: circuit opened after 3 consecutive`),
    });

    // …and the monitoring service: counted, routed as an alert notification, and written to the audit trail.
    const metrics = await (await fetch(`${platform.url()}/metrics`)).text();
    expect(metrics).toMatch(/rrr_risk_alerts_total\{rule="api-connectivity-binance",severity="critical"\} 1/);
    const db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    try {
      let audited: { payload: string }[] = [];
      for (let i = 0; audited.length === 0 && i < 50; i++) {
        audited = await db.query<{ payload: string }>(
          `SELECT payload FROM audit_log WHERE action = 'risk.alert' AND payload LIKE '%api-connectivity-binance%'`,
        );
        if (audited.length === 0) await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(audited).toHaveLength(1);
      expect(JSON.parse(audited[0].payload)).toMatchObject({ rule: 'api-connectivity-binance', severity: 'critical' });
    } finally {
      await db.close();
    }

    // The API goes on: /health answers 200 with the platform degraded and says why…
    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body.status).toBe('degraded');
    expect(body.services['api-integration']).toMatchObject({
      status: 'degraded',
      details: { reason: 'binance: circuit open', clients: { binance: { circuit: 'open' } } },
    });
    expect(
      Object.entries(body.services)
        .filter(([, service]) => service.status !== 'up')
        .map(([name]) => name),
    ).toEqual(['api-integration']);

    // …and the other routes serve as before.
    const one = await fetch(`${platform.url()}/health/database`);
    expect(one.status).toBe(200);
    const symbols = await fetch(`${platform.url()}/api/v1/symbols`);
    expect(symbols.status).toBe(200);
    expect(((await symbols.json()) as { items: unknown[] }).items).toEqual(expect.any(Array));
    const notFound = await fetch(`${platform.url()}/api/v1/no-such-route`);
    expect(notFound.status).toBe(404);
    expect(((await notFound.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await fetch(`${platform.url()}/metrics`)).status).toBe(200);
  });
});
