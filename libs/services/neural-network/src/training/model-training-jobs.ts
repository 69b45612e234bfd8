import { Worker } from 'node:worker_threads';
import {
  errorMessage,
  isPostgresUrl,
  JobClaimLostError,
  JobQueue,
  JobTakeover,
  OrderedWrites,
  StoredJobWrites,
  NotFoundError,
  resolveIntegerOptions,
  RrrError,
  systemClock,
  ValidationError,
  type Clock,
  type Database,
  type JobQueueHealth,
  type RrrLogger,
} from '@rrr/core';
import { FEATURE_WARMUP_BARS } from '../features/feature-set';
import type { ModelStatus } from '../registry/model-registry';
import type { TrainingJob, TrainingJobProgress, TrainingJobResult } from './training-job';
import { NO_PROGRESS, TrainingProgressTracker } from './training-job-progress';
import { resolveTrainingJobRequest, type TrainingJobRequest } from './training-job-request';
import { TrainingRunStore } from './training-run-store';
import type { TrainingDatabaseOptions, TrainingWorkerMessage, TrainingWorkerRequest } from './training-worker-protocol';
import { trainingWorkerScript } from './training-worker-script';

/** Fewer stored bars than this cannot give features (58 bars of warm-up) and enough samples to fit and validate. */
export const MIN_TRAINING_BARS = 200;

/** A running job's progress is stored at most this often, and at every change of stage. */
export const PROGRESS_WRITE_INTERVAL_MS = 1_000;

export interface ModelTrainingJobsDeps {
  /** Where the request's bars are counted before queueing, and where the jobs are kept (model_training_runs). */
  db: Database;
  /** The same database as `db`, for the worker's own connection: a file (or PostgreSQL), not `:memory:`. */
  database: TrainingDatabaseOptions;
  modelsDir: string;
  logger?: RrrLogger;
  clock?: Clock;
  newId?: () => string;
  /** A prebuilt worker script (JavaScript); default: training-worker.ts bundled on the fly. */
  workerScript?: string;
  /**
   * Called once a job registered an active model, before the job completes; answers whether that model is served
   * now (the live service checks its active models at once instead of at its next periodic check).
   */
  onActivated?: (model: string) => Promise<boolean>;
}

export interface ModelTrainingJobsConfig {
  /** Jobs training at the same time, each on its own worker thread. Default 1. */
  concurrency?: number;
  /** Jobs that may wait; a submit beyond it is refused (503). Default 10. */
  maxQueued?: number;
  /**
   * Finished jobs kept in memory besides the queued and running ones (every job is also stored); the earliest
   * finished go first. Default 50.
   */
  keepJobs?: number;
  /**
   * How often this process stamps its queued and running jobs alive in the database and looks for queued jobs of
   * processes that are gone; a stored running job not stamped for three intervals belonged to a process that died and
   * is reported failed (interrupted). Default 5,000.
   */
  heartbeatMs?: number;
}

/**
 * Training jobs stored in model_training_runs: they outlive their process (a queued job is taken over by the next
 * process on the database, a running one whose process died reads as failed, interrupted), and any process sharing
 * the database answers for any job.
 */
export interface ModelTrainingJobs {
  /**
   * Checks the request in full (ValidationError naming each field, enough stored bars included), then queues it;
   * resolves once the job is stored.
   */
  submit(input: unknown): Promise<TrainingJob>;
  /** A job of this or any other process sharing the database, live or stored; NotFoundError for an unknown id. */
  job(id: string): Promise<TrainingJob>;
  /** The newest `limit` jobs (default 50), newest submitted first. */
  jobs(options?: { limit?: number }): Promise<TrainingJob[]>;
  /**
   * Removes a queued job, or terminates the worker of a running one (it ends cancelled), for jobs this process holds
   * (NotFoundError for others); ConflictError once ended.
   */
  cancel(id: string): TrainingJob;
  /** Starts the queue and the heartbeat; resolves once the queued jobs of processes that are gone are taken over. */
  start(): Promise<void>;
  /**
   * Terminates the running workers (those jobs end cancelled) and hands the waiting jobs over, still queued in
   * storage, to the next process started on the database; resolves once every change is stored.
   */
  stop(): Promise<void>;
  healthDetails(): JobQueueHealth;
}

function checkConfig(config: ModelTrainingJobsConfig): Required<ModelTrainingJobsConfig> {
  return resolveIntegerOptions('model training jobs config', config, {
    concurrency: { fallback: 1, min: 1, max: 8 },
    maxQueued: { fallback: 10, min: 0, max: 1_000 },
    keepJobs: { fallback: 50, min: 1, max: 10_000 },
    heartbeatMs: { fallback: 5_000, min: 10, max: 600_000 },
  });
}

