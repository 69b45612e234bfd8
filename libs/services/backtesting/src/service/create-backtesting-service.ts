import { randomUUID } from 'node:crypto';
import {
  ConfigError,
  ConflictError,
  NotFoundError,
  RrrError,
  systemClock,
  type Clock,
  type Database,
  type FieldProblem,
  type HealthReport,
  type PlatformConfig,
  type RrrLogger,
  type Service,
} from '@rrr/core';
import type { RiskLimits } from '@rrr/risk-management';
import type { Predictor } from '@rrr/trading-engine';
import {
  checkDataCoverage,
  resolveBacktestRequest,
  type BacktestDeps,
  type BacktestRequest,
} from '../api/backtest-request';
import type { BacktestProgress } from '../api/backtest-progress';
import { runBacktest } from '../api/run-backtest';
import { defaultBarLoader, type BarLoader } from '../data/bar-loader';
import {
  listBacktestRuns,
  loadBacktestRun,
  type BacktestRunRecord,
  type StoredTrade,
} from '../storage/backtest-run-store';
import type { BacktestJob, BacktestJobStatus } from './backtest-job';

export interface BacktestingServiceDeps {
  /** Where bars are read from (when stored there) and where runs are saved (backtest_runs, backtest_trades). */
  db: Database;
  /** Default: the database's bars when it holds the series, else the bundled datasets (as `rrr backtest`). */
  loader?: BarLoader;
  /** The model behind the `predictor` strategy. */
  predict?: Predictor;
  logger?: RrrLogger;
  clock?: Clock;
  /** Job (and stored run) ids; default random UUIDs. */
  newId?: () => string;
}

export interface BacktestingServiceConfig {
  /** Backtests replayed at the same time; default 1. */
  concurrency?: number;
  /** Jobs that may wait for a slot; a submit beyond it is refused (503). Default 100. */
  maxQueued?: number;
  /** `config.backtest`: default capital, commission and slippage. */
  backtest?: Partial<PlatformConfig['backtest']>;
  /** `config.risk`: the platform's risk limits. */
  riskLimits?: Partial<RiskLimits>;
  /** Bars replayed between two hand-backs of the event loop; default 250 (about a millisecond of replay). */
  yieldEvery?: number;
  /** Finished jobs remembered for progress queries (older ones are answered from the stored run); default 1,000. */
  keepFinishedJobs?: number;
}

/** A job's progress as the API reports it; runs known only from the database have no bar counts. */
export interface BacktestJobProgress {
  id: string;
  status: BacktestJobStatus;
  fraction: number;
  barsProcessed: number | null;
  barsTotal: number | null;
  error?: string;
}

export interface BacktestingService extends Service {
  /**
   * Checks the request completely (strategy, parameters, symbols, range against the data) and queues it. Bad input
   * throws ValidationError naming every field before anything is queued; a full queue throws SERVICE_UNAVAILABLE.
   */
  submit(request: BacktestRequest): Promise<BacktestJob>;
  /** A job of this process (queued, running or recently finished); NotFoundError otherwise. */
  job(id: string): BacktestJob;
  /** The job's progress, or a stored run's (from another process or before a restart); NotFoundError if neither. */
  progress(id: string): Promise<BacktestJobProgress>;
  /** Removes a queued job, or aborts a running one (its stored run is marked failed); ConflictError once finished. */
  cancel(id: string): BacktestJob;
  /** Stored runs, newest first. */
  listRuns(filter?: { strategy?: string; limit?: number }): Promise<BacktestRunRecord[]>;
  /** A stored run with its round trips; NotFoundError for an unknown id. */
  getRun(id: string): Promise<{ run: BacktestRunRecord; trades: StoredTrade[] }>;
}

interface RunningJob {
  job: BacktestJob;
  controller: AbortController;
  settled: Promise<void>;
}

