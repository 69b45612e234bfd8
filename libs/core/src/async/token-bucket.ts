import { RateLimitedError } from '../errors';
import { systemClock, type Clock } from '../time';
import { checkOptions, isFiniteAtLeast } from './option-checks';

export interface TokenBucketOptions {
  /** Burst size: the most tokens the bucket holds. */
  capacity: number;
  /** Sustained rate. */
  refillPerSecond: number;
  /** Tokens at construction; a full bucket by default. */
  initialTokens?: number;
  /** Named in RateLimitedError, e.g. the host it limits. */
  name?: string;
  clock?: Clock;
}

interface Waiter {
  tokens: number;
  resolve: () => void;
  reject: (reason: unknown) => void;
  signal?: AbortSignal;
  onAbort?: () => void;
}

// Refill arithmetic is floating point; a request that is short by less than this is served rather than re-waited.
const EPSILON = 1e-9;

/**
 * A token bucket refilled continuously from the clock. Waiting takers are served first come, first served: a later
 * (or non-waiting) request never overtakes one already queued, so a large request cannot be starved by small ones.
 * One timer at a time, set to the exact moment the head of the queue can be served.
 */
export class TokenBucket {
  readonly name: string;
  readonly capacity: number;
  readonly refillPerSecond: number;
  private readonly clock: Clock;
  private tokens: number;
  private refilledAt: number;
  private readonly waiters: Waiter[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(options: TokenBucketOptions) {
    const { capacity, refillPerSecond, initialTokens = capacity, name = 'token-bucket' } = options;
    checkOptions(`token bucket "${name}"`, [
      { field: 'capacity', value: capacity, ok: isFiniteAtLeast(capacity, Number.MIN_VALUE), message: 'must be > 0' },
      {
        field: 'refillPerSecond',
        value: refillPerSecond,
        ok: isFiniteAtLeast(refillPerSecond, Number.MIN_VALUE),
        message: 'must be > 0',
      },
      {
        field: 'initialTokens',
        value: initialTokens,
        ok: isFiniteAtLeast(initialTokens, 0) && initialTokens <= capacity,
        message: `must be between 0 and capacity (${capacity})`,
      },
    ]);
    this.name = name;
    this.capacity = capacity;
    this.refillPerSecond = refillPerSecond;
    this.clock = options.clock ?? systemClock;
    this.tokens = initialTokens;
    this.refilledAt = this.clock.now();
  }

  /** Tokens available right now (fractional while refilling). */
  available(): number {
    this.refill();
    return this.tokens;
  }

  /** Requests queued in `take`. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Takes `n` tokens if they are there now and nobody is queued ahead; never waits. */
  tryTake(n = 1): boolean {
    this.checkRequest(n);
    this.refill();
    if (this.waiters.length > 0 || this.tokens + EPSILON < n) return false;
    this.tokens = Math.max(0, this.tokens - n);
    return true;
  }

  /** Like tryTake, but a refusal is a RateLimitedError saying how long to wait. */
  takeOrThrow(n = 1): void {
    if (!this.tryTake(n)) throw new RateLimitedError(this.name, this.msUntilAvailable(n));
  }

  /**
   * Milliseconds until `take(n)` called now would be served, counting the requests queued ahead of it. They are
   * served back to back as the bucket refills, so their demand simply adds up.
   */
  msUntilAvailable(n = 1): number {
    this.checkRequest(n);
    this.refill();
    const queued = this.waiters.reduce((sum, waiter) => sum + waiter.tokens, 0);
    return this.msUntil(queued + n);
  }

  /** Resolves once `n` tokens are taken; rejects with the signal's reason if it aborts first. */
  take(n = 1, signal?: AbortSignal): Promise<void> {
    try {
      signal?.throwIfAborted();
      if (this.tryTake(n)) return Promise.resolve();
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { tokens: n, resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(signal.reason);
          // The head may have changed, and with it the moment to wake up.
          this.serve();
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.waiters.push(waiter);
      if (this.waiters.length === 1) this.serve();
    });
  }

  private checkRequest(n: number): void {
    checkOptions(`token bucket "${this.name}" request`, [
      {
        field: 'n',
        value: n,
        ok: isFiniteAtLeast(n, Number.MIN_VALUE) && n <= this.capacity,
        message: `must be > 0 and at most the capacity (${this.capacity}); a larger request could never be served`,
      },
    ]);
  }

  private msUntil(tokens: number): number {
    const deficit = tokens - this.tokens;
    return deficit <= EPSILON ? 0 : Math.ceil((deficit * 1000) / this.refillPerSecond);
  }

  private refill(): void {
    const now = this.clock.now();
    if (now > this.refilledAt) {
      this.tokens = Math.min(this.capacity, this.tokens + ((now - this.refilledAt) * this.refillPerSecond) / 1000);
      this.refilledAt = now;
    }
  }

  private serve(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.refill();
    while (this.waiters.length > 0 && this.tokens + EPSILON >= this.waiters[0].tokens) {
      const waiter = this.waiters.shift() as Waiter;
      this.tokens = Math.max(0, this.tokens - waiter.tokens);
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort);
      waiter.resolve();
    }
    if (this.waiters.length > 0) {
      // At least 1 ms: a clock that has not moved (simulated time) must not turn this into a busy loop.
      const delay = Math.max(1, this.msUntil(this.waiters[0].tokens));
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.serve();
      }, delay);
    }
  }
}
