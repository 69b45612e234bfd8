import { PostgresTestSchemas, openDatabase, type Database } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  interruptStaleBacktestRuns,
  listBacktestRuns,
  loadBacktestRun,
  stampBacktestRuns,
  type BacktestRunRecord,
} from './backtest-run-store';
import {
  claimStaleQueuedBacktestRuns,
  failQueuedBacktestRun,
  insertQueuedBacktestRun,
  releaseQueuedBacktestRuns,
  startQueuedBacktestRun,
  withdrawQueuedBacktestRun,
} from './queued-backtest-runs';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function run(id: string, createdAt: number): BacktestRunRecord {
  return {
    id,
    name: null,
    strategy: 'sma-cross',
    parameters: { fast: 5, slow: 10 },
    symbols: ['SPX'],
    interval: '1d',
    startTs: T0,
    endTs: T0 + 10 * DAY,
    initialCapital: 1_000,
    finalEquity: null,
    metrics: null,
    status: 'queued',
    error: null,
    createdAt,
    finishedAt: null,
  };
}

const requestOf = (id: string) => ({ strategy: 'sma-cross', symbols: 'SPX', params: { fast: 5, slow: 10 }, name: id });

function contract(open: () => Promise<Database>): void {
  let db: Database;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.close());

  const row = (id: string) =>
    db.queryOne<{ status: string; error: string | null; heartbeat_at: number | string; request: string | null }>(
      'SELECT status, error, heartbeat_at, request FROM backtest_runs WHERE id = ?',
      [id],
    );

  it('stores a queued run with its request, shown queued by the readers and stamped with the running ones', async () => {
    await insertQueuedBacktestRun(db, run('q1', T0), requestOf('q1'), T0 + 5);
    expect(await row('q1')).toEqual({
      status: 'queued',
      error: null,
      heartbeat_at: expect.anything(),
      request: JSON.stringify(requestOf('q1')),
    });
    expect(Number((await row('q1'))?.heartbeat_at)).toBe(T0 + 5);
    expect((await loadBacktestRun(db, 'q1')).run).toEqual(run('q1', T0));
    expect((await listBacktestRuns(db)).map((r) => [r.id, r.status])).toEqual([['q1', 'queued']]);

    await stampBacktestRuns(db, ['q1'], T0 + 50);
    expect(Number((await row('q1'))?.heartbeat_at)).toBe(T0 + 50);
    // A stale queued run is not ended as interrupted: it is waiting to be taken over.
    expect(await interruptStaleBacktestRuns(db, T0 + 1_000, T0 + 1_000)).toBe(0);
    expect((await row('q1'))?.status).toBe('queued');
  });

  it('claims stale queued runs oldest first, up to the limit, each exactly once', async () => {
    await insertQueuedBacktestRun(db, run('newer', T0 + 2), requestOf('newer'), T0 + 10);
    await insertQueuedBacktestRun(db, run('older', T0 + 1), requestOf('older'), T0 + 10);
    await insertQueuedBacktestRun(db, run('oldest', T0), requestOf('oldest'), T0 + 10);
    await insertQueuedBacktestRun(db, run('fresh', T0 - 1), requestOf('fresh'), T0 + 100);
    await insertQueuedBacktestRun(db, run('cancelled', T0 - 2), requestOf('cancelled'), T0 + 10);
    expect(await failQueuedBacktestRun(db, 'cancelled', 'cancelled before it started', T0 + 20)).toBe(true);

    const options = { staleBefore: T0 + 50, now: T0 + 60 };
    expect(await claimStaleQueuedBacktestRuns(db, { ...options, limit: 2 })).toEqual([
      { id: 'oldest', request: requestOf('oldest') },
      { id: 'older', request: requestOf('older') },
    ]);
    expect(Number((await row('oldest'))?.heartbeat_at)).toBe(T0 + 60);
    // Claimed runs are fresh again: the same claim by another process gets only what is left.
    expect(await claimStaleQueuedBacktestRuns(db, { ...options, limit: 10 })).toEqual([
      { id: 'newer', request: requestOf('newer') },
    ]);
    expect(await claimStaleQueuedBacktestRuns(db, { ...options, limit: 10 })).toEqual([]);
    expect(await claimStaleQueuedBacktestRuns(db, { ...options, limit: 0 })).toEqual([]);
    expect((await row('cancelled'))?.status).toBe('failed');
    expect((await row('fresh'))?.status).toBe('queued');
  });

  it('starts, ends and withdraws a run only while it is queued', async () => {
    await insertQueuedBacktestRun(db, run('a', T0), requestOf('a'), T0);
    await insertQueuedBacktestRun(db, run('b', T0), requestOf('b'), T0);
    const runningAs = { ...run('a', T0), name: 'renamed', initialCapital: 2_000, status: 'running' as const };
    expect(await startQueuedBacktestRun(db, runningAs, T0 + 7)).toBe(true);
    expect((await loadBacktestRun(db, 'a')).run).toEqual(runningAs);
    expect(Number((await row('a'))?.heartbeat_at)).toBe(T0 + 7);
    // Another process that also held it cannot start it a second time, end it, or delete it.
    expect(await startQueuedBacktestRun(db, runningAs, T0 + 8)).toBe(false);
    expect(await failQueuedBacktestRun(db, 'a', 'cancelled before it started', T0 + 9)).toBe(false);
    await withdrawQueuedBacktestRun(db, 'a');
    expect(await row('a')).toMatchObject({ status: 'running', error: null });

    expect(await failQueuedBacktestRun(db, 'b', 'cancelled before it started', T0 + 9)).toBe(true);
    expect(await startQueuedBacktestRun(db, run('b', T0), T0 + 10)).toBe(false);
    expect((await loadBacktestRun(db, 'b')).run).toMatchObject({
      status: 'failed',
      error: 'cancelled before it started',
      finishedAt: T0 + 9,
    });

    await insertQueuedBacktestRun(db, run('c', T0), requestOf('c'), T0);
    await withdrawQueuedBacktestRun(db, 'c');
    expect(await row('c')).toBeUndefined();
  });

  it('a released run is stale at once; a running one is not released', async () => {
    await insertQueuedBacktestRun(db, run('handed', T0), requestOf('handed'), T0 + 100);
    await insertQueuedBacktestRun(db, run('busy', T0), requestOf('busy'), T0 + 100);
    await startQueuedBacktestRun(db, { ...run('busy', T0), status: 'running' }, T0 + 100);
    await releaseQueuedBacktestRuns(db, ['handed', 'busy']);
    expect(Number((await row('busy'))?.heartbeat_at)).toBe(T0 + 100);
    expect(await claimStaleQueuedBacktestRuns(db, { staleBefore: T0 - DAY, now: T0 + 200, limit: 10 })).toEqual([
      { id: 'handed', request: requestOf('handed') },
    ]);
  });
}

