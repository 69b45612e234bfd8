import { Worker } from 'node:worker_threads';
import {
  JobClaimLostError,
  JobQueue,
  JobTakeover,
  OrderedWrites,
  StoredJobWrites,
  NotFoundError,
  resolveIntegerOptions,
  systemClock,
  ValidationError,
  type Clock,
  type Database,
  type HealthReport,
  type RrrLogger,
  type Service,
} from '@rrr/core';
import { estimateInputsFromPrices, type EstimatedInputs } from '../estimate-inputs-from-prices';
import type { PortfolioOptimization } from '../optimize-portfolio';
import type { OptimizationJob } from './optimization-job';
import { resolveOptimizationRequest, type OptimizationRequest } from './optimization-request';
import { OptimizationRunStore } from './optimization-run-store';
import type { OptimizationWorkerReply, OptimizationWorkerRequest } from './optimization-worker-protocol';
import { optimizationWorkerScript } from './optimization-worker-script';
import { readAlignedCloses } from './read-aligned-closes';

export interface QuantumOptimizationServiceDeps {
  /** Where the closes come from (bars table) and where jobs are kept (optimization_runs). */
  db: Database;
  logger?: RrrLogger;
  clock?: Clock;
  newId?: () => string;
  /** A prebuilt worker script (JavaScript); default: optimization-worker.ts bundled on the fly. */
  workerScript?: string;
}

export interface QuantumOptimizationServiceConfig {
  /** Optimisations solved at the same time, each on its own worker thread; default 1. */
  concurrency?: number;
  /** Jobs that may wait; a submit beyond it is refused (503). Default 20. */
  maxQueued?: number;
  /**
   * Finished jobs kept in memory besides the queued and running ones (every job is also stored); the earliest
   * finished go first. Default 200.
   */
  keepJobs?: number;
  /**
   * How often this process stamps its queued and running jobs alive in the database; a stored unfinished job not
   * stamped for three intervals belonged to a process that died and is reported failed (interrupted). Default 5,000.
   */
  heartbeatMs?: number;
}

export interface QuantumOptimizationService extends Service {
  /**
   * Checks the request, reads the symbols' stored closes and estimates μ and Σ (bad input or missing data throws
   * ValidationError naming the field, before anything is queued), then queues the solve.
   */
  submit(request: OptimizationRequest): Promise<OptimizationJob>;
  /** A job of this or any other process sharing the database, live or stored; NotFoundError for an unknown id. */
  job(id: string): Promise<OptimizationJob>;
  /** The newest `limit` jobs (default 50), newest submitted first. */
  jobs(options?: { limit?: number }): Promise<OptimizationJob[]>;
  /**
   * Removes a queued job or terminates the worker of a running one, for jobs of this process; ConflictError once
   * finished.
   */
  cancel(id: string): OptimizationJob;
}

function checkConfig(config: QuantumOptimizationServiceConfig): Required<QuantumOptimizationServiceConfig> {
  return resolveIntegerOptions('quantum optimization service config', config, {
    concurrency: { fallback: 1, min: 1, max: 16 },
    maxQueued: { fallback: 20, min: 0, max: 10_000 },
    keepJobs: { fallback: 200, min: 1, max: 100_000 },
    heartbeatMs: { fallback: 5_000, min: 10, max: 600_000 },
  });
}

/**
 * Portfolio optimisation as a platform service (fastify-style factory): jobs over μ and Σ estimated from the stored
 * closes of the requested symbols (core's Database, bars table), solved by optimizePortfolio on a worker thread —
 * the solvers are synchronous and QAOA on a dozen qubits takes seconds — at most `concurrency` at a time, the rest
 * in a bounded queue. Every status change is stored (optimization_runs, in the order the changes happen), so jobs and
 * results outlive the process and any process sharing the database answers for them; `stop` drops the queue,
 * terminates running workers (those jobs end cancelled) and returns once their last state is stored; the jobs still
 * waiting stay queued in storage, for the next started service to take over. A job left running by a process that
 * died is reported failed, as interrupted, once its heartbeat is stale; one left queued is taken over — on start and
 * at every heartbeat, under its id, so the id a client holds still completes.
 */
