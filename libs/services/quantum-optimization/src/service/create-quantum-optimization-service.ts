import { randomUUID } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import {
  ConfigError,
  ConflictError,
  NotFoundError,
  RrrError,
  systemClock,
  ValidationError,
  type Clock,
  type Database,
  type FieldProblem,
  type HealthReport,
  type RrrLogger,
  type Service,
} from '@rrr/core';
import { estimateInputsFromPrices, type EstimatedInputs } from '../estimate-inputs-from-prices';
import type { PortfolioOptimization } from '../optimize-portfolio';
import {
  resolveOptimizationRequest,
  type OptimizationRequest,
  type ResolvedOptimizationRequest,
} from './optimization-request';
import type { OptimizationWorkerReply, OptimizationWorkerRequest } from './optimization-worker-protocol';
import { optimizationWorkerScript } from './optimization-worker-script';
import { readAlignedCloses } from './read-aligned-closes';

export const OPTIMIZATION_JOB_STATUSES = ['queued', 'running', 'completed', 'failed', 'cancelled'] as const;
export type OptimizationJobStatus = (typeof OPTIMIZATION_JOB_STATUSES)[number];

/** An optimisation job: the checked request, the inputs estimated from stored bars, and (once done) the result. */
export interface OptimizationJob {
  id: string;
  status: OptimizationJobStatus;
  request: ResolvedOptimizationRequest;
  /** μ and Σ (annualised, from log returns of the aligned closes) and the bar times they came from. */
  inputs: EstimatedInputs & { firstTs: number; lastTs: number };
  result: PortfolioOptimization | null;
  error?: string;
  submittedAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

export interface QuantumOptimizationServiceDeps {
  /** Where the closes come from (bars table). */
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
  /** Jobs remembered (results are kept in memory only); the oldest finished ones go first. Default 200. */
  keepJobs?: number;
}

export interface QuantumOptimizationService extends Service {
  /**
   * Checks the request, reads the symbols' stored closes and estimates μ and Σ (bad input or missing data throws
   * ValidationError naming the field, before anything is queued), then queues the solve.
   */
  submit(request: OptimizationRequest): Promise<OptimizationJob>;
  /** NotFoundError for an unknown (or forgotten) id. */
  job(id: string): OptimizationJob;
  /** Known jobs, newest first. */
  jobs(): OptimizationJob[];
  /** Removes a queued job or terminates the worker of a running one; ConflictError once finished. */
  cancel(id: string): OptimizationJob;
}

interface Slot {
  worker?: Worker;
  /** Why the job was cancelled, once it was. */
  cancelled?: string;
  settled: Promise<void>;
}

function checkConfig(config: QuantumOptimizationServiceConfig): Required<QuantumOptimizationServiceConfig> {
  const problems: FieldProblem[] = [];
  const integer = (field: keyof QuantumOptimizationServiceConfig, fallback: number, min: number, max: number) => {
    const value = config[field];
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min || value > max) {
      problems.push({ field, message: `must be an integer from ${min} to ${max}`, value });
      return fallback;
    }
    return value;
  };
  const resolved = {
    concurrency: integer('concurrency', 1, 1, 16),
    maxQueued: integer('maxQueued', 20, 0, 10_000),
    keepJobs: integer('keepJobs', 200, 1, 100_000),
  };
  if (problems.length > 0) throw new ConfigError(problems, 'quantum optimization service config');
  return resolved;
}

const copy = (job: OptimizationJob): OptimizationJob => ({ ...job });

/**
 * Portfolio optimisation as a platform service (fastify-style factory): jobs over μ and Σ estimated from the stored
 * closes of the requested symbols (core's Database, bars table), solved by optimizePortfolio on a worker thread —
 * the solvers are synchronous and QAOA on a dozen qubits takes seconds — at most `concurrency` at a time, the rest
 * in a bounded queue. Results are kept in memory (the last `keepJobs` jobs); `stop` drops the queue and terminates
 * running workers (those jobs end cancelled).
 */