describe('queued backtest runs on SQLite', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-bt-queued-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  contract(() => openDatabase({ sqlitePath: join(dir, `run-${++n}.db`) }));

  it('finds stale queued and running runs through the partial heartbeat index', async () => {
    const db = await openDatabase({ sqlitePath: join(dir, 'plan.db') });
    const plan = async (status: string) =>
      (
        await db.query<{ detail: string }>(
          `EXPLAIN QUERY PLAN SELECT id FROM backtest_runs WHERE status = '${status}' AND heartbeat_at < ?`,
          [T0],
        )
      ).map((step) => step.detail);
    expect(await plan('queued')).toEqual([expect.stringContaining('backtest_runs_unfinished_heartbeat_idx')]);
    expect(await plan('running')).toEqual([expect.stringContaining('backtest_runs_unfinished_heartbeat_idx')]);
    await db.close();
  });
});

describe('queued backtest runs on PostgreSQL', () => {
  let schemas: PostgresTestSchemas | undefined;
  // connect() fails with the command that starts the server when it is down.
  beforeAll(async () => {
    schemas = await PostgresTestSchemas.connect();
  });
  afterAll(async () => schemas?.dropAll());
  contract(async () => {
    if (schemas === undefined) throw new Error('PostgreSQL test schemas are not connected');
    return openDatabase({ url: (await schemas.create()).url, sqlitePath: '', poolMax: 2 });
  });
});
