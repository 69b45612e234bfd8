import { mapConcurrent, type MapConcurrentOptions } from './map-concurrent';

/** A deferred unit of work; the signal aborts when the gather it belongs to gives up. */
export type GatherTask<T> = (signal: AbortSignal) => Promise<T> | T;

/**
 * Runs `tasks` with at most `limit` in flight and resolves with their results in input order. The first rejection
 * rejects the gather and no further task is started.
 */
export function gather<T>(
  tasks: readonly GatherTask<T>[],
  limit: number,
  options: MapConcurrentOptions = {},
): Promise<T[]> {
  return mapConcurrent(tasks, limit, (task, _index, signal) => task(signal), options);
}

/**
 * Like `gather`, but a failing task does not stop the others: every task runs and its outcome is reported in input
 * order. Only an abort of `options.signal` rejects the whole call.
 */
export function gatherSettled<T>(
  tasks: readonly GatherTask<T>[],
  limit: number,
  options: MapConcurrentOptions = {},
): Promise<PromiseSettledResult<T>[]> {
  return mapConcurrent(
    tasks,
    limit,
    async (task, _index, signal): Promise<PromiseSettledResult<T>> => {
      try {
        return { status: 'fulfilled', value: await task(signal) };
      } catch (reason) {
        return { status: 'rejected', reason };
      }
    },
    options,
  );
}