function checkConfig(
  config: BacktestingServiceConfig,
): Required<Pick<BacktestingServiceConfig, 'concurrency' | 'maxQueued' | 'yieldEvery' | 'keepFinishedJobs'>> {
  const problems: FieldProblem[] = [];
  const integer = (field: keyof BacktestingServiceConfig, fallback: number, min: number, max: number): number => {
    const value = config[field];
    if (value === undefined) return fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      problems.push({ field, message: `must be an integer from ${min} to ${max}`, value });
      return fallback;
    }
    return value;
  };
  const resolved = {
    concurrency: integer('concurrency', 1, 1, 64),
    maxQueued: integer('maxQueued', 100, 0, 100_000),
    yieldEvery: integer('yieldEvery', 250, 1, 1_000_000),
    keepFinishedJobs: integer('keepFinishedJobs', 1_000, 0, 1_000_000),
  };
  if (problems.length > 0) throw new ConfigError(problems, 'backtesting service config');
  return resolved;
}

const snapshot = (job: BacktestJob): BacktestJob => ({ ...job });
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * The backtester as a platform service (fastify-style factory): a job runner for `runBacktest` over the platform
 * database. Requests are checked in full before they are queued; at most `concurrency` run at once, the rest wait
 * in a bounded FIFO queue. A running replay hands the event loop back every `yieldEvery` bars, so the API and the
 * live services on the same thread keep answering. Runs are stored exactly as `rrr backtest` stores them (the
 * completed run and its round trips in one transaction), with the job's id as the run's id. `stop` drops the queue
 * and aborts running replays, waiting until each has marked its stored run failed: nothing is left half-written.
 */
