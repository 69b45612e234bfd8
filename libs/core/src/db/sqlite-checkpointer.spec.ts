import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyMigrations } from './apply-migrations';
import { PLATFORM_MIGRATIONS } from './migrations';
import { SqliteDatabase } from './sqlite-database';
import { systemClock } from '../time';

const bars = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({
    symbol: 'CKPT-USD',
    interval: '1m',
    ts: (from + i) * 60_000,
    open: 1,
    high: 2,
    low: 0.5,
    close: 1.5,
    volume: 10,
  }));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting until ${what}`);
}

describe('SQLite background checkpoints', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rrr-ckpt-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('copies committed WAL frames into the database file from the worker, never inside a commit', async () => {
    const path = join(dir, 'bg.db');
    const db = new SqliteDatabase({ path, busyTimeoutMs: 1000, checkpointIntervalMs: 10, checkpointAfterCommits: 0 });
    try {
      expect(db.handle.pragma('wal_autocheckpoint', { simple: true })).toBe(0);
      await applyMigrations(db, PLATFORM_MIGRATIONS, systemClock);
      const before = statSync(path).size;
      // Far more than 1,000 pages: the automatic checkpoint would have run inside these commits.
      for (let i = 0; i < 10; i++) await db.insertMany('bars', bars(i * 5_000, 5_000));
      await until(() => statSync(path).size > before + 1_000_000, 'the worker copied the bars into the file');
      expect(await db.queryOne('SELECT count(*) AS n FROM bars')).toEqual({ n: 50_000 });
    } finally {
      await db.close();
    }
    // The writer's connection closed last, so its close checkpointed everything and removed the WAL.
    expect(existsSync(`${path}-wal`)).toBe(false);
  });

  /** WAL file growth between the 1,000th and the last of 3,000 back-to-back 10-bar transactions. */
  async function walGrowthUnderSustainedWrites(db: SqliteDatabase, path: string): Promise<number> {
    const walSizes: number[] = [];
    // Back-to-back transactions with no idle moment between them (not even a macrotask).
    for (let i = 0; i < 3_000; i++) {
      await db.insertMany('bars', bars(i * 10, 10));
      if (i === 1_000 || i === 2_999) walSizes.push(statSync(`${path}-wal`).size);
    }
    expect(await db.queryOne('SELECT count(*) AS n FROM bars')).toEqual({ n: 30_000 });
    return walSizes[1] - walSizes[0];
  }

  it('keeps the WAL bounded under writes that never pause: the writer finishes a checkpoint past the backlog', async () => {
    // The reference: the same writes with no checkpoint at all, so the WAL never starts over.
    const unboundedPath = join(dir, 'unbounded.db');
    const unbounded = new SqliteDatabase({ path: unboundedPath, busyTimeoutMs: 1000, checkpoint: 'on-commit' });
    let unboundedGrowth: number;
    try {
      await applyMigrations(unbounded, PLATFORM_MIGRATIONS, systemClock);
      unbounded.handle.pragma('wal_autocheckpoint = 0');
      unboundedGrowth = await walGrowthUnderSustainedWrites(unbounded, unboundedPath);
    } finally {
      await unbounded.close();
    }

    const path = join(dir, 'busy.db');
    const db = new SqliteDatabase({
      path,
      busyTimeoutMs: 1000,
      checkpointIntervalMs: 5,
      checkpointRestartFrames: 64,
      checkpointAfterCommits: 0,
    });
    try {
      await applyMigrations(db, PLATFORM_MIGRATIONS, systemClock);
      // Once the worker has copied the schema into the file, it is running.
      const empty = statSync(path).size;
      await until(() => statSync(path).size > empty, 'the worker took its first checkpoint');
      // The WAL file keeps its largest size, so a WAL that starts over stops growing (after the first rounds, while
      // the worker catches up); one that never starts over grows by ~19 MB per 1,000 of these transactions. How often
      // the worker gets the CPU decides how far the WAL gets before each restart, so the bound is relative.
      expect(unboundedGrowth).toBeGreaterThan(4 * 1024 * 1024);
      expect(await walGrowthUnderSustainedWrites(db, path)).toBeLessThan(unboundedGrowth / 2);
    } finally {
      await db.close();
    }
  });

  it('starts the worker only once the connection has committed checkpointAfterCommits transactions', async () => {
    const db = new SqliteDatabase({ path: join(dir, 'lazy.db'), busyTimeoutMs: 1000, checkpointAfterCommits: 3 });
    try {
      const autocheckpoint = () => db.handle.pragma('wal_autocheckpoint', { simple: true });
      await db.execute('CREATE TABLE t (x INTEGER)');
      await db.execute('INSERT INTO t VALUES (1)');
      expect(autocheckpoint()).toBe(1000);
      await db.transaction(async (tx) => void (await tx.execute('INSERT INTO t VALUES (2)')));
      await db.transaction(async (tx) => void (await tx.execute('INSERT INTO t VALUES (3)')));
      await db.transaction(async (tx) => void (await tx.execute('INSERT INTO t VALUES (4)')));
      expect(autocheckpoint()).toBe(0);
    } finally {
      await db.close();
    }
  });

  it('leaves checkpoints inside the commit in on-commit mode', async () => {
    const db = new SqliteDatabase({ path: join(dir, 'inline.db'), busyTimeoutMs: 1000, checkpoint: 'on-commit' });
    try {
      expect(db.handle.pragma('wal_autocheckpoint', { simple: true })).toBe(1000);
    } finally {
      await db.close();
    }
  });
});
