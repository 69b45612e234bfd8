import { ConflictError, NotFoundError, RrrError, ValidationError } from '../errors';
import { ManualClock } from '../time';
import { JobClaimLostError } from './job-claim-lost-error';
import { JobQueue, type JobQueueOptions, type JobRecord } from './job-queue';

interface SumJob extends JobRecord {
  request: { n: number };
  done: number;
  result: number | null;
}

/** A run the test finishes by hand: each started job waits until the test resolves or rejects it. */
interface Started {
  job: Readonly<SumJob>;
  signal: AbortSignal;
  report: (patch: Partial<Pick<SumJob, 'done'>>) => void;
  resolve: (result: number) => void;
  reject: (error: unknown) => void;
}

function sums(overrides: Partial<JobQueueOptions<SumJob>> = {}) {
  const clock = new ManualClock(1_000);
  const started: Started[] = [];
  let ids = 0;
  const queue = new JobQueue<SumJob>({
    service: 'summing',
    jobName: 'sum',
    concurrency: 1,
    maxQueued: 10,
    keepFinished: 100,
    clock,
    newId: () => `job-${++ids}`,
    run: (job, signal, report) =>
      new Promise((resolve, reject) => {
        started.push({ job, signal, report, resolve: (result) => resolve({ result }), reject });
        // A run that honours its signal, as a real one must for stop() to return.
        signal.addEventListener('abort', () => reject(new Error('run saw the abort')), { once: true });
      }),
    ...overrides,
  });
  const submit = (n: number): SumJob => queue.submit({ request: { n }, done: 0, result: null });
  return { queue, clock, started, submit };
}

