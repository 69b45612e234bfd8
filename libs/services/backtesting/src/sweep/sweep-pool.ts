import { ValidationError } from '@rrr/core';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { StrategyParameters } from '../strategies/strategy-catalog';
import {
  evaluateParameterSet,
  type SweepJob,
  type SweepOutcome,
  type SweepWorkerReply,
  type SweepWorkerRequest,
} from './sweep-job';
import { sweepWorkerScript } from './sweep-worker-script';

export interface SweepPoolOptions {
  /** Worker threads: 0 runs every set in this thread, 'auto' one per core. Default 'auto'. */
  workers?: number | 'auto';
  /** A prebuilt worker script (JavaScript); default: sweep-worker.ts bundled on the fly. */
  workerScript?: string;
}

interface PoolWorker {
  worker: Worker;
  jobs: Set<number>;
  busy: boolean;
}

interface ActiveRun {
  jobId: number;
  job: SweepJob;
  sets: readonly StrategyParameters[];
  next: number;
  done: number;
  results: SweepOutcome[];
  onProgress?: (done: number, total: number) => void;
  resolve: (results: SweepOutcome[]) => void;
  reject: (error: Error) => void;
}

/** Resolves 'auto' and checks the count, naming the field. */
export function workerCount(workers: number | 'auto' | undefined): number {
  if (workers === undefined || workers === 'auto') return availableParallelism();
  if (!Number.isInteger(workers) || workers < 0 || workers > 256) {
    throw new ValidationError('sweep', [
      { field: 'workers', message: 'must be an integer in [0, 256] or auto', value: workers },
    ]);
  }
  return workers;
}

/**
 * Runs parameter sets of backtests in parallel on worker threads. Each set is an independent, deterministic run of
 * the event-driven engine, handed to whichever worker is free next; results are put back in the order of the sets,
 * so they are identical whatever the number of workers (or none). Keep one pool for several sweeps (walk-forward
 * splits) to start the workers once; close it when done.
 */
export class SweepPool {
  readonly size: number;
  private readonly scriptPath: string | undefined;
  private workers: PoolWorker[] | undefined;
  private starting: Promise<PoolWorker[]> | undefined;
  private nextJobId = 1;
  private active: ActiveRun | undefined;
  private queue: Array<() => void> = [];
  private closed = false;

  constructor(options: SweepPoolOptions = {}) {
    this.size = workerCount(options.workers);
    this.scriptPath = options.workerScript;
  }

  /** Metrics of every parameter set, in the order given. Runs one sweep at a time (later calls wait their turn). */
  async run(
    job: SweepJob,
    sets: readonly StrategyParameters[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<SweepOutcome[]> {
    if (this.closed) throw new Error('sweep pool is closed');
    if (this.size === 0) return this.runHere(job, sets, onProgress);
    if (this.active !== undefined) await new Promise<void>((resume) => this.queue.push(resume));
    const workers = await this.start();
    try {
      return await new Promise<SweepOutcome[]>((resolve, reject) => {
        this.active = { jobId: this.nextJobId++, job, sets, next: 0, done: 0, results: [], resolve, reject };
        if (onProgress !== undefined) this.active.onProgress = onProgress;
        if (sets.length === 0) resolve([]);
        for (const w of workers) this.feed(w);
      });
    } finally {
      const finished = this.active;
      this.active = undefined;
      if (finished !== undefined) {
        for (const w of workers) {
          if (w.jobs.delete(finished.jobId))
            w.worker.postMessage({ type: 'forget', jobId: finished.jobId } satisfies SweepWorkerRequest);
        }
      }
      this.queue.shift()?.();
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.workers ?? (this.starting === undefined ? [] : await this.starting.catch(() => []));
    await Promise.all(workers.map((w) => w.worker.terminate()));
    this.workers = undefined;
  }

  private async runHere(
    job: SweepJob,
    sets: readonly StrategyParameters[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<SweepOutcome[]> {
    const results: SweepOutcome[] = [];
    for (let index = 0; index < sets.length; index += 1) {
      results.push({ index, parameters: sets[index], metrics: await evaluateParameterSet(job, sets[index]) });
      onProgress?.(index + 1, sets.length);
    }
    return results;
  }

  private start(): Promise<PoolWorker[]> {
    this.starting ??= (async () => {
      const script = this.scriptPath ?? (await sweepWorkerScript());
      this.workers = Array.from({ length: this.size }, () => {
        const w: PoolWorker = { worker: new Worker(script), jobs: new Set(), busy: false };
        w.worker.on('message', (reply: SweepWorkerReply) => this.onReply(w, reply));
        w.worker.on('error', (error) => this.active?.reject(error));
        w.worker.on('exit', (code) => {
          if (!this.closed) this.active?.reject(new Error(`sweep worker exited with code ${code}`));
        });
        return w;
      });
      return this.workers;
    })();
    return this.starting;
  }

  /** Gives a free worker the next parameter set (and the job's data, the first time it works on the job). */
  private feed(w: PoolWorker): void {
    const run = this.active;
    if (run === undefined || w.busy || run.next >= run.sets.length) return;
    if (!w.jobs.has(run.jobId)) {
      w.worker.postMessage({ type: 'job', jobId: run.jobId, job: run.job } satisfies SweepWorkerRequest);
      w.jobs.add(run.jobId);
    }
    const index = run.next++;
    w.busy = true;
    w.worker.postMessage({
      type: 'task',
      jobId: run.jobId,
      index,
      parameters: run.sets[index],
    } satisfies SweepWorkerRequest);
  }

  private onReply(w: PoolWorker, reply: SweepWorkerReply): void {
    w.busy = false;
    const run = this.active;
    if (run === undefined || reply.jobId !== run.jobId) {
      // A late answer from a sweep that already failed: the worker is free for the current one.
      this.feed(w);
      return;
    }
    if (reply.type === 'error') {
      run.reject(new Error(`parameter set ${JSON.stringify(run.sets[reply.index])}: ${reply.message}`));
      return;
    }
    run.results[reply.index] = { index: reply.index, parameters: run.sets[reply.index], metrics: reply.metrics };
    run.done += 1;
    run.onProgress?.(run.done, run.sets.length);
    if (run.done === run.sets.length) run.resolve(run.results);
    else this.feed(w);
  }
}

/** One sweep on a pool of its own (closed afterwards). */
export async function runSweep(
  job: SweepJob,
  sets: readonly StrategyParameters[],
  options: SweepPoolOptions & { onProgress?: (done: number, total: number) => void } = {},
): Promise<SweepOutcome[]> {
  const pool = new SweepPool(options);
  try {
    return await pool.run(job, sets, options.onProgress);
  } finally {
    await pool.close();
  }
}
