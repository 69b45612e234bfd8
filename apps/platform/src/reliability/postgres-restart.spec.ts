import { createLogger, loadConfig, openDatabase, type Database, type RegistryHealth } from '@rrr/core';
import { waitUntil } from '@rrr/api-integration';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createPlatform, type Platform } from '../boot/create-platform';
import { ApiKeyStore } from '../security';
import { PrivatePostgres } from './testing/private-postgres';

jest.setTimeout(60_000);

const silent = new Writable({ write: (_chunk, _enc, done) => done() });

/** What one POST /api/v1/orders came back with. */
interface SubmitOutcome {
  clientOrderId: string;
  status: number | 'timeout' | 'network';
  orderId?: string;
  errorCode?: string;
  errorMessage?: string;
}

/** Longer than any healthy submit by far: a submit that takes this long is hanging, which is what must not happen. */
const HANG_MS = 10_000;

describe('the platform on PostgreSQL, with the server restarted under order load', () => {
  let pg: PrivatePostgres;
  let dir: string;
  let platform: Platform;
  let db: Database;
  let key: string;

  beforeAll(async () => {
    pg = await PrivatePostgres.start();
    dir = mkdtempSync(join(tmpdir(), 'rrr-pg-restart-'));
    const config = loadConfig({
      env: {},
      configDir: dir,
      overrides: {
        server: { port: 0 },
        database: { url: pg.url, poolMax: 4 },
        // Pairs only: no bundled daily history to load, the live feed prices BTC-USD within a tick.
        data: { symbols: ['BTC-USD', 'ETH-USD'] },
        models: { dir: join(dir, 'models') },
      },
    });
    platform = createPlatform(config, createLogger({ level: 'silent', destination: silent }), {
      api: { security: { rateLimit: false } },
      liveFeed: { tickMs: 50 },
    });
    await platform.start();
    db = await openDatabase({ url: pg.url, sqlitePath: '', poolMax: 1 });
    key = (await new ApiKeyStore(db).create({ name: 'reliability', scope: 'trade' })).token;
  });

  afterAll(async () => {
    await platform?.stop();
    await db?.close();
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function submit(clientOrderId: string, side: 'buy' | 'sell'): Promise<SubmitOutcome> {
    try {
      const response = await fetch(`${platform.url()}/api/v1/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ symbol: 'BTC-USD', side, type: 'market', quantity: 0.001, clientOrderId }),
        signal: AbortSignal.timeout(HANG_MS),
      });
      const body = (await response.json()) as { id?: string; error?: { code: string; message: string } };
      return {
        clientOrderId,
        status: response.status,
        ...(body.id === undefined ? {} : { orderId: body.id }),
        ...(body.error === undefined ? {} : { errorCode: body.error.code, errorMessage: body.error.message }),
      };
    } catch (error) {
      return { clientOrderId, status: (error as Error).name === 'TimeoutError' ? 'timeout' : 'network' };
    }
  }

  async function health(): Promise<RegistryHealth | undefined> {
    const response = await fetch(`${platform.url()}/health`).catch(() => undefined);
    return (await response?.json()) as RegistryHealth | undefined;
  }

  it('reconnects, keeps every acknowledged order exactly once, and fails the others with a clear error', async () => {
    // The live feed has priced BTC-USD once a market order is accepted.
    let probe = await submit('warm-up', 'buy');
    for (let i = 0; probe.status !== 201 && i < 100; i++) probe = await submit(`warm-up-${i}`, 'buy');
    expect(probe).toMatchObject({ status: 201 });

    const outcomes: SubmitOutcome[] = [];
    let running = true;
    let sequence = 0;
    const submitters = Array.from({ length: 4 }, async (_, worker) => {
      while (running) {
        sequence += 1;
        outcomes.push(await submit(`load-${worker}-${sequence}`, sequence % 2 === 0 ? 'buy' : 'sell'));
      }
    });
    const acknowledged = () => outcomes.filter((o) => o.status === 201).length;

    await waitUntil(() => acknowledged() >= 20, '20 orders acknowledged before the restart', 20_000);
    const startedBefore = await db.queryOne<{ at: string }>('SELECT pg_postmaster_start_time()::text AS at');
    const beforeRestart = outcomes.length;
    await pg.restart();
    // Submits go on through the outage and the trading engine's rebuild, until orders are acknowledged again.
    const acknowledgedAfterRestart = () => outcomes.slice(beforeRestart).filter((o) => o.status === 201).length;
    await waitUntil(() => acknowledgedAfterRestart() >= 10, '10 orders acknowledged after the restart', 30_000);
    running = false;
    await Promise.all(submitters);

    // The server really restarted (our own connection came back too).
    const startedAfter = await db.queryOne<{ at: string }>('SELECT pg_postmaster_start_time()::text AS at');
    expect(startedAfter?.at).not.toBe(startedBefore?.at);

    // Health comes back up without anyone restarting the platform.
    let last = await health();
    const deadline = Date.now() + 15_000;
    while (last?.status !== 'up' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      last = await health();
    }
    expect(last).toMatchObject({ status: 'up' });

    // Nothing hung; every failure was an error in the API's shape, naming what went wrong.
    expect(outcomes.filter((o) => o.status === 'timeout' || o.status === 'network')).toEqual([]);
    for (const failure of outcomes.filter((o) => o.status !== 201)) {
      expect(failure).toMatchObject({ status: expect.any(Number), errorCode: expect.stringMatching(/^[A-Z_]+$/) });
      expect(failure.errorMessage).toMatch(/\S/);
      // Server-side failures, or — just after the engine was rebuilt, before the feed's next tick — no price yet.
      if (failure.status !== 422) expect(failure.status).toBeGreaterThanOrEqual(500);
      else expect(failure.errorMessage).toBe('reference-price: no market price is known for BTC-USD yet');
    }

    // Every acknowledged order is stored exactly once, under the id the API answered with.
    const acked = outcomes.filter((o) => o.status === 201);
    const stored = await db.query<{ client_order_id: string; id: string; copies: number }>(
      `SELECT client_order_id, MIN(id) AS id, COUNT(*)::int AS copies FROM orders
       WHERE client_order_id LIKE 'load-%' GROUP BY client_order_id`,
    );
    const byClientId = new Map(stored.map((row) => [row.client_order_id, row]));
    for (const order of acked) {
      expect(byClientId.get(order.clientOrderId)).toEqual({
        client_order_id: order.clientOrderId,
        id: order.orderId,
        copies: 1,
      });
    }

    // And the platform takes orders again.
    expect(await submit('after-recovery', 'buy')).toMatchObject({ status: 201 });
    // The outage was real: some submits failed, and the engine's restart is on record.
    expect(outcomes.some((o) => o.status !== 201)).toBe(true);
    expect(platform.registry.status().find((s) => s.name === 'trading-engine')?.restarts).toBeGreaterThanOrEqual(1);
  });
});