export function createQuantumOptimizationService(
  deps: QuantumOptimizationServiceDeps,
  config: QuantumOptimizationServiceConfig = {},
): QuantumOptimizationService {
  const settings = checkConfig(config);
  const clock = deps.clock ?? systemClock;
  const store = new OptimizationRunStore(deps.db);
  // The stored rows follow the status changes in order; a failed write is logged and the job goes on (the next
  // change writes the whole row again).
  const writes = new OrderedWrites(deps.logger);
  const statusWrites = new StoredJobWrites<OptimizationJob, 'optimization_runs'>({
    table: store.jobs,
    rows: store,
    writes,
    now: () => clock.now(),
    jobName: 'optimisation',
    startColumns: (job) => ({ started_at: job.startedAt }),
  });

  const solve = (job: Readonly<OptimizationJob>, signal: AbortSignal): Promise<PortfolioOptimization> => {
    const input: OptimizationWorkerRequest['input'] = {
      symbols: job.inputs.symbols,
      expectedReturns: job.inputs.expectedReturns,
      covariance: job.inputs.covariance,
      k: job.request.k,
      method: job.request.method,
      riskAversion: job.request.riskAversion,
      seed: job.request.seed,
    };
    const scriptReady =
      deps.workerScript === undefined ? optimizationWorkerScript() : Promise.resolve(deps.workerScript);
    return scriptReady.then(
      (script) =>
        new Promise<PortfolioOptimization>((resolve, reject) => {
          // Cancelled while the script was being bundled: no worker to start.
          if (signal.aborted) return reject(signal.reason);
          const worker = new Worker(script);
          const terminate = (): void => void worker.terminate();
          signal.addEventListener('abort', terminate, { once: true });
          worker.once('message', (reply: OptimizationWorkerReply) => {
            if (reply.ok) resolve(reply.result);
            else reject(new Error(reply.message));
            terminate();
          });
          worker.once('error', reject);
          worker.once('exit', (code) => {
            signal.removeEventListener('abort', terminate);
            reject(new Error(`optimisation worker exited with code ${code}`));
          });
          worker.postMessage({ input } satisfies OptimizationWorkerRequest);
        }),
    );
  };

  const queue = new JobQueue<OptimizationJob>({
    service: 'quantum-optimization',
    jobName: 'optimisation',
    concurrency: settings.concurrency,
    maxQueued: settings.maxQueued,
    keepFinished: settings.keepJobs,
    clock,
    newId: deps.newId,
    onStatusChange: statusWrites.statusChanged,
    run: async (job, signal) => {
      // Queued → running only while the stored row is still queued: a job another process took over (this one's
      // stamps were late) and started, or ended, is dropped here unrun and unwritten.
      if (!(await statusWrites.begin(job))) throw new JobClaimLostError('optimisation', job.id);
      try {
        return { result: await solve(job, signal) };
      } catch (error) {
        if (!signal.aborted) deps.logger?.warn({ job: job.id, err: error }, 'portfolio optimisation failed');
        throw error;
      }
    },
  });

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
    jobName: 'optimisation',
    clock,
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    persist: writes.persist,
    resume: (row) => ({
      request: JSON.parse(String(row.request)) as OptimizationJob['request'],
      inputs: JSON.parse(String(row.inputs)) as OptimizationJob['inputs'],
      result: null,
    }),
  });

  return {
    start: () => takeover.start(),

    async stop() {
      // Running workers are terminated (those jobs end cancelled); jobs still waiting are handed over, not
      // cancelled: their rows stay queued for the next process (this one, restarted, or another) to take over.
      await takeover.stop();
      await writes.settled();
    },

    health(): HealthReport {
      return { status: queue.started ? 'up' : 'down', details: { ...queue.healthDetails() } };
    },

    async submit(request) {
      queue.assertAccepting();
      const resolved = resolveOptimizationRequest(request);
      const aligned = await readAlignedCloses(deps.db, resolved.symbols, resolved.interval, resolved.from, resolved.to);
      let inputs: EstimatedInputs;
      try {
        inputs = estimateInputsFromPrices(aligned.closesBySymbol);
      } catch (error) {
        // Its problems name `closesBySymbol.X`: to the caller that is the stored data of symbol X.
        if (error instanceof ValidationError)
          throw new ValidationError(
            'optimisation request',
            error.problems.map((p) => ({ ...p, field: 'symbols', message: `${p.field} ${p.message}` })),
          );
        throw error;
      }
      const job = queue.submit({
        request: resolved,
        inputs: { ...inputs, firstTs: aligned.ts[0], lastTs: aligned.ts[aligned.ts.length - 1] },
        result: null,
      });
      // Written before it is acknowledged, so any process sharing the database finds it (a failed write is logged
      // and the job runs on here: the next status change writes the whole row again).
      await writes.settled();
      return job;
    },

    async job(id) {
      const live = queue.find(id);
      if (live !== undefined) return live;
      await settleStaleJobs();
      const stored = await store.get(id);
      if (stored === undefined) throw new NotFoundError('optimisation', id);
      return stored.job;
    },

    async jobs(options = {}) {
      const limit = options.limit ?? 50;
      await settleStaleJobs();
      const stored = await store.list(limit);
      // This process's own jobs from memory: their progress is newer than the stored row.
      return stored.map((entry) => queue.find(entry.job.id) ?? entry.job);
    },

    cancel: (id) => queue.cancel(id),
  };
}
