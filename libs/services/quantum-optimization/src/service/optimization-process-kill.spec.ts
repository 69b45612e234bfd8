import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledWorkerScript, openDatabase, type Database } from '@rrr/core';
import { createRng } from '../seeded-rng';
import { storeCloses } from '../testing/store-closes';
import { createQuantumOptimizationService } from './create-quantum-optimization-service';
import { optimizationWorkerScript } from './optimization-worker-script';

const CHILD_ENTRY = 'libs/services/quantum-optimization/src/testing/optimization-child-process.ts';
const SYMBOLS = Array.from({ length: 12 }, (_, i) => `WALK${i + 1}`);
const DAY = 86_400_000;

/**
 * A process running an optimisation is killed with SIGKILL: another process sharing the database first sees the job
 * running (its owner's heartbeat is fresh), then, once the heartbeat is stale, failed as interrupted — in its answers
 * and in the stored row — instead of running forever.
 */
describe('optimisation job of a killed process (child process)', () => {
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-optimization-kill-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    const rng = createRng(5);
    for (const symbol of SYMBOLS) {
      let price = 100;
      const closes = Array.from({ length: 300 }, (_, i) => {
        price *= Math.exp(0.0003 + 0.02 * (rng.next() - 0.5));
        return { ts: Date.UTC(2024, 0, 1) + i * DAY, close: price };
      });
      await storeCloses(db, symbol, closes);
    }
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is reported running while its process lives, then failed as interrupted, and stored so', async () => {
    const workerScript = await optimizationWorkerScript();
    // Bundled like a worker script: a file under the workspace's node_modules that node runs as a process too.
    const childScript = await bundledWorkerScript(CHILD_ENTRY, 'rrr-test-children');
    const child = spawn(process.execPath, [childScript, join(dir, 'rrr.db'), workerScript, SYMBOLS.join(',')], {
      env: { PATH: process.env.PATH },
      cwd: dir,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_code, signal) => done(signal)));
    const id = await new Promise<string>((done, fail) => {
      let stdout = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /^running (\S+)$/m.exec(stdout);
        if (match) done(match[1]);
      });
      void exited.then(() => fail(new Error(`the child exited before its job ran: ${stderr}`)));
    });

    const reader = createQuantumOptimizationService({ db }, { heartbeatMs: 200 });
    expect((await reader.job(id)).status).toBe('running');
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');

    const killedAt = Date.now();
    let job = await reader.job(id);
    while (job.status === 'running' && Date.now() - killedAt < 10_000) {
      await new Promise((done) => setTimeout(done, 50));
      job = await reader.job(id);
    }
    expect(job).toMatchObject({ id, status: 'failed', result: null });
    expect(job.error).toMatch(/^interrupted: the process running it stopped \(last heard of at \d{4}-\d\d-\d\dT/);
    // Not before the heartbeat went stale: three intervals after the child's last stamp.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(200);
    const row = await db.queryOne<{ status: string; error: string }>(
      'SELECT status, error FROM optimization_runs WHERE id = ?',
      [id],
    );
    expect(row).toEqual({ status: 'failed', error: job.error });
  });
});