/** Lets queued promise callbacks (a settled run, the next launch) happen. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

async function refusal(action: () => unknown): Promise<unknown> {
  try {
    await action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

describe('JobQueue', () => {
  it('tells onStatusChange of every status change, in order, with the job as it then stands', async () => {
    const changes: string[] = [];
    const { queue, started, submit, clock } = sums({
      onStatusChange: (job) =>
        changes.push(
          `${job.id} ${job.status} started=${job.startedAt} result=${job.result}${job.error ? ` (${job.error})` : ''}`,
        ),
    });
    queue.start();
    submit(1);
    submit(2);
    submit(3);
    clock.advance(5);
    queue.cancel('job-3');
    started[0].resolve(10);
    await settle();
    await queue.stop();
    expect(changes).toEqual([
      'job-1 queued started=null result=null',
      'job-1 running started=1000 result=null',
      'job-2 queued started=null result=null',
      'job-3 queued started=null result=null',
      'job-3 cancelled started=null result=null (cancelled before it started)',
      'job-1 completed started=1000 result=10',
      'job-2 running started=1005 result=null',
      'job-2 cancelled started=1005 result=null (cancelled: the summing service stopped)',
    ]);
  });

  it('runs nothing before start(), then jobs in submission order, one at a time by default', async () => {
    const { queue, started, submit, clock } = sums();
    expect(await refusal(() => submit(1))).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the summing service is not running',
      details: { service: 'summing' },
    });
    queue.start();
    const first = submit(1);
    clock.set(2_000);
    const second = submit(2);
    const third = submit(3);
    expect(first).toMatchObject({ id: 'job-1', status: 'running', submittedAt: 1_000, startedAt: 1_000 });
    expect(second).toMatchObject({ id: 'job-2', status: 'queued', submittedAt: 2_000, startedAt: null });
    expect(queue.healthDetails()).toEqual({
      queued: 2,
      running: 1,
      concurrency: 1,
      maxQueued: 10,
      completed: 0,
      failed: 0,
      cancelled: 0,
    });

    clock.set(3_000);
    started[0].resolve(10);
    await settle();
    expect(queue.get(first.id)).toEqual({
      id: 'job-1',
      status: 'completed',
      request: { n: 1 },
      done: 0,
      result: 10,
      submittedAt: 1_000,
      startedAt: 1_000,
      finishedAt: 3_000,
    });
    expect(started.map((s) => s.job.id)).toEqual(['job-1', 'job-2']);
    expect(queue.get(second.id)).toMatchObject({ status: 'running', startedAt: 3_000 });
    started[1].resolve(20);
    await settle();
    started[2].resolve(30);
    await settle();
    expect(started.map((s) => s.job.request.n)).toEqual([1, 2, 3]);
    expect(queue.list().map((j) => [j.id, j.status, j.result])).toEqual([
      [third.id, 'completed', 30],
      [second.id, 'completed', 20],
      [first.id, 'completed', 10],
    ]);
    expect(queue.healthDetails()).toMatchObject({ queued: 0, running: 0, completed: 3 });
    await queue.stop();
  });

  it('never runs more than `concurrency` jobs at once', async () => {
    const { queue, started, submit } = sums({ concurrency: 3 });
    queue.start();
    let busiest = 0;
    const jobs = Array.from({ length: 8 }, (_, i) => submit(i));
    while (started.some((s) => queue.get(s.job.id).status === 'running')) {
      const running = queue.list().filter((j) => j.status === 'running');
      busiest = Math.max(busiest, running.length);
      expect(queue.healthDetails().running).toBe(running.length);
      expect(running.length).toBeLessThanOrEqual(3);
      // Finish the earliest running job; the next waiting one takes its slot.
      started.find((s) => queue.get(s.job.id).status === 'running')?.resolve(0);
      await settle();
    }
    expect(busiest).toBe(3);
    expect(started.map((st) => st.job.id)).toEqual(jobs.map((j) => j.id));
    expect(queue.healthDetails()).toMatchObject({ completed: 8, running: 0, queued: 0 });
    await queue.stop();
  });

  it('refuses a submit once the slots and the queue are full, naming the limit', async () => {
    const { queue, started, submit } = sums({ concurrency: 2, maxQueued: 1 });
    queue.start();
    submit(1);
    submit(2);
    submit(3);
    const error = await refusal(() => submit(4));
    expect(error).toBeInstanceOf(RrrError);
    expect(error).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the sum queue is full (1 jobs waiting)',
      details: { service: 'summing', queued: 1, maxQueued: 1 },
    });
    expect(() => queue.assertAccepting()).toThrow('the sum queue is full (1 jobs waiting)');
    expect(queue.list()).toHaveLength(3);
    started[0].resolve(1);
    await settle();
    expect(() => queue.assertAccepting()).not.toThrow();
    expect(submit(5).status).toBe('queued');
    await queue.stop();
  });

  it('says how many more jobs a submit would take: free slots plus free places to wait, none while stopped', async () => {
    const { queue, started, submit } = sums({ concurrency: 2, maxQueued: 3 });
    expect(queue.room()).toBe(0);
    queue.start();
    expect(queue.room()).toBe(5);
    submit(1);
    expect(queue.room()).toBe(4);
    submit(2);
    submit(3);
    expect(queue.room()).toBe(2);
    submit(4);
    submit(5);
    expect(queue.room()).toBe(0);
    started[0].resolve(1);
    await settle();
    expect(queue.room()).toBe(1);
    await queue.stop();
    expect(queue.room()).toBe(0);
  });

  it('with maxQueued 0 takes only what the free slots can run', async () => {
    const { queue, submit } = sums({ maxQueued: 0 });
    queue.start();
    expect(submit(1).status).toBe('running');
    expect(await refusal(() => submit(2))).toMatchObject({ message: 'the sum queue is full (0 jobs waiting)' });
    await queue.stop();
  });

  it('a failing job ends failed with its message, and the next one runs', async () => {
    const { queue, submit, clock } = sums({
      run: async (job, _signal, report) => {
        report({ done: 1 });
        if (job.request.n < 0) throw new RangeError(`cannot sum ${job.request.n}`);
        if (job.request.n === 0) throw 'a bare string';
        return { result: job.request.n * 2 };
      },
    });
    queue.start();
    const bad = submit(-1);
    const odd = submit(0);
    const good = submit(4);
    clock.set(5_000);
    await settle();
    expect(queue.get(bad.id)).toMatchObject({ status: 'failed', error: 'cannot sum -1', done: 1, finishedAt: 5_000 });
    expect(queue.get(odd.id)).toMatchObject({ status: 'failed', error: 'a bare string' });
    expect(queue.get(good.id)).toMatchObject({ status: 'completed', result: 8, done: 1 });
    expect(queue.get(good.id).error).toBeUndefined();
    expect(queue.healthDetails()).toMatchObject({ completed: 1, failed: 2 });
    await queue.stop();
  });

  it('a run that throws synchronously fails its job instead of the submit', async () => {
    const { queue, submit } = sums({
      run: () => {
        throw new Error('broke before its first await');
      },
    });
    queue.start();
    const job = submit(1);
    expect(job.status).toBe('running');
    await settle();
    expect(queue.get(job.id)).toMatchObject({ status: 'failed', error: 'broke before its first await' });
    await queue.stop();
  });

  it('applies progress patches while running, hands out copies, and ignores reports after the job ended', async () => {
    const { queue, started, submit } = sums();
    queue.start();
    const job = submit(1);
    started[0].report({ done: 40 });
    const seen = queue.get(job.id);
    expect(seen.done).toBe(40);
    seen.done = 99;
    seen.status = 'failed';
    expect(queue.get(job.id)).toMatchObject({ done: 40, status: 'running' });
    queue.cancel(job.id);
    await settle();
    started[0].report({ done: 77 });
    expect(queue.get(job.id)).toMatchObject({ done: 40, status: 'cancelled' });
    await queue.stop();
  });

  it('cancels a waiting job at once and aborts a running one with the reason as its error', async () => {
    const { queue, started, submit } = sums();
    queue.start();
    const running = submit(1);
    const waiting = submit(2);
    expect(queue.cancel(waiting.id)).toMatchObject({ status: 'cancelled', error: 'cancelled before it started' });
    expect(queue.cancel(running.id).status).toBe('running'); // it ends when its run settles
    expect(started[0].signal.aborted).toBe(true);
    expect((started[0].signal.reason as Error).message).toBe('cancelled on request');
    await settle();
    // The run rejected with its own error, but the job reports why it was aborted.
    expect(queue.get(running.id)).toMatchObject({ status: 'cancelled', error: 'cancelled on request' });
    expect(started).toHaveLength(1); // the cancelled waiting job never ran
    expect(queue.healthDetails()).toMatchObject({ cancelled: 2, running: 0, queued: 0 });

    const conflict = await refusal(() => queue.cancel(running.id));
    expect(conflict).toBeInstanceOf(ConflictError);
    expect(conflict).toMatchObject({
      message: 'sum job-1 is already cancelled',
      details: { id: 'job-1', status: 'cancelled' },
    });
    await queue.stop();
  });

  it('a run that completes although it was aborted ends completed', async () => {
    const { queue, submit } = sums({
      run: async (_job, signal) => {
        await settle();
        return { result: signal.aborted ? -1 : 1 };
      },
    });
    queue.start();
    const job = submit(1);
    queue.cancel(job.id);
    await settle();
    await settle();
    expect(queue.get(job.id)).toMatchObject({ status: 'completed', result: -1 });
    await queue.stop();
  });

  it('stop({ handOverWaiting }) lets the waiting jobs go as they stand: forgotten, unchanged, returned', async () => {
    const changes: string[] = [];
    const { queue, submit } = sums({ onStatusChange: (job) => void changes.push(`${job.id} ${job.status}`) });
    queue.start();
    const running = submit(1);
    const waiting = [submit(2), submit(3)];
    changes.length = 0;
    const handedOver = await queue.stop({ handOverWaiting: true });
    expect(handedOver).toEqual(
      waiting.map((j) => expect.objectContaining({ id: j.id, status: 'queued', startedAt: null })),
    );
    // Only the running job changed (aborted); the waiting ones are no longer this queue's to answer for.
    expect(changes).toEqual([`${running.id} cancelled`]);
    for (const job of waiting) expect(queue.find(job.id)).toBeUndefined();
    expect(queue.healthDetails()).toMatchObject({ queued: 0, running: 0, cancelled: 1 });
  });

  it('stop() cancels waiting jobs, aborts running ones and resolves only once their runs have settled', async () => {
    let cleanedUp = 0;
    const { queue, submit } = sums({
      concurrency: 2,
      run: (_job, signal) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => {
            // Cleanup that takes a while (marking a stored run failed, terminating a worker).
            setTimeout(() => {
              cleanedUp += 1;
              reject(new Error('aborted'));
            }, 5);
          });
        }),
    });
    queue.start();
    const jobs = [submit(1), submit(2), submit(3)];
    await queue.stop();
    expect(cleanedUp).toBe(2);
    expect(jobs.map((j) => queue.get(j.id))).toEqual([
      expect.objectContaining({ status: 'cancelled', error: 'cancelled: the summing service stopped' }),
      expect.objectContaining({ status: 'cancelled', error: 'cancelled: the summing service stopped' }),
      expect.objectContaining({
        status: 'cancelled',
        error: 'cancelled: the summing service stopped',
        startedAt: null,
      }),
    ]);
    expect(queue.started).toBe(false);
    expect(queue.healthDetails()).toMatchObject({ queued: 0, running: 0, cancelled: 3 });
    expect(await refusal(() => submit(4))).toMatchObject({ message: 'the summing service is not running' });

    // Started again, it takes work as before.
    queue.start();
    expect(submit(5).status).toBe('running');
    await queue.stop();
    expect(cleanedUp).toBe(3);
  });

  it('forgets the earliest finished jobs beyond keepFinished, never a waiting or running one', async () => {
    const { queue, started, submit } = sums({ concurrency: 2, keepFinished: 2 });
    queue.start();
    const [a, b, c, d, e] = [1, 2, 3, 4, 5].map(submit);
    // Finish out of submission order: b before a.
    started[1].resolve(2);
    await settle();
    started[0].resolve(1);
    await settle();
    expect(queue.list().map((j) => j.id)).toEqual([e.id, d.id, c.id, b.id, a.id]);
    started[2].resolve(3); // c finishes third: b, the earliest finished, is forgotten
    await settle();
    expect(queue.list().map((j) => j.id)).toEqual([e.id, d.id, c.id, a.id]);
    expect(queue.find(b.id)).toBeUndefined();
    expect(await refusal(() => queue.get(b.id))).toMatchObject({ message: `sum "${b.id}" not found` });
    queue.cancel(e.id); // cancelled is finished too: a, the earliest finished now, goes
    await settle();
    expect(queue.list().map((j) => [j.id, j.status])).toEqual([
      [e.id, 'cancelled'],
      [d.id, 'running'],
      [c.id, 'completed'],
    ]);
    expect(queue.healthDetails()).toMatchObject({ completed: 3, cancelled: 1, running: 1 });
    await queue.stop();
  });

  it('with keepFinished 0 forgets a job as it finishes', async () => {
    const { queue, started, submit } = sums({ keepFinished: 0 });
    queue.start();
    const job = submit(1);
    started[0].resolve(1);
    await settle();
    expect(queue.find(job.id)).toBeUndefined();
    expect(queue.healthDetails()).toMatchObject({ completed: 1 });
  });

  it('takes a job under a given id, refusing one it holds queued or running and replacing a finished one', async () => {
    const { queue, started } = sums();
    queue.start();
    const fields = (n: number) => ({ request: { n }, done: 0, result: null });
    expect(queue.submit(fields(1), { id: 'stored-1' })).toMatchObject({ id: 'stored-1', status: 'running' });
    expect(queue.submit(fields(2), { id: 'stored-2' })).toMatchObject({ id: 'stored-2', status: 'queued' });
    for (const [id, status] of [
      ['stored-1', 'running'],
      ['stored-2', 'queued'],
    ]) {
      const conflict = await refusal(() => queue.submit(fields(3), { id }));
      expect(conflict).toBeInstanceOf(ConflictError);
      expect(conflict).toMatchObject({ message: `sum ${id} is already ${status}`, details: { id, status } });
    }
    expect(queue.healthDetails()).toMatchObject({ running: 1, queued: 1 });

    queue.cancel('stored-2');
    const again = queue.submit(fields(4), { id: 'stored-2' });
    expect(again).toMatchObject({ id: 'stored-2', status: 'queued', request: { n: 4 } });
    expect(again.error).toBeUndefined();
    expect(queue.list().map((j) => [j.id, j.status])).toEqual([
      ['stored-2', 'queued'],
      ['stored-1', 'running'],
    ]);
    started[0].resolve(1);
    await settle();
    expect(started.map((s) => s.job.request.n)).toEqual([1, 4]);
    await queue.stop();
  });

  it('names unknown ids with unknownJobName, and ids default to UUIDs', async () => {
    const { queue } = sums({ unknownJobName: 'sum job', newId: undefined });
    queue.start();
    const error = await refusal(() => queue.cancel('nope'));
    expect(error).toBeInstanceOf(NotFoundError);
    expect(error).toMatchObject({ code: 'NOT_FOUND', message: 'sum job "nope" not found' });
    expect(queue.find('nope')).toBeUndefined();
    const job = queue.submit({ request: { n: 1 }, done: 0, result: null });
    expect(job.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    await queue.stop();
  });

  it('checks its options, naming every bad one', async () => {
    const error = await refusal(() => sums({ concurrency: 0, maxQueued: -1, keepFinished: 1.5 }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'concurrency: must be an integer >= 1',
      'maxQueued: must be an integer >= 0',
      'keepFinished: must be an integer >= 0',
    ]);
  });

  it('forgets, without a status change, a job whose run lost its claim, and runs the next one', async () => {
    const changes: string[] = [];
    const { queue, started, submit } = sums({ onStatusChange: (job) => changes.push(`${job.id} ${job.status}`) });
    queue.start();
    submit(1);
    submit(2);
    started[0].reject(new JobClaimLostError('sum', 'job-1'));
    await settle();
    expect(queue.find('job-1')).toBeUndefined();
    expect(() => queue.get('job-1')).toThrow(NotFoundError);
    expect(changes).toEqual(['job-1 queued', 'job-1 running', 'job-2 queued', 'job-2 running']);
    expect(queue.healthDetails()).toMatchObject({ queued: 0, running: 1, completed: 0, failed: 0, cancelled: 0 });
    expect(new JobClaimLostError('sum', 'job-1')).toMatchObject({
      code: 'CONFLICT',
      message: 'sum job-1 is no longer queued here: another process started or ended it',
      details: { id: 'job-1' },
    });
    started[1].resolve(3);
    await settle();
    expect(queue.get('job-2')).toMatchObject({ status: 'completed', result: 3 });
  });
});
