import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, PostgresTestSchemas, type Database } from '../db';
import { RELEASED_HEARTBEAT, StoredJobTable } from './stored-job-table';

const T0 = Date.UTC(2024, 0, 1);

/** The table's SQL on both dialects, over optimization_runs (a table of stored jobs in the platform schema). */
function contract(open: () => Promise<Database>): void {
  let db: Database;
  let jobs: StoredJobTable<'optimization_runs', 'request'>;
  beforeEach(async () => {
    db = await open();
    jobs = new StoredJobTable(db, {
      table: 'optimization_runs',
      submittedAt: 'submitted_at',
      claimColumns: ['request'],
    });
  });
  afterEach(async () => db.close());

  const store = (id: string, status: string, submittedAt: number, heartbeatAt: number) =>
    db.insertMany('optimization_runs', [
      {
        id,
        status,
        request: { name: id },
        inputs: {},
        submitted_at: submittedAt,
        heartbeat_at: heartbeatAt,
      },
    ]);
  const row = async (id: string) => {
    const found = await db.queryOne<{
      status: string;
      error: string | null;
      started_at: number | string | null;
      finished_at: number | string | null;
      heartbeat_at: number | string;
    }>('SELECT status, error, started_at, finished_at, heartbeat_at FROM optimization_runs WHERE id = ?', [id]);
    if (found === undefined) return undefined;
    const int = (v: number | string | null) => (v === null ? null : Number(v));
    return {
      status: found.status,
      error: found.error,
      startedAt: int(found.started_at),
      finishedAt: int(found.finished_at),
      heartbeatAt: Number(found.heartbeat_at),
    };
  };

  it('stamps only the unfinished jobs it is given', async () => {
    await store('queued', 'queued', T0, T0);
    await store('running', 'running', T0, T0);
    await store('ended', 'completed', T0, T0);
    await store('other', 'queued', T0, T0);
    await jobs.stamp(['queued', 'running', 'ended'], T0 + 10);
    await jobs.stamp([], T0 + 20);
    expect((await row('queued'))?.heartbeatAt).toBe(T0 + 10);
    expect((await row('running'))?.heartbeatAt).toBe(T0 + 10);
    expect((await row('ended'))?.heartbeatAt).toBe(T0);
    expect((await row('other'))?.heartbeatAt).toBe(T0);
  });

  it('claims stale queued jobs oldest submitted first, up to the limit, each once, with the claim columns', async () => {
    await store('newer', 'queued', T0 + 2, T0);
    await store('older', 'queued', T0 + 1, T0);
    await store('oldest', 'queued', T0, T0);
    await store('fresh', 'queued', T0 - 1, T0 + 100);
    await store('running', 'running', T0 - 2, T0);
    const options = { staleBefore: T0 + 50, now: T0 + 60 };
    expect(await jobs.claimStaleQueued({ ...options, limit: 2 })).toEqual([
      { id: 'oldest', request: JSON.stringify({ name: 'oldest' }) },
      { id: 'older', request: JSON.stringify({ name: 'older' }) },
    ]);
    expect((await row('oldest'))?.heartbeatAt).toBe(T0 + 60);
    // A claimed job is fresh again: the same claim by another process gets only what is left.
    expect((await jobs.claimStaleQueued({ ...options, limit: 10 })).map((claimed) => claimed.id)).toEqual(['newer']);
    expect(await jobs.claimStaleQueued({ ...options, limit: 10 })).toEqual([]);
    expect(await jobs.claimStaleQueued({ staleBefore: T0 + 1_000, now: T0 + 1_000, limit: 0 })).toEqual([]);
    expect((await row('running'))?.heartbeatAt).toBe(T0);
    expect((await row('fresh'))?.heartbeatAt).toBe(T0 + 100);
  });

  it('starts, and ends unstarted, a job only while it is queued', async () => {
    await store('a', 'queued', T0, T0);
    await store('b', 'queued', T0, T0);
    expect(await jobs.startQueued('a', T0 + 7, { started_at: T0 + 5 })).toBe(true);
    expect(await row('a')).toEqual({
      status: 'running',
      error: null,
      startedAt: T0 + 5,
      finishedAt: null,
      heartbeatAt: T0 + 7,
    });
    // Another process that also held it can neither start it a second time nor end it.
    expect(await jobs.startQueued('a', T0 + 8)).toBe(false);
    expect(await jobs.endQueued('a', { status: 'cancelled', error: 'cancelled before it started', now: T0 + 9 })).toBe(
      false,
    );
    expect((await row('a'))?.status).toBe('running');

    expect(await jobs.endQueued('b', { status: 'cancelled', error: 'cancelled before it started', now: T0 + 9 })).toBe(
      true,
    );
    expect(await jobs.startQueued('b', T0 + 10)).toBe(false);
    expect(await row('b')).toEqual({
      status: 'cancelled',
      error: 'cancelled before it started',
      startedAt: null,
      finishedAt: T0 + 9,
      heartbeatAt: T0,
    });
    expect(await jobs.startQueued('unknown', T0 + 10)).toBe(false);
  });

  it('releases queued jobs for the next claim at once, and leaves running ones stamped', async () => {
    await store('handed', 'queued', T0, T0 + 100);
    await store('busy', 'running', T0, T0 + 100);
    await jobs.release(['handed', 'busy']);
    await jobs.release([]);
    expect((await row('handed'))?.heartbeatAt).toBe(RELEASED_HEARTBEAT);
    expect((await row('busy'))?.heartbeatAt).toBe(T0 + 100);
    // Stale before any real staleness limit: claimed even by a process whose limit lies a year back.
    expect(await jobs.claimStaleQueued({ staleBefore: T0 - 365 * 86_400_000, now: T0 + 200, limit: 10 })).toEqual([
      { id: 'handed', request: JSON.stringify({ name: 'handed' }) },
    ]);
  });

  it('ends stale running jobs as interrupted, and leaves fresh running and stale queued ones', async () => {
    await store('dead', 'running', T0, T0);
    await store('alive', 'running', T0, T0 + 500);
    await store('waiting', 'queued', T0, T0);
    expect(await jobs.interruptStaleRunning(T0 + 100, T0 + 1_000)).toBe(1);
    expect(await row('dead')).toEqual({
      status: 'failed',
      error: 'interrupted: the process running it stopped (last heard of at 2024-01-01T00:00:00.000Z)',
      startedAt: null,
      finishedAt: T0 + 1_000,
      heartbeatAt: T0,
    });
    expect((await row('alive'))?.status).toBe('running');
    expect((await row('waiting'))?.status).toBe('queued');
    expect(await jobs.interruptStaleRunning(T0 + 100, T0 + 2_000)).toBe(0);
  });
}

describe('StoredJobTable on SQLite', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-stored-jobs-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  contract(() => openDatabase({ sqlitePath: join(dir, `jobs-${++n}.db`) }));
});

describe('StoredJobTable on PostgreSQL', () => {
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
