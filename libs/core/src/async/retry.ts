import { checkOptions, isFiniteAtLeast, isIntAtLeast } from './option-checks';
import { sleep } from './sleep';

export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Growth per retry; default 2. */
  factor?: number;
  /** 'full' (default): uniform in [0, ceiling], AWS "full jitter"; 'none': exactly the ceiling. */
  jitter?: 'full' | 'none';
}

export interface RetryInfo {
  error: unknown;
  /** 1-based number of the attempt that just failed. */
  attempt: number;
  /** How long retry waits before the next attempt. */
  delayMs: number;
}

export interface RetryOptions extends BackoffOptions {
  /** Retries after the first attempt: `retries: 3` makes at most 4 attempts. */
  retries: number;
  /** Return false for errors that retrying cannot fix (e.g. a 400); they are thrown at once. */
  retryIf?: (error: unknown, attempt: number) => boolean;
  /** A number (e.g. from a server's Retry-After) is waited instead of the computed backoff. */
  retryAfterMs?: (error: unknown) => number | undefined;
  onRetry?: (info: RetryInfo) => void;
  signal?: AbortSignal;
  /** Source of [0, 1) randoms for the jitter; Math.random by default, seeded in tests. */
  random?: () => number;
  /** How to wait; the abortable `sleep` by default. Tests inject one that records the delays. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What an error thrown by `retry` carries: how many attempts were made before giving up. */
export interface RetryAttempts {
  attempts: number;
}

/**
 * The backoff before retry number `retryIndex` (0 for the first retry): the ceiling is
 * min(maxDelayMs, baseDelayMs * factor^retryIndex) in whole milliseconds, and full jitter draws uniformly from the
 * integers 0..ceiling.
 */
export function computeBackoffDelayMs(
  retryIndex: number,
  options: BackoffOptions,
  random: () => number = Math.random,
): number {
  const factor = options.factor ?? 2;
  const ceiling = Math.floor(Math.min(options.maxDelayMs, options.baseDelayMs * factor ** retryIndex));
  if ((options.jitter ?? 'full') === 'none') return ceiling;
  return Math.min(ceiling, Math.floor(random() * (ceiling + 1)));
}

/** The attempt count `retry` recorded on an error it threw, if any. */
export function retryAttemptsOf(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('attempts' in error)) return undefined;
  const { attempts } = error as RetryAttempts;
  return typeof attempts === 'number' ? attempts : undefined;
}

function recordAttempts(error: unknown, attempts: number): unknown {
  if (typeof error === 'object' && error !== null && Object.isExtensible(error)) {
    Object.defineProperty(error, 'attempts', {
      value: attempts,
      enumerable: false,
      writable: true,
      configurable: true,
    });
  }
  return error;
}

function checkRetryOptions(options: RetryOptions): void {
  const { retries, baseDelayMs, maxDelayMs, factor = 2, jitter = 'full' } = options;
  checkOptions('retry options', [
    { field: 'retries', value: retries, ok: isIntAtLeast(retries, 0), message: 'must be an integer >= 0' },
    { field: 'baseDelayMs', value: baseDelayMs, ok: isFiniteAtLeast(baseDelayMs, 0), message: 'must be >= 0' },
    {
      field: 'maxDelayMs',
      value: maxDelayMs,
      ok: isFiniteAtLeast(maxDelayMs, 0) && maxDelayMs >= baseDelayMs,
      message: 'must be a finite number >= baseDelayMs',
    },
    { field: 'factor', value: factor, ok: isFiniteAtLeast(factor, 1), message: 'must be >= 1' },
    { field: 'jitter', value: jitter, ok: jitter === 'full' || jitter === 'none', message: "must be 'full' or 'none'" },
  ]);
}

/**
 * Calls `fn` until it succeeds, at most `retries + 1` times, waiting an exponential, jittered backoff between
 * attempts. When it gives up it throws the last error itself (not a wrapper), with `attempts` recorded on it.
 */
export async function retry<T>(
  fn: (attempt: number, signal?: AbortSignal) => Promise<T> | T,
  options: RetryOptions,
): Promise<T> {
  checkRetryOptions(options);
  const { retries, signal, retryIf, retryAfterMs, onRetry } = options;
  const random = options.random ?? Math.random;
  const wait = options.sleep ?? sleep;
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt, signal);
    } catch (error) {
      // Work that failed because the caller gave up is not worth another attempt.
      if (signal?.aborted) throw signal.reason;
      if (attempt > retries || (retryIf !== undefined && !retryIf(error, attempt))) {
        throw recordAttempts(error, attempt);
      }
      const serverDelay = retryAfterMs?.(error);
      const delayMs =
        typeof serverDelay === 'number' && Number.isFinite(serverDelay) && serverDelay >= 0
          ? serverDelay
          : computeBackoffDelayMs(attempt - 1, options, random);
      onRetry?.({ error, attempt, delayMs });
      await wait(delayMs, signal);
    }
  }
}