/**
 * `rrr model train` as jobs: each request is checked before it is queued, then trained by the same pipeline
 * (trainModel) on a worker thread with its own database connection — tfjs training blocks its thread — at most
 * `concurrency` at a time. The worker registers the model (and activates it when asked); the job's progress follows
 * the pipeline's reports (stage, epoch), and a cancel terminates the worker.
 *
 * Every job is a row of model_training_runs, taken over like backtests and optimisations (core's JobTakeover): the
 * status changes are stored in the order they happen, the progress of a running job at most once a second and at each
 * change of stage; `stop` leaves the waiting jobs queued in storage for the next started process, which takes them
 * over under their ids (as it does those of a process that died); a job becomes running only through the
 * conditional queued → running update, so none trains twice; a running job whose process died reads as failed,
 * interrupted, once its heartbeat is stale.
 */
export function createModelTrainingJobs(
  deps: ModelTrainingJobsDeps,
  config: ModelTrainingJobsConfig = {},
): ModelTrainingJobs {
  const settings = checkConfig(config);
  const clock = deps.clock ?? systemClock;
  const store = new TrainingRunStore(deps.db);
  // The stored rows follow the status changes in order; a failed write is logged and the job goes on (the next
  // change writes the whole row again).
  const writes = new OrderedWrites(deps.logger);
  const persist = writes.persist;
  const statusWrites = new StoredJobWrites<TrainingJob, 'model_training_runs'>({
    table: store.jobs,
    rows: store,
    writes,
    now: () => clock.now(),
    jobName: 'training',
    startColumns: (job) => ({ started_at: job.startedAt }),
  });
  /**
   * When the jobs this process took over were submitted (to the process that is gone): the queue stamps its own
   * submit time, but a job keeps the one its client saw, as its stored row does.
   */
  const submittedBefore = new Map<string, number>();
  /** A job this process holds, as it is shown: with its original submit time when it was taken over. */
  const shown = (job: TrainingJob): TrainingJob => {
    const submittedAt = submittedBefore.get(job.id);
    return submittedAt === undefined ? job : { ...job, submittedAt };
  };

  /** Stores a running job's progress at a change of stage, and otherwise at most every PROGRESS_WRITE_INTERVAL_MS. */
  const progressWriter = (id: string): ((progress: TrainingJobProgress) => void) => {
    let stage: TrainingJobProgress['stage'] = null;
    let writtenAt = -Infinity;
    return (progress) => {
      const now = clock.now();
      if (progress.stage === stage && now - writtenAt < PROGRESS_WRITE_INTERVAL_MS) return;
      stage = progress.stage;
      writtenAt = now;
      persist('store the progress of a training job', () => store.saveProgress(id, progress));
    };
  };

  const inMemory = !isPostgresUrl(deps.database.url) && deps.database.sqlitePath.trim() === ':memory:';

  /** Trains `request` on a worker; resolves with what it registered, rejects with why it failed or was cancelled. */
  const train = async (
    request: TrainingJobRequest,
    signal: AbortSignal,
    onProgress: (message: Extract<TrainingWorkerMessage, { type: 'progress' }>) => void,
  ): Promise<Extract<TrainingWorkerMessage, { type: 'done' }>> => {
    const script = deps.workerScript ?? (await trainingWorkerScript());
    return new Promise((resolve, reject) => {
      // Cancelled while the script was being bundled: no worker to start.
      if (signal.aborted) return reject(signal.reason);
      const worker = new Worker(script);
      const terminate = (): void => void worker.terminate();
      signal.addEventListener('abort', terminate, { once: true });
      let answered = false;
      worker.on('message', (message: TrainingWorkerMessage) => {
        if (message.type === 'progress') return onProgress(message);
        answered = true;
        if (message.type === 'done') resolve(message);
        else
          reject(
            message.problems === undefined
              ? new Error(message.message)
              : new ValidationError('training', message.problems),
          );
        terminate();
      });
      worker.once('error', (error) => {
        answered = true;
        reject(error);
      });
      worker.once('exit', (code) => {
        signal.removeEventListener('abort', terminate);
        if (!answered) reject(signal.aborted ? signal.reason : new Error(`training worker exited with code ${code}`));
      });
      worker.postMessage({
        request,
        database: deps.database,
        modelsDir: deps.modelsDir,
      } satisfies TrainingWorkerRequest);
    });
  };

  const queue = new JobQueue<TrainingJob>({
    service: 'neural-network',
    jobName: 'training',
    unknownJobName: 'training job',
    concurrency: settings.concurrency,
    maxQueued: settings.maxQueued,
    keepFinished: settings.keepJobs,
    clock,
    ...(deps.newId === undefined ? {} : { newId: deps.newId }),
    onStatusChange: statusWrites.statusChanged,
    run: async (job, signal, report) => {
      // Queued → running only while the stored row is still queued: a job another process took over (this one's
      // stamps were late) and started, or ended, is dropped here untrained and unwritten.
      if (!(await statusWrites.begin(job))) throw new JobClaimLostError('training', job.id);
      const tracker = new TrainingProgressTracker(job.request);
      const storeProgress = progressWriter(job.id);
      try {
        const done = await train(job.request, signal, ({ progress }) => {
          const current = tracker.update(progress);
          report({ progress: current });
          // Not after a cancel: the job ends with the progress it had, and its final row is being written.
          if (!signal.aborted) storeProgress(current);
        });
        const served =
          done.status === 'active' && deps.onActivated !== undefined ? await deps.onActivated(done.model) : false;
        const result: TrainingJobResult = {
          model: done.model,
          id: done.id,
          status: done.status as ModelStatus,
          served,
          verdict: done.verdict,
          holdoutAccuracy: done.holdoutAccuracy,
        };
        deps.logger?.info(
          { job: job.id, model: done.model, status: done.status, served },
          'training job registered a model',
        );
        return { result, progress: { ...tracker.progress, fraction: 1 } };
      } catch (error) {
        if (!signal.aborted) deps.logger?.warn({ job: job.id, err: error }, 'training job failed');
        throw error;
      }
    },
  });

  /** Refuses a series with too few stored bars, naming the field that chose it. */
  const checkStoredBars = async (request: TrainingJobRequest): Promise<void> => {
    const row = await deps.db.queryOne<{ n: number }>(
      'SELECT COUNT(*) AS n FROM bars WHERE symbol = ? AND interval = ?',
      [request.symbol, request.interval],
    );
    const stored = Number(row?.n ?? 0);
    if (stored >= MIN_TRAINING_BARS) return;
    throw new ValidationError('training request', [
      {
        field: 'symbol',
        message:
          stored === 0
            ? `has no ${request.interval} bars stored (GET /api/v1/symbols lists the stored series)`
            : `has ${stored} ${request.interval} bars stored; training needs at least ${MIN_TRAINING_BARS} (${FEATURE_WARMUP_BARS} of them warm the features up)`,
        value: request.symbol,
      },
    ]);
  };

  /**
   * Before a read: this process's own pending writes land, and the running jobs of dead processes are ended (stored
   * as failed, interrupted), so the read shows every job as it really stands.
   */
  const settleStaleJobs = async (): Promise<void> => {
    await writes.settled();
    await takeover.interruptStale();
  };

  const takeover = new JobTakeover({
    queue,
    table: store.jobs,
    heartbeatMs: settings.heartbeatMs,
    jobName: 'training job',
    clock,
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    persist,
    resume: (row) => {
      let request: TrainingJobRequest;
      try {
        // Checked again, as at submit: a request stored by another build may no longer be one this build trains.
        request = resolveTrainingJobRequest(JSON.parse(String(row.request)));
      } catch (error) {
        return `the stored request cannot be trained: ${errorMessage(error)}`;
      }
      // Forgets the submit times of taken-over jobs the queue no longer remembers either.
      for (const id of submittedBefore.keys()) if (queue.find(id) === undefined) submittedBefore.delete(id);
      submittedBefore.set(row.id, Number(row.submitted_at));
      return { request, progress: NO_PROGRESS, result: null };
    },
  });

  return {
    async submit(input) {
      queue.assertAccepting();
      if (inMemory) {
        throw new RrrError(
          'SERVICE_UNAVAILABLE',
          "training jobs need a database file or PostgreSQL: a ':memory:' SQLite database is private to this connection, and the worker opens its own",
        );
      }
      const request = resolveTrainingJobRequest(input);
      await checkStoredBars(request);
      const job = queue.submit({ request, progress: NO_PROGRESS, result: null });
      // Written before it is acknowledged, so any process sharing the database finds it (a failed write is logged
      // and the job trains on here: the next status change writes the whole row again).
      await writes.settled();
      return job;
    },
    async job(id) {
      const live = queue.find(id);
      if (live !== undefined) return shown(live);
      await settleStaleJobs();
      const stored = await store.get(id);
      if (stored === undefined) throw new NotFoundError('training job', id);
      return stored;
    },
    async jobs(options = {}) {
      const limit = options.limit ?? 50;
      await settleStaleJobs();
      const stored = await store.list(limit);
      // This process's own jobs from memory: their progress is newer than the stored row.
      return stored.map((job) => {
        const live = queue.find(job.id);
        return live === undefined ? job : shown(live);
      });
    },
    cancel: (id) => queue.cancel(id),
    start: () => takeover.start(),
    async stop() {
      // Running workers are terminated (those jobs end cancelled); waiting jobs are handed over, not cancelled.
      await takeover.stop();
      await writes.settled();
    },
    healthDetails: () => queue.healthDetails(),
  };
}
