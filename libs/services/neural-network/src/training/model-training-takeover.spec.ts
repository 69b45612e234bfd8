import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NotFoundError, openDatabase, type Database } from '@rrr/core';
import { ModelRegistry } from '../registry/model-registry';
import { loadSp500Bars } from '../testing/daily-csv-bars';
import { createModelTrainingJobs, type ModelTrainingJobs } from './model-training-jobs';
import type { TrainingJob } from './training-job';
import { resolveTrainingJobRequest } from './training-job-request';
import { TrainingRunStore } from './training-run-store';
import { trainingWorkerScript } from './training-worker-script';

const HEARTBEAT_MS = 100;
/** An mlp with no early stopping: trains for many seconds, long enough to hold the one slot. */
const SLOW = {
  symbol: 'SPX',
  kind: 'mlp',
  name: 'spx-slow',
  hyperparameters: { maxEpochs: 500, patience: 500, batchSize: 8 },
};
const QUICK = { symbol: 'SPX', name: 'spx-taken-over', activate: false, hyperparameters: { maxEpochs: 40 } };

/** Polls `read` until `done` holds for the job it returns. */
async function until(read: () => Promise<TrainingJob | undefined>, done: (job: TrainingJob) => boolean) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const job = await read();
    if (job !== undefined && done(job)) return job;
    if (Date.now() > deadline) throw new Error(`timed out; the job is ${job?.status}: ${job?.progress.message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/**
 * Training jobs outlive their process: a stopped process's waiting jobs stay queued in model_training_runs and the
 * next process on the database trains them under their ids; a running job whose process died reads as failed
 * (interrupted); any process answers for any job, and only the holder cancels one.
 */
describe('training jobs stored and taken over', () => {
  let dir: string;
  let sqlitePath: string;
  let modelsDir: string;
  let db: Database;
  let store: TrainingRunStore;
  let workerScript: string;
  const started: ModelTrainingJobs[] = [];
  /** A training-jobs service of its own "process" on the shared database. */
  const service = (): ModelTrainingJobs => {
    const created = createModelTrainingJobs(
      { db, database: { sqlitePath }, modelsDir, workerScript },
      { concurrency: 1, heartbeatMs: HEARTBEAT_MS },
    );
    started.push(created);
    return created;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-nn-training-takeover-'));
    sqlitePath = join(dir, 'rrr.db');
    modelsDir = join(dir, 'models');
    db = await openDatabase({ sqlitePath });
    store = new TrainingRunStore(db);
    workerScript = await trainingWorkerScript();
    await db.insertMany(
      'bars',
      loadSp500Bars()
        .slice(-600)
        .map(({ symbol, interval, ts, open, high, low, close, volume }) => ({
          symbol,
          interval,
          ts,
          open,
          high,
          low,
          close,
          volume,
        })),
    );
  }, 30_000);

  afterEach(async () => {
    for (const s of started.splice(0)) await s.stop();
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a stopped process leaves its waiting job queued; the next one trains it under the same id', async () => {
    const first = service();
    await first.start();
    const slow = await first.submit(SLOW);
    const waiting = await first.submit(QUICK);
    // Stored as soon as it is acknowledged.
    expect(await store.get(waiting.id)).toMatchObject({ status: 'queued', request: { name: 'spx-taken-over' } });

    // The running job's progress is stored as it trains, so another process reads it — but cannot cancel it.
    const other = service();
    const training = await until(
      () => other.job(slow.id),
      (job) => job.progress.stage === 'epoch',
    );
    expect(training).toMatchObject({ status: 'running', progress: { maxEpochs: 500, member: null } });
    expect(training.progress.epoch).toBeGreaterThanOrEqual(1);
    expect(() => other.cancel(slow.id)).toThrow(NotFoundError);
    expect((await other.jobs()).map((job) => [job.id, job.status])).toEqual([
      [waiting.id, 'queued'],
      [slow.id, 'running'],
    ]);

    await first.stop();
    // The running job ended cancelled; the waiting one is still queued in storage, vouched for by nobody.
    expect(await store.get(slow.id)).toMatchObject({
      status: 'cancelled',
      error: 'cancelled: the neural-network service stopped',
    });
    expect(
      await db.queryOne('SELECT status, heartbeat_at FROM model_training_runs WHERE id = ?', [waiting.id]),
    ).toEqual({ status: 'queued', heartbeat_at: 0 });
    // The stopped process no longer holds it (it would say cancelled): it reads the stored row.
    expect((await first.job(waiting.id)).status).toBe('queued');

    const second = service();
    await second.start();
    const done = await until(
      () => second.job(waiting.id),
      (job) => job.status !== 'queued' && job.status !== 'running',
    );
    expect(done.error).toBeUndefined();
    expect(done).toMatchObject({
      id: waiting.id,
      status: 'completed',
      request: resolveTrainingJobRequest(QUICK),
      submittedAt: waiting.submittedAt,
      progress: { stage: 'done', fraction: 1, maxEpochs: 40 },
      result: { model: 'spx-taken-over@1', status: 'trained', served: false },
    });
    const record = await new ModelRegistry({ db, modelsDir }).get('spx-taken-over@1');
    expect(record).toMatchObject({ status: 'trained', id: done.result?.id });
    // Stored as completed: the first process, and any other, reads the same job.
    expect(await first.job(waiting.id)).toEqual(done);
    expect(await store.get(waiting.id)).toEqual(done);
  }, 60_000);

  it('a running job whose process died reads as failed, interrupted, once its heartbeat is stale', async () => {
    // What a process that started the job and then died leaves behind: a running row it no longer stamps.
    const now = Date.now();
    const orphan: TrainingJob = {
      id: 'orphan-running',
      status: 'running',
      request: resolveTrainingJobRequest({ ...QUICK, name: 'spx-interrupted' }),
      progress: {
        stage: 'epoch',
        message: 'logistic epoch 3/40',
        epoch: 3,
        maxEpochs: 40,
        member: null,
        fraction: 0.1,
      },
      result: null,
      submittedAt: now - 1_000,
      startedAt: now - 500,
      finishedAt: null,
    };
    await store.save(orphan, now);
    const reader = service();
    await reader.start();
    // Its heartbeat is fresh: it may still be training somewhere.
    expect(await reader.job(orphan.id)).toEqual(orphan);
    await new Promise((resolve) => setTimeout(resolve, 4 * HEARTBEAT_MS));
    const ended = await reader.job(orphan.id);
    expect(ended).toMatchObject({ status: 'failed', result: null, progress: orphan.progress });
    expect(ended.error).toBe(
      `interrupted: the process running it stopped (last heard of at ${new Date(now).toISOString()})`,
    );
    expect(ended.finishedAt).toBeGreaterThanOrEqual(now + 3 * HEARTBEAT_MS);
    expect(await store.get(orphan.id)).toEqual(ended);
    // Nobody takes over a job that was running: it is not trained again.
    await new Promise((resolve) => setTimeout(resolve, 2 * HEARTBEAT_MS));
    expect((await reader.jobs()).find((job) => job.id === orphan.id)?.status).toBe('failed');
    expect(await new ModelRegistry({ db, modelsDir }).list({ name: 'spx-interrupted' })).toEqual([]);
  });

  it('takes over a queued job whose process died, and ends one it cannot train as failed', async () => {
    const now = Date.now();
    const queued = (id: string, request: TrainingJob['request']): TrainingJob => ({
      id,
      status: 'queued',
      request,
      progress: {
        stage: null,
        message: 'waiting for the worker',
        epoch: null,
        maxEpochs: null,
        member: null,
        fraction: 0,
      },
      result: null,
      submittedAt: now,
      startedAt: null,
      finishedAt: null,
    });
    // Stamped long ago by processes that are gone.
    await store.save(queued('orphan-queued', resolveTrainingJobRequest({ ...QUICK, name: 'spx-orphan' })), 1);
    await store.save(queued('orphan-bad', { ...resolveTrainingJobRequest(QUICK), kind: 'forest' as never }), 1);
    const taker = service();
    await taker.start();
    const done = await until(
      () => taker.job('orphan-queued'),
      (job) => job.status === 'completed' || job.status === 'failed',
    );
    expect(done).toMatchObject({ status: 'completed', result: { model: 'spx-orphan@1' } });
    expect(await taker.job('orphan-bad')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/^the stored request cannot be trained: .*kind/),
    });
  }, 60_000);

  it('looks for stale jobs through the partial heartbeat index, not the whole table', async () => {
    const plan = async (status: string) =>
      (
        await db.query<{ detail: string }>(
          `EXPLAIN QUERY PLAN SELECT id FROM model_training_runs WHERE status = '${status}' AND heartbeat_at < ? ` +
            'ORDER BY submitted_at, id LIMIT ?',
          [0, 10],
        )
      ).map((step) => step.detail);
    expect((await plan('queued'))[0]).toContain('USING INDEX model_training_runs_unfinished_heartbeat_idx');
    expect((await plan('running'))[0]).toContain('USING INDEX model_training_runs_unfinished_heartbeat_idx');
  });
});
