/**
 * A result that is there at once when nothing on the way waits for I/O (the in-memory store, the paper exchange), or
 * a promise of it otherwise. The engine's order path returns these so a backtest's orders cost no microtask turns,
 * while the code path — checks, writes and their order — stays the one the asynchronous stores and venues use.
 */
export type MaybePromise<T> = T | Promise<T>;

export function isPromise<T>(value: MaybePromise<T>): value is Promise<T> {
  return value instanceof Promise;
}
