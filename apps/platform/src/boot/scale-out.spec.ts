import { openDatabase, PostgresTestSchemas, type Database } from '@rrr/core';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect } from 'nats';
import { bundlePlatformCli, spawnServe, type ServeChildProcess } from '../cli/testing/serve-child-process';
import { eventually } from '../testing/eventually';

const NATS_URL = process.env['RRR_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

/**
 * The platform split across two real processes by config `services`, cooperating over NATS JetStream and one
 * PostgreSQL database: A runs the data pipeline (the synthetic live feed, sped up) and monitoring, B the trading
 * engine and risk management. Bars A publishes must become orders and fills that B persists.
 */
describe('scale-out: two platform processes on NATS and PostgreSQL', () => {
  const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
  let dir: string;
  let bundle: string;
  let schemas: PostgresTestSchemas;
  let db: Database;
  let env: NodeJS.ProcessEnv;
  let schemaUrl: string;
  const children: ServeChildProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-scale-out-'));
    bundle = bundlePlatformCli(dir);
    schemas = await PostgresTestSchemas.connect();
    const { url } = await schemas.create();
    schemaUrl = url;
    env = {
      RRR_LOGGING_LEVEL: 'warn',
      RRR_DATABASE_URL: url,
      RRR_BUS_KIND: 'nats',
      RRR_BUS_NATS_URL: NATS_URL,
      // A stream and subject prefix of its own, so parallel runs never see each other's events.
      RRR_BUS_STREAM: `RRRSCALE_${runId}`,
      RRR_BUS_PREFIX: `rrrscale_${runId}`,
      RRR_DATA_SYMBOLS: 'BTC-USD,ETH-USD',
      // 30 one-minute bars a second per symbol: the SMA 20/50 strategy is warm within two seconds.
      RRR_DATA_LIVE_SPEED: '1800',
      RRR_DATA_LIVE_TICK_MS: '25',
    };
  });

  afterAll(async () => {
    for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
    await db?.close();
    await schemas?.dropAll();
    const admin = await connect({ servers: NATS_URL });
    await (await admin.jetstreamManager()).streams.delete(`RRRSCALE_${runId}`).catch(() => false);
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns the bars process A publishes into orders and fills process B persists, and both stop cleanly', async () => {
    const trader = spawnServe(bundle, dir, { ...env, RRR_SERVICES: 'trading-engine,risk-management' });
    children.push(trader);
    // B subscribes first: its durable bar consumer starts with the events published after it was created.
    expect(await trader.ready).toBeNull();
    expect(trader.stderr()).toContain(
      'services started in order: database → event-bus → risk-management → trading-engine',
    );
    const feeder = spawnServe(bundle, dir, { ...env, RRR_SERVICES: 'data-pipeline,monitoring' });
    children.push(feeder);
    expect(await feeder.ready).toBeNull();
    expect(feeder.stderr()).toContain('services started in order: database → event-bus → monitoring → data-pipeline');
    // Opened only now: the two processes migrated the fresh schema concurrently themselves.
    db = await openDatabase({ url: schemaUrl, sqlitePath: ':memory:' });

    const fills = await eventually(
      async () => {
        const rows = await db.query<{ id: string; order_id: string; symbol: string; price: number }>(
          'SELECT id, order_id, symbol, price FROM fills ORDER BY id',
        );
        return rows.length > 0 ? rows : undefined;
      },
      'process B to persist a fill',
      20_000,
      100,
    );
    const orders = await db.query<{ id: string; strategy_id: string | null; symbol: string; status: string }>(
      'SELECT id, strategy_id, symbol, status FROM orders ORDER BY id',
    );
    // Every fill belongs to an order the strategy placed on A's bars.
    expect(orders.length).toBeGreaterThan(0);
    const byId = new Map(orders.map((o) => [o.id, o]));
    for (const fill of fills) {
      expect(byId.get(fill.order_id)).toMatchObject({ strategy_id: 'sma-cross(20,50)', symbol: fill.symbol });
      expect(['BTC-USD', 'ETH-USD']).toContain(fill.symbol);
    }
    // The bars came from A: it stored them too, and the fill prices lie within their range.
    const range = await db.queryOne<{ n: number; low: number; high: number }>(
      "SELECT COUNT(*) AS n, MIN(low) AS low, MAX(high) AS high FROM bars WHERE symbol = ? AND interval = '1m'",
      [fills[0].symbol],
    );
    expect(range?.n).toBeGreaterThanOrEqual(50);
    expect(fills[0].price).toBeGreaterThan((range?.low ?? 0) * 0.99);
    expect(fills[0].price).toBeLessThan((range?.high ?? 0) * 1.01);

    feeder.child.kill('SIGTERM');
    trader.child.kill('SIGTERM');
    expect(await Promise.all([feeder.exited, trader.exited])).toEqual([0, 0]);
  }, 45_000);
});
