import { ManualClock, openDatabase, type Database, type HealthReport } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
/** QAOA over sixteen assets: seconds, long enough to hold a service's one slot until the test cancels it. */
const SLOW = { symbols: SYMBOLS, k: 4, method: 'qaoa' as const };
const QUICK = { symbols: SYMBOLS.slice(0, 4), k: 2, method: 'exact' as const, seed: 9 };
const HEARTBEAT_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A process whose heartbeat stamps are late (here: its clock stands an hour back, so every stamp it writes is
 * stale) still holds its queued job when another process takes the job over. Both then hold it queued; whichever
 * starts it first runs it, and the other drops it — unrun, and without writing over the row.
 */
describe('an optimisation job held by two processes runs once', () => {
  let dir: string;
  let file: string;
  let handles: Database[];
  let services: QuantumOptimizationService[];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-optimization-claim-race-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  beforeEach(async () => {
    file = join(dir, `race-${Date.now()}.db`);
    const db = await openDatabase({ sqlitePath: file });
    const rng = createRng(33);
    for (const symbol of SYMBOLS) {
      let price = 100;
      const closes = Array.from({ length: 250 }, (_, i) => {
        price *= Math.exp(0.0002 + 0.02 * (rng.next() - 0.5));
        return { ts: Date.UTC(2024, 0, 1) + i * DAY, close: price };
      });
      await storeCloses(db, symbol, closes);
    }
    handles = [db];
    services = [];
  });

  afterEach(async () => {
    for (const service of services) await service.stop();
    for (const handle of handles) await handle.close();
  });

  /** A service in a process of its own (its own connection to the file); `stale`: its stamps are an hour late. */
  const serviceProcess = async (options: { stale?: boolean } = {}) => {
    const db = await openDatabase({ sqlitePath: file });
    handles.push(db);
    const clock = options.stale === true ? new ManualClock(Date.now() - 3_600_000) : undefined;
    const service = createQuantumOptimizationService(
      { db, ...(clock === undefined ? {} : { clock }) },
      { concurrency: 1, heartbeatMs: HEARTBEAT_MS },
    );
    services.push(service);
    await service.start();
    return { db, service, store: new OptimizationRunStore(db) };
  };
  /** The service's job counts (its health is answered synchronously). */
  const details = (service: QuantumOptimizationService) =>
    (service.health() as HealthReport).details as {
      queued: number;
      running: number;
      completed: number;
      cancelled: number;
    };
  const until = async (what: string, done: () => boolean) => {
    const deadline = Date.now() + 30_000;
    while (!done()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await sleep(HEARTBEAT_MS / 5);
    }
  };

  it('the taker runs it first: the late process drops it when its slot frees, and writes nothing', async () => {
    const late = await serviceProcess({ stale: true });
    const slow = await late.service.submit(SLOW);
    const queued = await late.service.submit(QUICK);
    expect([slow.status, queued.status]).toEqual(['running', 'queued']);

    const taker = await serviceProcess();
    const done = await settledOptimizationJob(taker.service, queued.id);
    expect(done).toMatchObject({ id: queued.id, status: 'completed' });
    const storedByTaker = await taker.store.get(queued.id);
    expect(storedByTaker?.job.status).toBe('completed');

    // The late process's slot frees: it comes to its copy of the job, finds it no longer queued, and drops it.
    late.service.cancel(slow.id);
    await until('the late process has let the job go', () => {
      const d = details(late.service);
      return d.running === 0 && d.queued === 0;
    });
    expect(details(late.service)).toMatchObject({ completed: 0, cancelled: 1 });
    expect(details(taker.service)).toMatchObject({ completed: 1 });
    // The stored row is the taker's, untouched; the late process now answers from it.
    expect(await late.store.get(queued.id)).toEqual(storedByTaker);
    expect(await late.service.job(queued.id)).toEqual(storedByTaker?.job);
  });

  it('the late process runs it first: the taker, which queued it behind its own work, drops it', async () => {
    const taker = await serviceProcess();
    const takersOwn = await taker.service.submit(SLOW);
    const late = await serviceProcess({ stale: true });
    const lateOwn = await late.service.submit(SLOW);
    const queued = await late.service.submit(QUICK);
    // At its next heartbeat the taker claims the job whose stamps look stale, and queues it behind its own.
    await until('the taker holds the job', () => details(taker.service).queued === 1);

    late.service.cancel(lateOwn.id);
    await until('the late process has run the job', () => details(late.service).completed === 1);
    const storedByLate = await late.store.get(queued.id);
    expect(storedByLate?.job).toMatchObject({ id: queued.id, status: 'completed' });

    taker.service.cancel(takersOwn.id);
    await until('the taker has let the job go', () => {
      const d = details(taker.service);
      return d.running === 0 && d.queued === 0;
    });
    expect(details(taker.service)).toMatchObject({ completed: 0, cancelled: 1 });
    expect(await taker.store.get(queued.id)).toEqual(storedByLate);
  });
});
