import { NotFoundError, PostgresTestSchemas, openDatabase, type Database } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BacktestRequest } from '../api/backtest-request';
import { runBacktest } from '../api/run-backtest';
import { bundledBarLoader } from '../data/bar-loader';
import { heldPredictor } from '../testing/held-predictor';
import { settledJob } from '../testing/settled-job';
import { createBacktestingService, type BacktestingService } from './create-backtesting-service';

const SMA_2015S: BacktestRequest = {
  strategy: 'sma-cross',
  symbols: 'SPX',
  from: '2015-01-01',
  to: '2019-12-31',
  params: { fast: 10, slow: 30 },
};
const HOLD_2019 = (name: string): BacktestRequest => ({
  strategy: 'buy-and-hold',
  symbols: 'SPX',
  from: '2019-01-01',
  to: '2019-12-31',
  name,
});
/** Runs on a held predictor: it keeps the one slot of its service busy until released. */
const PREDICTOR_2019: BacktestRequest = {
  strategy: 'predictor',
  symbols: 'SPX',
  from: '2019-01-01',
  to: '2019-03-01',
  params: { historyBars: 5 },
};
const HEARTBEAT_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether the service holds the job (queued, running or finished): NotFoundError means it never took it. */
function holds(service: BacktestingService, id: string): boolean {
  try {
    service.job(id);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

/**
 * Queued backtests are stored as they are submitted; the queued runs of a process that stopped or died are taken
 * over by another service on the same database under their id, exactly once, and complete there.
 * `freshDatabase()` makes an empty database and returns a function that opens one more connection to it (one per
 * simulated process).
 */
function takeoverContract(freshDatabase: () => Promise<() => Promise<Database>>): void {
  let database: () => Promise<Database>;
  let handles: Database[];
  let services: BacktestingService[];
  let releases: (() => void)[];

  beforeEach(async () => {
    database = await freshDatabase();
    handles = [];
    services = [];
    releases = [];
  });
  afterEach(async () => {
    // A failed test may leave a replay waiting on its predictor: stop() could not return.
    for (const release of releases) release();
    for (const service of services) await service.stop();
    for (const handle of handles) await handle.close();
  });

  const hold = () => {
    const held = heldPredictor();
    releases.push(held.release);
    return held;
  };
  /** A service in a process of its own: its own connection, ids prefixed with its name. */
  const serviceProcess = async (
    name: string,
    config: Parameters<typeof createBacktestingService>[1] = {},
    predict?: ReturnType<typeof heldPredictor>['predict'],
  ) => {
    const db = await database();
    handles.push(db);
    let ids = 0;
    const service = createBacktestingService(
      { db, newId: () => `${name}-${++ids}`, ...(predict === undefined ? {} : { predict }) },
      { heartbeatMs: HEARTBEAT_MS, ...config },
    );
    services.push(service);
    return { db, service };
  };
  const storedRun = async (db: Database, id: string) =>
    db.queryOne<{ status: string; error: string | null; request: string | null; created_at: number | string }>(
      'SELECT status, error, request, created_at FROM backtest_runs WHERE id = ?',
      [id],
    );
  const heartbeatOf = async (db: Database, id: string) =>
    Number(
      (
        await db.queryOne<{ heartbeat_at: number | string }>('SELECT heartbeat_at FROM backtest_runs WHERE id = ?', [
          id,
        ])
      )?.heartbeat_at,
    );

  it('stores a submitted job as a queued run with its request; a live owner keeps it, and others see it queued', async () => {
    const held = hold();
    // A full queue (one running, one waiting), so only its heartbeat keeps the waiting job from looking abandoned.
    const owner = await serviceProcess('owner', { maxQueued: 1 }, held.predict);
    await owner.service.start();
    const busy = await owner.service.submit(PREDICTOR_2019);
    const queued = await owner.service.submit(SMA_2015S);
    expect([busy.status, queued.status]).toEqual(['running', 'queued']);

    const row = await owner.db.queryOne<{
      status: string;
      request: string;
      parameters: string;
      heartbeat_at: number | string;
      created_at: number | string;
    }>('SELECT status, request, parameters, heartbeat_at, created_at FROM backtest_runs WHERE id = ?', [queued.id]);
    expect(row?.status).toBe('queued');
    expect(JSON.parse(row?.request ?? 'null')).toEqual(SMA_2015S);
    expect(JSON.parse(row?.parameters ?? 'null')).toEqual({ fast: 10, slow: 30 });
    expect(Number(row?.heartbeat_at)).toBe(Number(row?.created_at));

    // Another process, started: over many heartbeats it never takes the job, because its owner keeps stamping it.
    const other = await serviceProcess('other');
    await other.service.start();
    await sleep(8 * HEARTBEAT_MS);
    expect(holds(other.service, queued.id)).toBe(false);
    expect(await heartbeatOf(owner.db, queued.id)).toBeGreaterThan(Number(row?.created_at));
    expect(await other.service.progress(queued.id)).toEqual({
      id: queued.id,
      status: 'queued',
      fraction: 0,
      barsProcessed: null,
      barsTotal: null,
    });
    const listed = await other.service.listRuns();
    expect(listed.find((run) => run.id === queued.id)).toMatchObject({
      status: 'queued',
      strategy: 'sma-cross',
      finalEquity: null,
      metrics: null,
    });

    held.release();
    expect((await settledJob(owner.service, queued.id)).status).toBe('completed');
    expect(holds(other.service, queued.id)).toBe(false);
    expect(await other.service.progress(queued.id)).toMatchObject({ status: 'completed', fraction: 1 });
  });

  it('a service stopped before running a queued job hands it over: another completes it under its id, as the first would have', async () => {
    const held = hold();
    const first = await serviceProcess('first', {}, held.predict);
    await first.service.start();
    const busy = await first.service.submit(PREDICTOR_2019);
    const queued = await first.service.submit(SMA_2015S);
    const cancelled = await first.service.submit(HOLD_2019('cancelled'));
    expect(first.service.cancel(cancelled.id)).toMatchObject({ status: 'cancelled' });
    const submittedRow = await storedRun(first.db, queued.id);
    // Stopping aborts the busy replay once the held predictor lets it see the abort.
    const stopping = first.service.stop();
    held.release();
    await stopping;
    expect(first.service.job(busy.id).status).toBe('cancelled');
    expect(await storedRun(first.db, queued.id)).toMatchObject({ status: 'queued' });
    // The stopped service no longer answers for the handed-over job from memory: it reads the stored, queued run.
    expect(() => first.service.job(queued.id)).toThrow(/not found/);
    expect(await first.service.progress(queued.id)).toMatchObject({ status: 'queued' });

    const second = await serviceProcess('second');
    await second.service.start();
    expect(holds(second.service, queued.id)).toBe(true);
    expect(holds(second.service, cancelled.id)).toBe(false);
    expect(holds(second.service, busy.id)).toBe(false);
    const done = await settledJob(second.service, queued.id);
    expect(done).toMatchObject({ id: queued.id, status: 'completed', fraction: 1 });
    expect(await second.service.progress(queued.id)).toMatchObject({ status: 'completed', fraction: 1 });

    const direct = await runBacktest(SMA_2015S, { loader: bundledBarLoader() });
    const { run, trades } = await second.service.getRun(queued.id);
    expect(run).toMatchObject({ id: queued.id, status: 'completed', strategy: 'sma-cross', error: null });
    expect(run.createdAt).toBe(Number(submittedRow?.created_at));
    expect(run.finalEquity).toBe(direct.curve.equity[direct.curve.equity.length - 1]);
    expect(run.metrics?.strategy.sharpe).toBe(direct.metrics.sharpe);
    expect(run.metrics?.equity).toEqual({ ts: direct.curve.ts, equity: direct.curve.equity });
    expect(trades.map((t) => [t.entryTs, t.entryPrice, t.exitTs, t.exitPrice])).toEqual(
      direct.trades.map((t) => [t.entryTs, t.entryPrice, t.exitTs, t.exitPrice]),
    );

    // The cancelled job stays ended as a cancelled replay is, and the aborted one failed: neither was taken over.
    expect(await storedRun(second.db, cancelled.id)).toMatchObject({
      status: 'failed',
      error: 'cancelled before it started',
    });
    expect(await storedRun(second.db, busy.id)).toMatchObject({
      status: 'failed',
      error: 'cancelled: the backtesting service stopped',
    });
    await sleep(4 * HEARTBEAT_MS);
    expect(holds(second.service, cancelled.id)).toBe(false);
  });

  it('a taken-over job that cannot start here ends failed instead of being taken over again and again', async () => {
    const held = hold();
    const first = await serviceProcess('first', {}, held.predict);
    await first.service.start();
    await first.service.submit(PREDICTOR_2019);
    const waiting = await first.service.submit(PREDICTOR_2019);
    const stopping = first.service.stop();
    held.release();
    await stopping;
    expect(await storedRun(first.db, waiting.id)).toMatchObject({ status: 'queued' });

    // This process has no predictor: the replay fails before its start, so the stored run was still queued.
    const second = await serviceProcess('second');
    await second.service.start();
    const failed = await settledJob(second.service, waiting.id);
    expect(failed.status).toBe('failed');
    await second.service.listRuns();
    const row = await storedRun(second.db, waiting.id);
    expect(row?.status).toBe('failed');
    expect(row?.error).toBe(failed.error);
    // Not stale-queued any more: no process claims it again.
    const third = await serviceProcess('third');
    await third.service.start();
    await sleep(5 * HEARTBEAT_MS);
    expect(holds(third.service, waiting.id)).toBe(false);
    expect(await storedRun(third.db, waiting.id)).toMatchObject({ status: 'failed' });
  });

  /** A stopped service whose slot was busy, with `count` buy-and-hold jobs handed over in its queue. */
  const handedOver = async (count: number): Promise<string[]> => {
    const held = hold();
    const gone = await serviceProcess('gone', { maxQueued: count }, held.predict);
    await gone.service.start();
    await gone.service.submit(PREDICTOR_2019);
    const ids: string[] = [];
    for (let i = 0; i < count; i += 1) ids.push((await gone.service.submit(HOLD_2019(`job ${i}`))).id);
    const stopping = gone.service.stop();
    held.release();
    await stopping;
    return ids;
  };

  it('takes over only as many as its queue has room for, the rest at later heartbeats, oldest first', async () => {
    const ids = await handedOver(4);
    const taker = await serviceProcess('taker', { concurrency: 1, maxQueued: 1 });
    await taker.service.start();
    expect(ids.map((id) => holds(taker.service, id))).toEqual([true, true, false, false]);
    expect((await taker.service.health()).details).toMatchObject({ running: 1, queued: 1 });
    expect((await storedRun(taker.db, ids[3]))?.status).toBe('queued');
    for (const id of ids) {
      // The last two are taken over once the first two have left the queue.
      const deadline = Date.now() + 20_000;
      while (!holds(taker.service, id) && Date.now() < deadline) await sleep(HEARTBEAT_MS / 5);
      expect((await settledJob(taker.service, id)).status).toBe('completed');
    }
    for (const id of ids) expect((await storedRun(taker.db, id))?.status).toBe('completed');
  });

  it('two services taking over at once take each job exactly once', async () => {
    const ids = await handedOver(6);
    const [left, right] = [await serviceProcess('left'), await serviceProcess('right')];
    await Promise.all([left.service.start(), right.service.start()]);
    const deadline = Date.now() + 20_000;
    const owners = () => ids.map((id) => [left, right].filter(({ service }) => holds(service, id)).length);
    while (owners().some((n) => n === 0) && Date.now() < deadline) await sleep(HEARTBEAT_MS);
    expect(owners()).toEqual(ids.map(() => 1));
    for (const id of ids) {
      const owner = holds(left.service, id) ? left.service : right.service;
      expect((await settledJob(owner, id)).status).toBe('completed');
    }
    // Nothing was taken twice later either.
    await sleep(4 * HEARTBEAT_MS);
    expect(owners()).toEqual(ids.map(() => 1));
    const health = await Promise.all(
      [left, right].map(async ({ service }) => (await service.health()).details as { completed: number }),
    );
    expect(health[0].completed + health[1].completed).toBe(ids.length);
  });
}

describe('queued backtests taken over on SQLite', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-bt-takeover-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  takeoverContract(async () => {
    const file = join(dir, `run-${++n}.db`);
    return () => openDatabase({ sqlitePath: file });
  });
});

describe('queued backtests taken over on PostgreSQL', () => {
  let schemas: PostgresTestSchemas | undefined;
  // connect() fails with the command that starts the server when it is down.
  beforeAll(async () => {
    schemas = await PostgresTestSchemas.connect();
  });
  afterAll(async () => schemas?.dropAll());
  takeoverContract(async () => {
    if (schemas === undefined) throw new Error('PostgreSQL test schemas are not connected');
    const { url } = await schemas.create();
    return () => openDatabase({ url, sqlitePath: '', poolMax: 4 });
  });
});
