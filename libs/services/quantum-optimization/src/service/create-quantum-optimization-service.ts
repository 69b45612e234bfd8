import { Worker } from 'node:worker_threads';
import {
  JOB_STATUSES,
  JobQueue,
  resolveIntegerOptions,
  ValidationError,
  type Clock,
  type Database,
  type HealthReport,
  type JobStatus,
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

export const OPTIMIZATION_JOB_STATUSES = JOB_STATUSES;
export type OptimizationJobStatus = JobStatus;

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
  /**
   * Finished jobs remembered besides the queued and running ones (results are kept in memory only); the earliest
   * finished go first. Default 200.
   */
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

function checkConfig(config: QuantumOptimizationServiceConfig): Required<QuantumOptimizationServiceConfig> {
  return resolveIntegerOptions('quantum optimization service config', config, {
    concurrency: { fallback: 1, min: 1, max: 16 },
    maxQueued: { fallback: 20, min: 0, max: 10_000 },
    keepJobs: { fallback: 200, min: 1, max: 100_000 },
  });
}

/**
 * Portfolio optimisation as a platform service (fastify-style factory): jobs over μ and Σ estimated from the stored
 * closes of the requested symbols (core's Database, bars table), solved by optimizePortfolio on a worker thread —
 * the solvers are synchronous and QAOA on a dozen qubits takes seconds — at most `concurrency` at a time, the rest
 * in a bounded queue. Results are kept in memory (the last `keepJobs` finished jobs); `stop` drops the queue and
 * terminates running workers (those jobs end cancelled).
 */
export function createQuantumOptimizationService(
  deps: QuantumOptimizationServiceDeps,
  config: QuantumOptimizationServiceConfig = {},
): QuantumOptimizationService {
  const settings = checkConfig(config);
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
    clock: deps.clock,
    newId: deps.newId,
    run: async (job, signal) => {
      try {
        return { result: await solve(job, signal) };
      } catch (error) {
        if (!signal.aborted) deps.logger?.warn({ job: job.id, err: error }, 'portfolio optimisation failed');
        throw error;
      }
    },
  });

  return {
    async start() {
      queue.start();
    },

    stop: () => queue.stop(),

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
      return queue.submit({
        request: resolved,
        inputs: { ...inputs, firstTs: aligned.ts[0], lastTs: aligned.ts[aligned.ts.length - 1] },
        result: null,
      });
    },

    job: (id) => queue.get(id),
    jobs: () => queue.list(),
    cancel: (id) => queue.cancel(id),
  };
}
