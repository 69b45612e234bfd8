import { createLogger, openDatabase, type Database } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createRng } from '../seeded-rng';
import { settledOptimizationJob } from '../testing/settled-optimization-job';
import { storeCloses } from '../testing/store-closes';
import {
  createQuantumOptimizationService,
  type QuantumOptimizationService,
} from './create-quantum-optimization-service';
import { OptimizationRunStore } from './optimization-run-store';

const DAY = 86_400_000;
const SYMBOLS = Array.from({ length: 16 }, (_, i) => `WALK${i + 1}`);
/** QAOA over sixteen assets (a 2^16-amplitude statevector): seconds, long enough to hold the one slot. */
const SLOW = { symbols: SYMBOLS, k: 4, method: 'qaoa' as const };
const QUICK = { symbols: SYMBOLS.slice(0, 4), k: 2, method: 'exact' as const, seed: 9 };

/**
 * Queued optimisation jobs outlive their process: a stopped (or dead) service's waiting jobs stay queued in storage,
 * and a started service takes them over under their ids — never a live owner's, never a cancelled one, each once.
 */
describe('queued optimisation jobs taken over by another service', () => {
  let dir: string;
  let db: Database;
  const services: QuantumOptimizationService[] = [];
  /** A service on the shared database (heartbeat 50 ms); `logs` collects each log line's message and job id. */
  const service = (logs?: string[]): QuantumOptimizationService => {
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== '')) {
          const record = JSON.parse(line) as { msg: string; job?: string };
          logs?.push(`${record.msg} ${record.job ?? ''}`);
        }
        done();
      },
    });
    const created = createQuantumOptimizationService(
      { db, logger: createLogger({ level: 'info', destination }) },
      { concurrency: 1, heartbeatMs: 50 },
    );
    services.push(created);
    return created;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-optimization-takeover-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    const rng = createRng(21);
    for (const symbol of SYMBOLS) {
      let price = 100;
      const closes = Array.from({ length: 250 }, (_, i) => {
        price *= Math.exp(0.0002 + 0.02 * (rng.next() - 0.5));
        return { ts: Date.UTC(2024, 0, 1) + i * DAY, close: price };
      });
      await storeCloses(db, symbol, closes);
    }
  });

  afterEach(async () => {
    for (const s of services.splice(0)) await s.stop();
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stopped service leaves its waiting job queued; a started one completes it under the same id', async () => {
    const store = new OptimizationRunStore(db);
    const first = service();
    await first.start();
    const slow = await first.submit(SLOW);
    const waiting = await first.submit(QUICK);
    expect((await first.job(waiting.id)).status).toBe('queued');
    await first.stop();
    // The running job ended cancelled; the waiting one is still queued in storage, vouched for by nobody.
    expect((await store.get(slow.id))?.job.status).toBe('cancelled');
    expect(await store.get(waiting.id)).toMatchObject({ job: { status: 'queued' }, heartbeatAt: 0 });
    // The stopped service no longer answers for it from memory (it would say cancelled): it reads the stored row.
    expect((await first.job(waiting.id)).status).toBe('queued');

    const second = service();
    await second.start();
    const done = await settledOptimizationJob(second, waiting.id);
    expect(done).toMatchObject({
      id: waiting.id,
      status: 'completed',
      request: waiting.request,
      inputs: waiting.inputs,
    });
    // The same problem submitted afresh gives the same answer.
    const fresh = await settledOptimizationJob(second, (await second.submit(QUICK)).id);
    expect(done.result?.runs.map((r) => [r.method, r.bitstring, r.objective])).toEqual(
      fresh.result?.runs.map((r) => [r.method, r.bitstring, r.objective]),
    );
    expect((await store.get(waiting.id))?.job.status).toBe('completed');
  });

  it("leaves a live owner's queued job alone, and never takes a cancelled one", async () => {
    const owner = service();
    await owner.start();
    const slow = await owner.submit(SLOW);
    const waiting = await owner.submit(QUICK);
    const cancelled = await owner.submit(QUICK);
    owner.cancel(cancelled.id);

    const other = service();
    await other.start();
    // Past the 150 ms after which an unstamped job counts as abandoned: the owner's stamps keep its job its own.
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect((await owner.job(slow.id)).status).toBe('running');
    expect((await other.health()).details).toMatchObject({ queued: 0, running: 0, completed: 0 });
    expect((await owner.job(waiting.id)).status).toBe('queued');
    expect((await other.job(cancelled.id)).status).toBe('cancelled');
  });

  it('looks for stale jobs through the partial heartbeat index, not the whole table', async () => {
    const plan = async (status: string) =>
      (
        await db.query<{ detail: string }>(
          `EXPLAIN QUERY PLAN SELECT id FROM optimization_runs WHERE status = '${status}' AND heartbeat_at < ? ` +
            'ORDER BY submitted_at, id LIMIT ?',
          [0, 10],
        )
      ).map((step) => step.detail);
    expect((await plan('queued'))[0]).toContain('USING INDEX optimization_runs_unfinished_heartbeat_idx');
    expect((await plan('running'))[0]).toContain('USING INDEX optimization_runs_unfinished_heartbeat_idx');
  });

  it('two services starting at once take each stale queued job exactly once', async () => {
    const store = new OptimizationRunStore(db);
    const maker = service();
    await maker.start();
    const template = await settledOptimizationJob(maker, (await maker.submit(QUICK)).id);
    const ids = ['orphan-1', 'orphan-2', 'orphan-3', 'orphan-4'];
    for (const id of ids) {
      await store.save({ ...template, id, status: 'queued', result: null, startedAt: null, finishedAt: null }, 0);
    }
    const logs: string[] = [];
    const a = service(logs);
    const b = service(logs);
    await Promise.all([a.start(), b.start()]);
    for (const id of ids) expect((await settledOptimizationJob(a, id)).status).toBe('completed');
    const takeovers = logs.filter((line) => line.startsWith('took over'));
    expect(takeovers.map((line) => line.split(' ').pop()).sort()).toEqual(ids);
  });
});
