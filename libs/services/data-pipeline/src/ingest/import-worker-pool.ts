import { Worker } from 'node:worker_threads';

/** How long a finished import worker waits for the next import before it is ended. */
export const IMPORT_WORKER_IDLE_MS = 30_000;

interface IdleWorker {
  script: string;
  worker: Worker;
  timer: NodeJS.Timeout;
}

/** At most one idle worker is kept: imports run one at a time in practice, and each worker holds its own heap. */
let idle: IdleWorker | undefined;

/**
 * A worker thread running `script`: the one the previous import left idle when there is one — its start-up (loading
 * the bundle, ~0.1–0.3 s) is paid once and its compiled parse code is warm — or a new one.
 */
export function acquireImportWorker(script: string): Worker {
  const kept = idle;
  idle = undefined;
  if (kept !== undefined) {
    clearTimeout(kept.timer);
    forgetListeners(kept.worker);
    if (kept.script === script) {
      kept.worker.ref();
      return kept.worker;
    }
    void kept.worker.terminate();
  }
  return new Worker(script);
}

/**
 * Gives back a worker whose import ended cleanly (it sent `done`, so it holds no state): kept for the next import,
 * without keeping the process alive, and ended after IMPORT_WORKER_IDLE_MS unused. A worker whose import failed or
 * was abandoned is terminated instead.
 */
export function releaseImportWorker(script: string, worker: Worker, reusable: boolean): Promise<unknown> {
  forgetListeners(worker);
  if (!reusable || idle !== undefined) return worker.terminate();
  worker.unref();
  // An idle worker that dies (out of memory, killed) is simply forgotten: the next import starts a new one.
  worker.once('error', () => worker.emit('exit'));
  worker.once('exit', () => {
    if (idle?.worker !== worker) return;
    clearTimeout(idle.timer);
    idle = undefined;
  });
  const timer = setTimeout(() => {
    if (idle?.worker === worker) idle = undefined;
    void worker.terminate();
  }, IMPORT_WORKER_IDLE_MS);
  timer.unref();
  idle = { script, worker, timer };
  return Promise.resolve();
}

/** Drops the previous owner's listeners (by event: Worker keeps internal ones of its own, which must stay). */
function forgetListeners(worker: Worker): void {
  for (const event of ['message', 'error', 'exit']) worker.removeAllListeners(event);
}
