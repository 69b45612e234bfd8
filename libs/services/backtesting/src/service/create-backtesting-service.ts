import { randomUUID } from 'node:crypto';
import {
  errorMessage,
  JobClaimLostError,
  JobQueue,
  JobTakeover,
  OrderedWrites,
  resolveIntegerOptions,
  systemClock,
  type Clock,
  type Database,
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
import { pendingBacktestRunRecord } from '../api/backtest-run-record';
import { runBacktest } from '../api/run-backtest';
import { defaultBarLoader, type BarLoader } from '../data/bar-loader';
import { backtestRunJobs } from '../storage/backtest-run-jobs';
import {
  listBacktestRuns,
  loadBacktestRun,
  type BacktestRunRecord,
  type StoredTrade,
} from '../storage/backtest-run-store';
import {
  failQueuedBacktestRun,
  insertQueuedBacktestRun,
  storedBacktestRequest,
  withdrawQueuedBacktestRun,
} from '../storage/queued-backtest-runs';
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
  /**
   * How often the stored runs of queued and running jobs are stamped alive, and stale queued runs looked for. A stored
   * run not stamped for three intervals belonged to a process that died: a running one is ended as failed
   * (interrupted) when runs are read, a queued one is taken over and run by a started service. Default 5,000.
   */
  heartbeatMs?: number;
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
   * Checks the request completely (strategy, parameters, symbols, range against the data), stores it as a queued run
   * and queues it. Bad input throws ValidationError naming every field before anything is stored or queued; a full
   * queue throws SERVICE_UNAVAILABLE.
   */
  submit(request: BacktestRequest): Promise<BacktestJob>;
  /** A job of this process (queued, running or recently finished); NotFoundError otherwise. */
  job(id: string): BacktestJob;
  /** The job's progress, or a stored run's (from another process or before a restart); NotFoundError if neither. */
  progress(id: string): Promise<BacktestJobProgress>;
  /**
   * Removes a queued job (its stored run is marked failed, so no process takes it over), or aborts a running one (its
   * stored run is marked failed); ConflictError once finished.
   */
  cancel(id: string): BacktestJob;
  /** Stored runs, newest first. */
  listRuns(filter?: { strategy?: string; limit?: number }): Promise<BacktestRunRecord[]>;
  /** A stored run with its round trips; NotFoundError for an unknown id. */
  getRun(id: string): Promise<{ run: BacktestRunRecord; trades: StoredTrade[] }>;
}

function checkConfig(config: BacktestingServiceConfig) {
  return resolveIntegerOptions('backtesting service config', config, {
    concurrency: { fallback: 1, min: 1, max: 64 },
    // The heartbeat stamps every held job in one statement: its id list stays well under SQLite's 32,766 parameters.
    maxQueued: { fallback: 100, min: 0, max: 10_000 },
    yieldEvery: { fallback: 250, min: 1, max: 1_000_000 },
    keepFinishedJobs: { fallback: 1_000, min: 0, max: 1_000_000 },
    heartbeatMs: { fallback: 5_000, min: 10, max: 600_000 },
  });
}

/**
 * The backtester as a platform service (fastify-style factory): a job runner for `runBacktest` over the platform
 * database. Requests are checked in full before they are queued; at most `concurrency` run at once, the rest wait
 * in a bounded FIFO queue. A running replay hands the event loop back every `yieldEvery` bars, so the API and the
 * live services on the same thread keep answering. Runs are stored exactly as `rrr backtest` stores them (the
 * completed run and its round trips in one transaction), with the job's id as the run's id. `stop` drops the queue
 * and aborts running replays, waiting until each has marked its stored run failed: nothing is left half-written.
 * A submitted job is stored at once as a queued run with its request. Its process stamps its queued and running runs
 * alive every `heartbeatMs`; reads first end as failed (interrupted) the running runs whose process died, so none
 * shows as running forever, and a started service takes over (on start and at every heartbeat) the queued runs whose
 * process died or stopped, under the same id, so the id a client holds still completes.
 */
