import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Database } from '../db';
import { JobClaimLostError } from './job-claim-lost-error';
import { JobQueue, type JobRecord } from './job-queue';
import { JobTakeover } from './job-takeover';
import { StoredJobTable } from './stored-job-table';
import { deferred, type Deferred } from './testing/deferred';

interface NamedJob extends JobRecord {
  name: string;
}

const HEARTBEAT_MS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Simulated processes, each with its own connection, JobQueue and JobTakeover over one SQLite file's
 * optimization_runs table. A run begins through the conditional start and then waits until the test finishes it.
 */
describe('JobTakeover', () => {
  let dir: string;
  let file: string;
  let n = 0;
  let handles: Database[];
  let takeovers: JobTakeover<NamedJob, 'optimization_runs', 'request'>[];
  let runs: Map<string, Deferred<void>>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-job-takeover-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    file = join(dir, `jobs-${++n}.db`);
    handles = [];
    takeovers = [];
    runs = new Map();
  });
  afterEach(async () => {
    for (const run of runs.values()) run.resolve();
    for (const takeover of takeovers) await takeover.stop();
    for (const handle of handles) await handle.close();
  });

  /** `ran` collects "<process> <job id>" for every run that got past its conditional start. */
  const processOf = async (name: string, ran: string[], options: { maxQueued?: number; stampsLost?: boolean } = {}) => {
    const db = await openDatabase({ sqlitePath: file });
    handles.push(db);
    const table = new StoredJobTable(db, {
      table: 'optimization_runs',
      submittedAt: 'submitted_at',
      claimColumns: ['request'],
    });
    let writes: Promise<unknown> = Promise.resolve();
    const logs: string[] = [];
    const queue = new JobQueue<NamedJob>({
      service: name,
      jobName: 'job',
      concurrency: 1,
      maxQueued: options.maxQueued ?? 10,
      keepFinished: 10,
      run: async (job, signal) => {
        if (!(await table.startQueued(job.id, Date.now()))) throw new JobClaimLostError('job', job.id);
        ran.push(`${name} ${job.id}`);
        const run = deferred();
        runs.set(job.id, run);
        // A run that honours its signal, as a real one must for stop() to return.
        if (signal.aborted) run.reject(signal.reason);
        signal.addEventListener('abort', () => run.reject(signal.reason), { once: true });
        await run.promise;
      },
    });
    const takeover = new JobTakeover({
      queue,
      table,
      heartbeatMs: HEARTBEAT_MS,
      jobName: 'job',
      persist: (what, write) => {
        // A process whose stamps do not land (a database it cannot reach for a while, say).
        if (options.stampsLost === true && what.startsWith('stamp')) return;
        writes = writes.then(write).catch(() => logs.push(`could not ${what}`));
      },
      resume: (row) => {
        const request = JSON.parse(String(row.request)) as { name?: string };
        return request.name === undefined ? 'cannot be resumed: no name' : { name: request.name };
      },
    });
    takeovers.push(takeover);
    /** Stores a job as this process's submit would, queued and stamped now, and queues it here. */
    const submit = async (id: string, request: Record<string, unknown>, submittedAt = Date.now()) => {
      await db.insertMany('optimization_runs', [
        { id, status: 'queued', request, inputs: {}, submitted_at: submittedAt, heartbeat_at: Date.now() },
      ]);
      return queue.submit({ name: id }, { id });
    };
    return { db, queue, takeover, submit, logs };
  };
  const statusOf = async (db: Database, id: string) =>
    (await db.queryOne<{ status: string; error: string | null }>(
      'SELECT status, error FROM optimization_runs WHERE id = ?',
      [id],
    )) ?? { status: 'missing', error: null };
  const until = async (what: string, done: () => boolean | Promise<boolean>) => {
    const deadline = Date.now() + 10_000;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await sleep(HEARTBEAT_MS / 4);
    }
  };

  it("hands a stopped process's waiting jobs to the next one, which runs them under their ids, once each", async () => {
    const ran: string[] = [];
    const first = await processOf('first', ran);
    await first.takeover.start();
    await first.submit('busy', { name: 'busy' }, 1);
    await first.submit('waiting-1', { name: 'waiting-1' }, 2);
    await first.submit('waiting-2', { name: 'waiting-2' }, 3);
    await until('busy runs', () => ran.includes('first busy'));
    const stopping = first.takeover.stop();
    runs.get('busy')?.resolve();
    expect(await stopping).toEqual(['waiting-1', 'waiting-2']);

    const second = await processOf('second', ran);
    await second.takeover.start();
    expect(second.queue.list().map((job) => [job.id, job.status])).toEqual([
      ['waiting-2', 'queued'],
      ['waiting-1', 'running'],
    ]);
    runs.get('waiting-1')?.resolve();
    await until('waiting-2 runs', () => ran.includes('second waiting-2'));
    expect(ran).toEqual(['first busy', 'second waiting-1', 'second waiting-2']);
    expect(await statusOf(second.db, 'waiting-1')).toEqual({ status: 'running', error: null });
  });

  it("leaves a live process's jobs alone: its heartbeat stamps them", async () => {
    const ran: string[] = [];
    const owner = await processOf('owner', ran);
    await owner.takeover.start();
    await owner.submit('busy', { name: 'busy' });
    await owner.submit('waiting', { name: 'waiting' });
    const other = await processOf('other', ran);
    await other.takeover.start();
    // Well past three heartbeats: unstamped, the waiting job would look abandoned by now.
    await sleep(10 * HEARTBEAT_MS);
    expect(other.queue.list()).toEqual([]);
    expect(await other.takeover.interruptStale()).toBe(0);
    expect(await statusOf(other.db, 'busy')).toEqual({ status: 'running', error: null });
    expect(ran).toEqual(['owner busy']);
  });

  it('judges nobody stale on a beat that comes late: a stalled process cannot tell stale from late', async () => {
    const ran: string[] = [];
    const other = await processOf('other', ran);
    await other.takeover.start();
    const owner = await processOf('owner', ran);
    await owner.takeover.start();
    await owner.submit('busy', { name: 'busy' });
    await owner.submit('waiting', { name: 'waiting' });
    // Both share this event loop: block it for ten heartbeats, so every stamp of the owner comes late.
    const blockedUntil = Date.now() + 10 * HEARTBEAT_MS;
    while (Date.now() < blockedUntil);
    await sleep(4 * HEARTBEAT_MS);
    expect(other.queue.list()).toEqual([]);
    expect(owner.queue.find('waiting')?.status).toBe('queued');
  });

  it('takes over only as many as its queue has room for, and ends a job it cannot resume', async () => {
    const ran: string[] = [];
    const seed = await processOf('seed', ran);
    const stale = Date.now() - 60_000;
    for (const [id, request] of [
      ['a', { name: 'a' }],
      ['b', {}],
      ['c', { name: 'c' }],
      ['d', { name: 'd' }],
    ] as const) {
      await seed.db.insertMany('optimization_runs', [
        { id, status: 'queued', request, inputs: {}, submitted_at: id.charCodeAt(0), heartbeat_at: stale },
      ]);
    }
    const taker = await processOf('taker', ran, { maxQueued: 1 });
    await taker.takeover.start();
    // Room for two (one slot, one place to wait): `a` and `b` are claimed, and `b`, without a name, is ended.
    expect(taker.queue.list().map((job) => [job.id, job.status])).toEqual([['a', 'running']]);
    expect(await statusOf(taker.db, 'b')).toEqual({ status: 'failed', error: 'cannot be resumed: no name' });
    await until('c is taken over at a later heartbeat', () => taker.queue.find('c') !== undefined);
    // Now nothing is left to wait in: d stays queued in storage until `a` finishes.
    await sleep(5 * HEARTBEAT_MS);
    expect(taker.queue.find('d')).toBeUndefined();
    expect(await statusOf(taker.db, 'd')).toEqual({ status: 'queued', error: null });
    runs.get('a')?.resolve();
    await until('d is taken over', () => taker.queue.find('d') !== undefined);
    expect(ran).toEqual(['taker a', 'taker c']);
  });

  it('a job two processes hold runs once: the one that starts second drops it unwritten', async () => {
    const ran: string[] = [];
    // The late process's stamps do not land: three heartbeats after it stored its jobs, they look abandoned.
    const late = await processOf('late', ran, { stampsLost: true });
    await late.takeover.start();
    await late.submit('late-own', { name: 'late-own' });
    await late.submit('shared', { name: 'shared' });
    const taker = await processOf('taker', ran);
    await taker.takeover.start();
    await until('the taker runs it', () => ran.includes('taker shared'));
    runs.get('late-own')?.resolve();
    await until('the late process lets it go', () => late.queue.find('shared') === undefined);
    expect(ran).toEqual(['late late-own', 'taker shared']);
    expect(late.queue.healthDetails()).toMatchObject({ completed: 1, failed: 0, cancelled: 0, running: 0 });
  });

  it('ends the running jobs of a process that died as interrupted', async () => {
    const ran: string[] = [];
    const dead = await processOf('dead', ran);
    await dead.db.insertMany('optimization_runs', [
      { id: 'orphan', status: 'running', request: {}, inputs: {}, submitted_at: 1, heartbeat_at: Date.UTC(2024, 0, 1) },
    ]);
    const reader = await processOf('reader', ran);
    expect(await reader.takeover.interruptStale()).toBe(1);
    expect(await statusOf(reader.db, 'orphan')).toEqual({
      status: 'failed',
      error: 'interrupted: the process running it stopped (last heard of at 2024-01-01T00:00:00.000Z)',
    });
  });
});
