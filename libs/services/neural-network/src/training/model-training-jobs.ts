import { Worker } from 'node:worker_threads';
import {
  isPostgresUrl,
  JobQueue,
  resolveIntegerOptions,
  RrrError,
  ValidationError,
  type Clock,
  type Database,
  type JobQueueHealth,
  type RrrLogger,
} from '@rrr/core';
import { FEATURE_WARMUP_BARS } from '../features/feature-set';
import type { ModelStatus } from '../registry/model-registry';
import type { TrainingJob, TrainingJobResult } from './training-job';
import { NO_PROGRESS, TrainingProgressTracker } from './training-job-progress';
import { resolveTrainingJobRequest, type TrainingJobRequest } from './training-job-request';
import type { TrainingDatabaseOptions, TrainingWorkerMessage, TrainingWorkerRequest } from './training-worker-protocol';
import { trainingWorkerScript } from './training-worker-script';

/** Fewer stored bars than this cannot give features (58 bars of warm-up) and enough samples to fit and validate. */
export const MIN_TRAINING_BARS = 200;

export interface ModelTrainingJobsDeps {
  /** Where the request's bars are counted before queueing. */
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
  /** Finished jobs remembered besides the queued and running ones. Default 50. */
  keepJobs?: number;
}

/** Training jobs of one process, kept in memory (a restart forgets them; the models they registered stay). */
export interface ModelTrainingJobs {
  /** Checks the request in full (ValidationError naming each field, enough stored bars included), then queues it. */
  submit(input: unknown): Promise<TrainingJob>;
  /** A job of this process; NotFoundError for an unknown (or forgotten) id. */
  job(id: string): TrainingJob;
  /** Remembered jobs, newest submitted first. */
  jobs(): TrainingJob[];
  /** Removes a queued job, or terminates the worker of a running one (it ends cancelled); ConflictError once ended. */
  cancel(id: string): TrainingJob;
  start(): void;
  /** Cancels the waiting jobs and terminates the running workers; resolves once every job has ended. */
  stop(): Promise<void>;
  healthDetails(): JobQueueHealth;
}

function checkConfig(config: ModelTrainingJobsConfig): Required<ModelTrainingJobsConfig> {
  return resolveIntegerOptions('model training jobs config', config, {
    concurrency: { fallback: 1, min: 1, max: 8 },
    maxQueued: { fallback: 10, min: 0, max: 1_000 },
    keepJobs: { fallback: 50, min: 1, max: 10_000 },
  });
}

/**
 * `rrr model train` as jobs: each request is checked before it is queued, then trained by the same pipeline
 * (trainModel) on a worker thread with its own database connection — tfjs training blocks its thread — at most
 * `concurrency` at a time. The worker registers the model (and activates it when asked); the job's progress follows
 * the pipeline's reports (stage, epoch), and a cancel terminates the worker.
 */
export function createModelTrainingJobs(
  deps: ModelTrainingJobsDeps,
  config: ModelTrainingJobsConfig = {},
): ModelTrainingJobs {
  const settings = checkConfig(config);
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
    ...(deps.clock === undefined ? {} : { clock: deps.clock }),
    ...(deps.newId === undefined ? {} : { newId: deps.newId }),
    run: async (job, signal, report) => {
      const tracker = new TrainingProgressTracker(job.request);
      try {
        const done = await train(job.request, signal, ({ progress }) => report({ progress: tracker.update(progress) }));
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
      return queue.submit({ request, progress: NO_PROGRESS, result: null });
    },
    job: (id) => queue.get(id),
    jobs: () => queue.list(),
    cancel: (id) => queue.cancel(id),
    start: () => queue.start(),
    async stop() {
      await queue.stop();
    },
    healthDetails: () => queue.healthDetails(),
  };
}