export function createBacktestingService(
  deps: BacktestingServiceDeps,
  config: BacktestingServiceConfig = {},
): BacktestingService {
  const settings = checkConfig(config);
  const clock = deps.clock ?? systemClock;
  const loader = deps.loader ?? defaultBarLoader(deps.db);
  const backtestDeps: BacktestDeps = {
    db: deps.db,
    loader,
    now: () => clock.now(),
    yieldEvery: settings.yieldEvery,
    ...(config.backtest === undefined ? {} : { config: config.backtest }),
    ...(config.riskLimits === undefined ? {} : { riskLimits: config.riskLimits }),
    ...(deps.predict === undefined ? {} : { predict: deps.predict }),
  };

  const newId = deps.newId ?? randomUUID;
  // Writes nobody awaits (heartbeats, cancellations) run in one chain that reads and stop() wait for; a failed one
  // is logged.
  const writes = new OrderedWrites(deps.logger);
  const persist = writes.persist;
  /**
   * Before a read: this process's own pending writes land (a cancelled job reads as ended), and the running runs of
   * dead processes are ended, so the read shows every run as it really stands.
   */
  const settleStaleRuns = async () => {
    await writes.settled();
    return takeover.interruptStale();
  };

  const jobs = backtestRunJobs(deps.db);
  const queue = new JobQueue<BacktestJob>({
    service: 'backtesting',
    jobName: 'backtest',
    unknownJobName: 'backtest job',
    concurrency: settings.concurrency,
    maxQueued: settings.maxQueued,
    // Old finished jobs are forgotten; their stored runs still answer progress().
    keepFinished: settings.keepFinishedJobs,
    clock,
    run: async (job, signal, report) => {
      const onProgress = (progress: BacktestProgress): void => {
        if (progress.phase !== 'run' || progress.total <= 0) return;
        report({
          barsProcessed: progress.done,
          barsTotal: progress.total,
          fraction: Math.min(1, progress.done / progress.total),
        });
      };
      try {
        await runBacktest(
          job.request,
          { ...backtestDeps, signal, newId: () => job.id, storedQueued: true },
          onProgress,
        );
      } catch (error) {
        // Its stored run was no longer queued (another process started or ended it): the queue drops the job.
        if (error instanceof JobClaimLostError) throw error;
        if (!signal.aborted) deps.logger?.warn({ job: job.id, err: error }, 'backtest failed');
        // A run that failed before its start (a predictor this process lacks, say) left its row queued: ended here,
        // or it would go stale and be taken over and fail again every three heartbeats. A started run ended its row.
        const failedAt = clock.now();
        persist('mark a backtest that failed before its start failed', () =>
          jobs.endQueued(job.id, { status: 'failed', error: errorMessage(error), now: failedAt }),
        );
        throw error;
      }
      deps.logger?.info({ job: job.id, ms: clock.now() - (job.startedAt ?? 0) }, 'backtest completed');
      return { fraction: 1 };
    },
  });

  const takeover = new JobTakeover({
    queue,
    table: jobs,
    heartbeatMs: settings.heartbeatMs,
    jobName: 'backtest',
    clock,
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    persist,
    resume: (row) => {
      const request = storedBacktestRequest(row.request);
      if (request === null || typeof request !== 'object')
        return 'cannot be resumed: it was queued without its request';
      return { request: request as BacktestRequest, fraction: 0, barsProcessed: 0, barsTotal: null };
    },
  });

  return {
    start: () => takeover.start(),

    async stop() {
      // The waiting jobs are not lost, nor reported cancelled here: their stored runs stay queued, handed to the next
      // process that adopts them.
      await takeover.stop();
      await writes.settled();
    },

    health(): HealthReport {
      return { status: queue.started ? 'up' : 'down', details: { ...queue.healthDetails() } };
    },

    async submit(request) {
      queue.assertAccepting();
      const resolved = await checkDataCoverage(resolveBacktestRequest(request, backtestDeps), loader);
      const id = newId();
      const now = clock.now();
      await insertQueuedBacktestRun(deps.db, pendingBacktestRunRecord(id, resolved, 'queued', now), request, now);
      try {
        return queue.submit({ request, fraction: 0, barsProcessed: 0, barsTotal: null }, { id });
      } catch (error) {
        // The service stopped, or the queue filled up, while the request was checked or stored: the caller gets the
        // refusal, and no process may run the job.
        await withdrawQueuedBacktestRun(deps.db, id);
        throw error;
      }
    },

    job: (id) => queue.get(id),

    async progress(id) {
      const job = queue.find(id);
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
      await settleStaleRuns();
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
      const job = queue.cancel(id);
      // A queued job ends at once; its stored run is ended too, so no process takes it over. (A running one is
      // marked failed by its replay as it stops.)
      if (job.status === 'cancelled') {
        const error = job.error ?? 'cancelled';
        persist('mark a cancelled backtest failed', () => failQueuedBacktestRun(deps.db, id, error, clock.now()));
      }
      return job;
    },

    async listRuns(filter) {
      await settleStaleRuns();
      return listBacktestRuns(deps.db, filter);
    },
    async getRun(id) {
      await settleStaleRuns();
      return loadBacktestRun(deps.db, id);
    },
  };
}