export function createQuantumOptimizationService(
  deps: QuantumOptimizationServiceDeps,
  config: QuantumOptimizationServiceConfig = {},
): QuantumOptimizationService {
  const settings = checkConfig(config);
  const clock = deps.clock ?? systemClock;
  const newId = deps.newId ?? randomUUID;
  let started = false;
  const jobs = new Map<string, OptimizationJob>();
  const queue: OptimizationJob[] = [];
  const running = new Map<string, Slot>();
  const totals = { completed: 0, failed: 0, cancelled: 0 };

  const finish = (job: OptimizationJob, status: 'completed' | 'failed' | 'cancelled', error?: string): void => {
    job.status = status;
    job.finishedAt = clock.now();
    if (error !== undefined) job.error = error;
    totals[status] += 1;
    for (const [id, old] of jobs) {
      if (jobs.size <= settings.keepJobs) break;
      if (old.status !== 'queued' && old.status !== 'running') jobs.delete(id);
    }
  };

  const solve = (job: OptimizationJob, slot: Slot): Promise<OptimizationWorkerReply> =>
    new Promise((resolve, reject) => {
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
      scriptReady.then((script) => {
        // Cancelled while the script was being bundled: no worker to start.
        if (slot.cancelled !== undefined) return reject(new Error(slot.cancelled));
        const worker = new Worker(script);
        slot.worker = worker;
        worker.once('message', (reply: OptimizationWorkerReply) => {
          resolve(reply);
          void worker.terminate();
        });
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`optimisation worker exited with code ${code}`)));
        worker.postMessage({ input } satisfies OptimizationWorkerRequest);
      }, reject);
    });

  const launch = (job: OptimizationJob): void => {
    job.status = 'running';
    job.startedAt = clock.now();
    const slot: Slot = { settled: Promise.resolve() };
    slot.settled = solve(job, slot)
      .then(
        (reply) => {
          if (reply.ok) {
            job.result = reply.result;
            finish(job, 'completed');
          } else {
            finish(job, 'failed', reply.message);
          }
        },
        (error: unknown) => {
          if (slot.cancelled !== undefined) finish(job, 'cancelled', slot.cancelled);
          else {
            finish(job, 'failed', error instanceof Error ? error.message : String(error));
            deps.logger?.warn({ job: job.id, err: error }, 'portfolio optimisation failed');
          }
        },
      )
      .finally(() => {
        running.delete(job.id);
        pump();
      });
    running.set(job.id, slot);
  };

  const cancelSlot = (slot: Slot, reason: string): void => {
    slot.cancelled = reason;
    void slot.worker?.terminate();
  };

  const pump = (): void => {
    while (started && running.size < settings.concurrency && queue.length > 0) launch(queue.shift() as OptimizationJob);
  };

  const checkCapacity = (): void => {
    if (!started) {
      throw new RrrError('SERVICE_UNAVAILABLE', 'the quantum-optimization service is not running', {
        details: { service: 'quantum-optimization' },
      });
    }
    if (running.size >= settings.concurrency && queue.length >= settings.maxQueued) {
      throw new RrrError('SERVICE_UNAVAILABLE', `the optimisation queue is full (${settings.maxQueued} jobs waiting)`, {
        details: { service: 'quantum-optimization', queued: queue.length, maxQueued: settings.maxQueued },
      });
    }
  };

  const known = (id: string): OptimizationJob => {
    const job = jobs.get(id);
    if (job === undefined) throw new NotFoundError('optimisation', id);
    return job;
  };

  return {
    async start() {
      started = true;
      pump();
    },

    async stop() {
      started = false;
      for (const job of queue.splice(0)) finish(job, 'cancelled', 'cancelled: the service stopped');
      const current = [...running.values()];
      for (const slot of current) cancelSlot(slot, 'cancelled: the service stopped');
      await Promise.all(current.map((slot) => slot.settled));
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
      checkCapacity();
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
      checkCapacity();
      const job: OptimizationJob = {
        id: newId(),
        status: 'queued',
        request: resolved,
        inputs: { ...inputs, firstTs: aligned.ts[0], lastTs: aligned.ts[aligned.ts.length - 1] },
        result: null,
        submittedAt: clock.now(),
        startedAt: null,
        finishedAt: null,
      };
      jobs.set(job.id, job);
      queue.push(job);
      pump();
      return copy(job);
    },

    job: (id) => copy(known(id)),
    jobs: () => [...jobs.values()].reverse().map(copy),

    cancel(id) {
      const job = known(id);
      if (job.status === 'queued') {
        queue.splice(queue.indexOf(job), 1);
        finish(job, 'cancelled', 'cancelled before it started');
      } else if (job.status === 'running') {
        const slot = running.get(id);
        if (slot !== undefined) cancelSlot(slot, 'cancelled on request');
      } else {
        throw new ConflictError(`optimisation ${id} is already ${job.status}`, { id, status: job.status });
      }
      return copy(job);
    },
  };
}