export function createBacktestingService(
  deps: BacktestingServiceDeps,
  config: BacktestingServiceConfig = {},
): BacktestingService {
  const settings = checkConfig(config);
  const clock = deps.clock ?? systemClock;
  const loader = deps.loader ?? defaultBarLoader(deps.db);
  const newId = deps.newId ?? randomUUID;
  const backtestDeps: BacktestDeps = {
    db: deps.db,
    loader,
    now: () => clock.now(),
    yieldEvery: settings.yieldEvery,
    ...(config.backtest === undefined ? {} : { config: config.backtest }),
    ...(config.riskLimits === undefined ? {} : { riskLimits: config.riskLimits }),
    ...(deps.predict === undefined ? {} : { predict: deps.predict }),
  };

  let started = false;
  const jobs = new Map<string, BacktestJob>();
  const queue: BacktestJob[] = [];
  const running = new Map<string, RunningJob>();
  const finished: string[] = [];
  const totals = { completed: 0, failed: 0, cancelled: 0 };

  const finish = (job: BacktestJob, status: 'completed' | 'failed' | 'cancelled', error?: string): void => {
    job.status = status;
    job.finishedAt = clock.now();
    if (error !== undefined) job.error = error;
    totals[status] += 1;
    finished.push(job.id);
    // Old finished jobs are forgotten; their stored runs still answer progress().
    while (finished.length > settings.keepFinishedJobs) jobs.delete(finished.shift() as string);
  };

  const onProgress = (job: BacktestJob) => (progress: BacktestProgress) => {
    if (progress.phase !== 'run' || progress.total <= 0) return;
    job.barsProcessed = progress.done;
    job.barsTotal = progress.total;
    job.fraction = Math.min(1, progress.done / progress.total);
  };

  const launch = (job: BacktestJob): void => {
    job.status = 'running';
    job.startedAt = clock.now();
    const controller = new AbortController();
    const settled = runBacktest(
      job.request,
      { ...backtestDeps, signal: controller.signal, newId: () => job.id },
      onProgress(job),
    ).then(
      () => {
        job.fraction = 1;
        finish(job, 'completed');
        deps.logger?.info({ job: job.id, ms: (job.finishedAt ?? 0) - (job.startedAt ?? 0) }, 'backtest completed');
      },
      (error: unknown) => {
        if (controller.signal.aborted) {
          finish(job, 'cancelled', messageOf(controller.signal.reason));
        } else {
          finish(job, 'failed', messageOf(error));
          deps.logger?.warn({ job: job.id, err: error }, 'backtest failed');
        }
      },
    );
    running.set(job.id, {
      job,
      controller,
      settled: settled.finally(() => {
        running.delete(job.id);
        pump();
      }),
    });
  };

  const pump = (): void => {
    while (started && running.size < settings.concurrency && queue.length > 0) launch(queue.shift() as BacktestJob);
  };

  const unavailable = (): RrrError =>
    new RrrError('SERVICE_UNAVAILABLE', 'the backtesting service is not running', {
      details: { service: 'backtesting' },
    });
  const queueFull = (): RrrError =>
    new RrrError('SERVICE_UNAVAILABLE', `the backtest queue is full (${settings.maxQueued} jobs waiting)`, {
      details: { service: 'backtesting', queued: queue.length, maxQueued: settings.maxQueued },
    });

  const knownJob = (id: string): BacktestJob => {
    const job = jobs.get(id);
    if (job === undefined) throw new NotFoundError('backtest job', id);
    return job;
  };

  return {
    async start() {
      started = true;
      pump();
    },

    async stop() {
      started = false;
      for (const job of queue.splice(0)) finish(job, 'cancelled', 'cancelled: the backtesting service stopped');
      const current = [...running.values()];
      for (const entry of current) entry.controller.abort(new Error('cancelled: the backtesting service stopped'));
      await Promise.all(current.map((entry) => entry.settled));
    },

    health(): HealthReport {
      return {
        status: started ? 'up' : 'down',
        details: {
          queued: queue.length,
          running: running.size,
          concurrency: settings.concurrency,
          maxQueued: settings.maxQueued,
          ...totals,
        },
      };
    },

    async submit(request) {
      if (!started) throw unavailable();
      if (queue.length + running.size >= settings.maxQueued + settings.concurrency) throw queueFull();
      await checkDataCoverage(resolveBacktestRequest(request, backtestDeps), loader);
      // Checked again: the service may have stopped, or the queue filled up, while the coverage was read.
      if (!started) throw unavailable();
      if (queue.length + running.size >= settings.maxQueued + settings.concurrency) throw queueFull();
      const job: BacktestJob = {
        id: newId(),
        status: 'queued',
        request,
        fraction: 0,
        barsProcessed: 0,
        barsTotal: null,
        submittedAt: clock.now(),
        startedAt: null,
        finishedAt: null,
      };
      jobs.set(job.id, job);
      queue.push(job);
      pump();
      return snapshot(job);
    },

    job: (id) => snapshot(knownJob(id)),

    async progress(id) {
      const job = jobs.get(id);
      if (job !== undefined) {
        return {
          id,
          status: job.status,
          fraction: job.fraction,
          barsProcessed: job.barsProcessed,
          barsTotal: job.barsTotal,
          ...(job.error === undefined ? {} : { error: job.error }),
        };
      }
      const { run } = await loadBacktestRun(deps.db, id);
      return {
        id,
        status: run.status,
        fraction: run.status === 'completed' ? 1 : 0,
        barsProcessed: null,
        barsTotal: null,
        ...(run.error === null ? {} : { error: run.error }),
      };
    },

    cancel(id) {
      const job = knownJob(id);
      if (job.status === 'queued') {
        queue.splice(queue.indexOf(job), 1);
        finish(job, 'cancelled', 'cancelled before it started');
      } else if (job.status === 'running') {
        running.get(id)?.controller.abort(new Error('cancelled on request'));
      } else {
        throw new ConflictError(`backtest ${id} is already ${job.status}`, { id, status: job.status });
      }
      return snapshot(job);
    },

    listRuns: (filter) => listBacktestRuns(deps.db, filter),
    getRun: (id) => loadBacktestRun(deps.db, id),
  };
}
