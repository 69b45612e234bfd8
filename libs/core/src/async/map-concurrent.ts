import pLimit from 'p-limit';
import { checkOptions, isIntAtLeast } from './option-checks';

export interface MapConcurrentOptions {
  /** Aborting rejects the whole call with the signal's reason and launches nothing further. */
  signal?: AbortSignal;
}

/**
 * Receives the item, its index and a signal that aborts when the whole call gives up (first failure or caller
 * abort), so work already in flight can stop early instead of finishing for nobody.
 */
export type ConcurrentMapper<T, R> = (item: T, index: number, signal: AbortSignal) => Promise<R> | R;

/**
 * Maps `items` through `fn` with at most `limit` calls in flight; results come back in input order. The first
 * rejection rejects the call and stops launching queued items (those already running are signalled to abort).
 */
export async function mapConcurrent<T, R>(
  items: Iterable<T>,
  limit: number,
  fn: ConcurrentMapper<T, R>,
  options: MapConcurrentOptions = {},
): Promise<R[]> {
  checkOptions('mapConcurrent', [
    { field: 'limit', value: limit, ok: isIntAtLeast(limit, 1), message: 'must be an integer >= 1' },
  ]);
  const outer = options.signal;
  outer?.throwIfAborted();
  const list = Array.from(items);
  if (list.length === 0) return [];

  const controller = new AbortController();
  // rejectOnClear settles the queued calls when we give up, so no promise is left pending forever.
  const limiter = pLimit({ concurrency: limit, rejectOnClear: true });
  const stop = (reason: unknown): void => {
    if (controller.signal.aborted) return;
    limiter.clearQueue();
    controller.abort(reason);
  };
  const onOuterAbort = (): void => stop(outer?.reason);
  outer?.addEventListener('abort', onOuterAbort, { once: true });

  const stopped = new Promise<never>((_, reject) => {
    controller.signal.addEventListener('abort', () => reject(controller.signal.reason), { once: true });
  });
  try {
    const runs = list.map((item, index) =>
      limiter(async () => {
        // A slot can free up between the failure and clearQueue(); never start new work after giving up.
        controller.signal.throwIfAborted();
        try {
          return await fn(item, index, controller.signal);
        } catch (error) {
          stop(error);
          throw error;
        }
      }),
    );
    return await Promise.race([Promise.all(runs), stopped]);
  } finally {
    outer?.removeEventListener('abort', onOuterAbort);
  }
}
