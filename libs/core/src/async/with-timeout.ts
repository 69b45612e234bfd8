import { TimeoutError } from '../errors';
import { checkOptions, isFiniteAtLeast } from './option-checks';

/** Work given as a function receives a signal that aborts when the time is up, so it can stop what it started. */
export type TimedWork<T> = Promise<T> | ((signal: AbortSignal) => Promise<T> | T);

/**
 * Settles like `work`, or rejects with a TimeoutError naming `label` after `ms` milliseconds. The timer is cleared
 * whichever way it ends, so a finished operation leaves nothing scheduled behind it.
 */
export function withTimeout<T>(work: TimedWork<T>, ms: number, label: string): Promise<T> {
  checkOptions(`withTimeout(${label})`, [
    { field: 'ms', value: ms, ok: isFiniteAtLeast(ms, 0), message: 'must be a finite number of milliseconds >= 0' },
  ]);
  return new Promise<T>((resolve, reject) => {
    const controller = new AbortController();
    const timer = setTimeout(() => {
      const error = new TimeoutError(label, ms);
      controller.abort(error);
      reject(error);
    }, ms);
    let pending: Promise<T>;
    try {
      pending = Promise.resolve(typeof work === 'function' ? work(controller.signal) : work);
    } catch (error) {
      pending = Promise.reject(error);
    }
    pending.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
