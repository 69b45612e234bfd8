import {
  createLogger,
  createNatsEventBus,
  loadConfig,
  openDatabase,
  type Bar,
  type NatsEventBus,
  type RiskAlert,
} from '@rrr/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { connect } from 'nats';
import { createPlatform, type Platform } from '../../boot/create-platform';
import { ApiKeyStore } from '../../security';
import { eventually } from '../../testing/eventually';

const NATS_URL = process.env['RRR_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';
const silent = new Writable({ write: (_chunk, _enc, done) => done() });

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * The risk routes on the real platform: the trading engine and the risk service in the registry, SQLite in a temp
 * folder, the bus on NATS JetStream (so the spec can feed market data from outside, as the data pipeline would).
 */
describe('risk routes', () => {
  const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const stream = `RRRRISK_${runId}`;
  const prefix = `rrrrisk_${runId}`;
  let dir: string;
  let platform: Platform;
  let market: NatsEventBus;
  let url: string;
  const keys = { admin: '', trade: '', read: '' };
  const alerts: RiskAlert[] = [];
  let barTs = Date.now() - 120_000;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-risk-routes-'));
    const sqlitePath = join(dir, 'rrr.db');
    const db = await openDatabase({ sqlitePath });
    const store = new ApiKeyStore(db);
    for (const scope of ['admin', 'trade', 'read'] as const)
      keys[scope] = (await store.create({ name: scope, scope })).token;
    await db.close();
    const config = loadConfig({
      env: {},
      configDir: dir,
      overrides: {
        services: ['trading-engine', 'risk-management', 'api'],
        server: { port: 0 },
        database: { sqlitePath },
        bus: { kind: 'nats', natsUrl: NATS_URL, stream, prefix },
        data: { symbols: ['BTC-USD', 'ETH-USD'] },
      },
    });
    platform = createPlatform(config, createLogger({ level: 'warn', destination: silent }), {
      api: { security: { rateLimit: false } },
    });
    await platform.start();
    url = `${platform.url()}/api/v1`;
    market = await createNatsEventBus({ url: NATS_URL, stream, prefix });
    await market.subscribe('risk.alert', (alert) => {
      alerts.push(alert);
    });
  });

  afterAll(async () => {
    await market?.close();
    await platform?.stop();
    const admin = await connect({ servers: NATS_URL });
    await (await admin.jetstreamManager()).streams.delete(stream).catch(() => false);
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A one-minute BTC-USD bar at `price`, each a minute after the last (the venue fills on bars after an order). */
  async function publishBar(price: number): Promise<void> {
    barTs = Math.max(barTs + 60_000, Date.now());
    const bar: Bar = {
      symbol: 'BTC-USD',
      interval: '1m',
      ts: barTs,
      open: price,
      high: price,
      low: price,
      close: price,
      volume: 100,
    };
    await market.publish('bar', bar);
  }

  async function call<T>(
    method: string,
    path: string,
    key?: string,
    body?: unknown,
  ): Promise<{ status: number; body: T }> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(key === undefined ? {} : { authorization: `Bearer ${key}` }),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as T };
  }

  const order = (request: Record<string, unknown>) =>
    call<{ id: string; status: string } & ErrorBody>('POST', '/orders', keys.trade, request);

  const dailyLoss = async (): Promise<number> => {
    const usage = await call<{ items: { rule: string; value: number }[] }>('GET', '/risk/usage');
    return usage.body.items.find((i) => i.rule === 'daily-loss-limit')?.value ?? Number.NaN;
  };

  it('describes every risk route in the OpenAPI document, tagged risk, with a summary and a success schema', async () => {
    const response = await fetch(`${platform.url()}/docs/json`);
    const doc = (await response.json()) as {
      paths: Record<string, Record<string, { tags?: string[]; summary?: string; responses: Record<string, unknown> }>>;
    };
    const routes: [string, string][] = [
      ['get', '/api/v1/risk/limits'],
      ['get', '/api/v1/risk/usage'],
      ['get', '/api/v1/risk/var'],
      ['get', '/api/v1/risk/alerts'],
      ['get', '/api/v1/risk/circuit-breaker'],
      ['post', '/api/v1/risk/circuit-breaker/resume'],
      ['post', '/api/v1/risk/kill-switch'],
      ['post', '/api/v1/risk/kill-switch/release'],
    ];
    for (const [method, path] of routes) {
      const operation = doc.paths[path]?.[method];
      expect({ path, tags: operation?.tags, summary: typeof operation?.summary }).toEqual({
        path,
        tags: ['risk'],
        summary: 'string',
      });
      expect(operation?.responses['200']).toBeDefined();
    }
  });

  it('serves the configured limits and validates its query parameters', async () => {
    const limits = await call<Record<string, unknown>>('GET', '/risk/limits');
    expect(limits.status).toBe(200);
    expect(limits.body).toMatchObject({
      maxPositionPct: 0.2,
      dailyLossLimitPct: 0.05,
      dailyLossWarnPct: 0.03,
      circuitBreakerResetUtc: '00:00',
    });

    for (const [query, field] of [
      ['confidence=1.5', 'querystring.confidence'],
      ['method=guess', 'querystring.method'],
    ]) {
      const bad = await call<ErrorBody>('GET', `/risk/var?${query}`);
      expect(bad.status).toBe(400);
      expect(bad.body.error.code).toBe('VALIDATION_FAILED');
      expect(bad.body.error.details?.problems).toEqual([expect.objectContaining({ field })]);
    }
    const tooMany = await call<ErrorBody>('GET', '/risk/alerts?limit=5000');
    expect(tooMany.status).toBe(400);

    const fresh = await call<{ var: number | null; observations: number; equity: number }>(
      'GET',
      '/risk/var?method=parametric',
    );
    expect(fresh.body).toMatchObject({ var: null, observations: 0, equity: 100_000 });
  });

  it('halts trading when a loss crosses the daily limit, alerts on the bus and over REST, and resumes with an admin key', async () => {
    await publishBar(50_000);
    const bought = await order({
      symbol: 'BTC-USD',
      side: 'buy',
      type: 'market',
      quantity: 0.3,
      clientOrderId: 'risk-spec-1',
    });
    expect(bought.status).toBe(201);
    // The paper venue fills the market order on the first bar after it arrived (10-50 ms of simulated latency).
    await new Promise((resolve) => setTimeout(resolve, 100));
    await publishBar(50_000);
    const position = await eventually(async () => {
      const usage = await call<{ items: { rule: string; value: number; symbol?: string }[] }>('GET', '/risk/usage');
      const item = usage.body.items.find((i) => i.rule === 'max-position');
      return item !== undefined && item.value > 0 ? item : undefined;
    }, 'the risk service to see the BTC-USD position');
    expect(position.symbol).toBe('BTC-USD');
    expect(position.value).toBeCloseTo((0.3 * 50_000) / 99_977.49, 4);

    // 0.3 BTC from 50,025 to 30,000: equity 93,977.49, 6.02 % below the day's 100,000.
    await publishBar(30_000);
    const halted = await eventually(async () => {
      const breaker = await call<{ state: string; rule?: string; reason?: string; resetAt?: number | null }>(
        'GET',
        '/risk/circuit-breaker',
      );
      return breaker.body.state === 'halted' ? breaker.body : undefined;
    }, 'the circuit breaker to halt');
    expect(halted.rule).toBe('daily-loss-limit');
    expect(halted.reason).toContain('trading halted by daily-loss-limit');
    expect(halted.resetAt).toBe(Math.floor(Date.now() / 86_400_000) * 86_400_000 + 86_400_000);

    const onBus = await eventually(
      () => alerts.find((a) => a.severity === 'critical'),
      'a critical risk.alert on the bus',
    );
    expect(onBus).toMatchObject({ rule: 'daily-loss-limit', limit: 0.05 });
    expect(onBus.message).toMatch(/^circuit-breaker\.halted: /);
    expect(onBus.value).toBeCloseTo(0.0602251, 6);
    const listed = await eventually(async () => {
      const answer = await call<{ items: RiskAlert[] }>('GET', '/risk/alerts?limit=10');
      return answer.body.items.some((a) => a.id === onBus.id) ? answer.body.items : undefined;
    }, 'the alert in GET /risk/alerts');
    expect(listed.map((a) => a.ts)).toEqual([...listed.map((a) => a.ts)].sort((a, b) => b - a));
    expect(listed).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'daily-loss-limit', severity: 'warning', limit: 0.05 }),
        expect.objectContaining({ id: onBus.id, severity: 'critical' }),
      ]),
    );

    const refused = await order({ symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.01, price: 29_000 });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('RISK_REJECTED');
    expect(refused.body.error.details).toMatchObject({ rule: 'circuit-breaker' });

    expect((await call<ErrorBody>('POST', '/risk/circuit-breaker/resume')).status).toBe(401);
    expect((await call<ErrorBody>('POST', '/risk/circuit-breaker/resume', keys.read)).status).toBe(403);
    const trader = await call<ErrorBody>('POST', '/risk/circuit-breaker/resume', keys.trade);
    expect(trader.status).toBe(403);
    expect(trader.body.error.code).toBe('FORBIDDEN');
    const tooEarly = await call<ErrorBody>('POST', '/risk/circuit-breaker/resume', keys.admin);
    expect(tooEarly.status).toBe(409);
    expect(tooEarly.body.error.message).toContain('still at or beyond the limit');

    await publishBar(50_000);
    await eventually(async () => ((await dailyLoss()) < 0.01 ? true : undefined), 'the loss to recover');
    const resumed = await call<{ state: string }>('POST', '/risk/circuit-breaker/resume', keys.admin, {
      note: 'recovered',
    });
    expect(resumed.status).toBe(200);
    expect(resumed.body).toMatchObject({ state: 'armed', killSwitch: { engaged: false } });
    const info = await eventually(
      () => alerts.find((a) => a.message.startsWith('circuit-breaker.resumed')),
      'the resume alert',
    );
    expect(info.message).toContain('resumed by admin (');
    const accepted = await order({ symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.01, price: 40_000 });
    expect(accepted.status).toBe(201);
    expect(accepted.body.status).toBe('accepted');
  });

  it('engages the kill switch (admin only): cancels every working order, flattens, and blocks new exposure until released', async () => {
    const working = await order({ symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.02, price: 41_000 });
    expect(working.status).toBe(201);
    expect((await call<ErrorBody>('POST', '/risk/kill-switch', keys.trade, { reason: 'drill' })).status).toBe(403);
    const invalid = await call<ErrorBody>('POST', '/risk/kill-switch', keys.admin, { flatten: true });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.details?.problems).toEqual([expect.objectContaining({ field: 'body.reason' })]);
    const misspelt = await call<ErrorBody>('POST', '/risk/kill-switch', keys.admin, { reason: 'drill', flaten: true });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error.details?.problems).toEqual([expect.objectContaining({ field: 'body.flaten' })]);
    expect(
      (await call<{ killSwitch: { engaged: boolean } }>('GET', '/risk/circuit-breaker')).body.killSwitch.engaged,
    ).toBe(false);

    const engaged = await call<{
      killSwitch: { engaged: boolean; reason: string };
      cancels: number;
      flattenOrders: number;
      done: number;
      failed: string[];
      actions: { kind: string; orderId?: string; order?: { side: string; quantity: number; reduceOnly: boolean } }[];
    }>('POST', '/risk/kill-switch', keys.admin, { reason: 'drill', flatten: true });
    expect(engaged.status).toBe(200);
    expect(engaged.body).toMatchObject({
      killSwitch: { engaged: true, reason: 'drill' },
      cancels: 2,
      flattenOrders: 1,
      done: 3,
      failed: [],
    });
    expect(
      engaged.body.actions
        .filter((a) => a.kind === 'cancel-order')
        .map((a) => a.orderId)
        .sort(),
    ).toEqual([working.body.id, expect.any(String)].sort());
    expect(engaged.body.actions.find((a) => a.kind === 'submit-order')?.order).toMatchObject({
      side: 'sell',
      quantity: 0.3,
      reduceOnly: true,
    });

    const open = await call<{ items: { id: string }[] }>('GET', '/orders?status=open', keys.read);
    expect(open.body.items.map((o) => o.id)).not.toContain(working.body.id);
    expect((await call<{ status: string }>('GET', `/orders/${working.body.id}`)).body.status).toBe('cancelled');
    const blocked = await order({ symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.01, price: 40_000 });
    expect(blocked.status).toBe(422);
    expect(blocked.body.error.details).toMatchObject({ rule: 'kill-switch' });
    const state = await call<{ killSwitch: { engaged: boolean } }>('GET', '/risk/circuit-breaker');
    expect(state.body.killSwitch.engaged).toBe(true);

    const released = await call<{ engaged: boolean }>('POST', '/risk/kill-switch/release', keys.admin);
    expect(released.status).toBe(200);
    expect(released.body.engaged).toBe(false);
    expect((await order({ symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.01, price: 40_000 })).status).toBe(
      201,
    );
  });
});
