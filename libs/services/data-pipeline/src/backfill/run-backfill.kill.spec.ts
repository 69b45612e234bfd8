import { spawn } from 'node:child_process';
import { bundledWorkerScript, openDatabase } from '@rrr/core';
import { TempSqlite } from '../testing/temp-sqlite';

interface ChildRun {
  stdout: string;
  code: number | null;
  signal: NodeJS.Signals | null;
}

/**
 * Kills a real backfill process with SIGKILL after some batches have committed, runs it again to completion, and
 * compares the result row for row with an uninterrupted run of the same job in another database.
 */
describe('backfill killed midway (child process)', () => {
  const temp = new TempSqlite('rrr-backfill-kill-');
  let bundle: string;

  beforeAll(async () => {
    // Bundled like a worker script: a file under the workspace's node_modules that node runs as a process too.
    bundle = await bundledWorkerScript(
      'libs/services/data-pipeline/src/testing/backfill-child-process.ts',
      'rrr-test-children',
    );
  });

  afterAll(() => temp.cleanup());

  /** Runs the child; with `killAfterBatches`, SIGKILLs it as soon as it reports that many committed batches. */
  function runChild(dbPath: string, delayMs: number, killAfterBatches?: number): Promise<ChildRun> {
    return new Promise((done, fail) => {
      const child = spawn(process.execPath, [bundle, dbPath, String(delayMs)], {
        env: { PATH: process.env.PATH },
        cwd: temp.dir,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const committed = [...stdout.matchAll(/^committed (\d+) /gm)].length;
        if (killAfterBatches !== undefined && committed >= killAfterBatches && child.exitCode === null)
          child.kill('SIGKILL');
      });
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.on('error', fail);
      child.on('exit', (code, signal) => {
        if (code !== 0 && signal === null) fail(new Error(`backfill child exited with ${code}: ${stderr}`));
        else done({ stdout, code, signal });
      });
    });
  }

  async function snapshot(dbPath: string) {
    const db = await openDatabase({ sqlitePath: dbPath });
    try {
      return {
        bars: await db.query(
          'SELECT symbol, interval, ts, open, high, low, close, volume, vwap, trades FROM bars ORDER BY symbol, interval, ts',
        ),
        quarantined: await db.query('SELECT source, symbol, interval, ts, raw FROM quarantined_rows ORDER BY ts'),
        checkpoints: await db.query<{ job_id: string; cursor: string; rows_written: number }>(
          'SELECT job_id, cursor, rows_written FROM backfill_checkpoints',
        ),
      };
    } finally {
      await db.close();
    }
  }

  it('continues after SIGKILL and ends with exactly the rows an uninterrupted run stores', async () => {
    const killedDb = temp.path('killed.db');
    const killed = await runChild(killedDb, 40, 3);
    expect(killed.signal).toBe('SIGKILL');
    expect(killed.stdout).not.toContain('done');

    // What survived the kill is exactly what the checkpoint says: no half-written batch, no lost checkpoint.
    const afterKill = await snapshot(killedDb);
    expect(afterKill.checkpoints).toHaveLength(1);
    const cursor = JSON.parse(afterKill.checkpoints[0].cursor) as { lastTs: number; complete: boolean };
    expect(cursor.complete).toBe(false);
    expect(afterKill.checkpoints[0].rows_written).toBe(afterKill.bars.length);
    expect(afterKill.bars.length).toBeGreaterThanOrEqual(3 * 400);
    expect(afterKill.bars[afterKill.bars.length - 1]).toMatchObject({ ts: cursor.lastTs });

    const resumed = await runChild(killedDb, 0);
    expect(resumed.stdout).toMatch(new RegExp(`^done completed \\d+ ${cursor.lastTs}$`, 'm'));

    const uninterruptedDb = temp.path('uninterrupted.db');
    const uninterrupted = await runChild(uninterruptedDb, 0);
    expect(uninterrupted.stdout).toMatch(/^done completed \d+ -$/m);

    const a = await snapshot(killedDb);
    const b = await snapshot(uninterruptedDb);
    expect(a.bars).toHaveLength(10_080 - b.quarantined.length);
    expect(a.bars).toEqual(b.bars);
    expect(a.quarantined).toEqual(b.quarantined);
    expect(a.checkpoints).toEqual(b.checkpoints);
    expect(JSON.parse(a.checkpoints[0].cursor)).toEqual({ lastTs: Date.UTC(2024, 0, 7, 23, 59), complete: true });

    // A finished job run again reads nothing.
    expect((await runChild(killedDb, 0)).stdout).toMatch(/^done already-complete \d+ -$/m);
  }, 30_000);
});
