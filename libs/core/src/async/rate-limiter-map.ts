import { ConfigError } from '../errors';
import { systemClock, type Clock } from '../time';
import { TokenBucket } from './token-bucket';

/** A sustained rate with a burst allowance. */
export interface RateLimit {
  refillPerSecond: number;
  /** Burst size; defaults to one second's worth of tokens (at least 1). */
  capacity?: number;
}

export interface RateLimiterMapOptions {
  /** Limits per key, e.g. `{ 'api.polygon.io': { refillPerSecond: 5 } }`. */
  limits?: Record<string, RateLimit>;
  /** Used for keys without their own limit; without it such keys are a configuration error. */
  defaultLimit?: RateLimit;
  clock?: Clock;
}

/** The key a URL is limited under: its host (with the port, when not the default one). */
export function rateLimitKeyForUrl(url: string | URL): string {
  return (typeof url === 'string' ? new URL(url) : url).host;
}

/**
 * One token bucket per key (host, account, endpoint family), created on first use from that key's limit. Vendors
 * limit per host, so clients of several vendors share one map instead of each keeping its own throttle.
 */
export class RateLimiterMap {
  private readonly limits = new Map<string, RateLimit>();
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly defaultLimit: RateLimit | undefined;
  private readonly clock: Clock;

  constructor(options: RateLimiterMapOptions = {}) {
    this.defaultLimit = options.defaultLimit;
    this.clock = options.clock ?? systemClock;
    for (const [key, limit] of Object.entries(options.limits ?? {})) this.limits.set(key, limit);
    // Build every configured bucket now, so a bad limit fails at start-up rather than on the first request.
    for (const key of this.limits.keys()) this.bucket(key);
    if (this.defaultLimit) this.createBucket('(default)', this.defaultLimit);
  }

  /**
   * Sets (or replaces) the limit of `key`. Requests already waiting on the old bucket are still served by it;
   * new requests use the new limit.
   */
  configure(key: string, limit: RateLimit): TokenBucket {
    const bucket = this.createBucket(key, limit);
    this.limits.set(key, limit);
    this.buckets.set(key, bucket);
    return bucket;
  }

  /** The bucket of `key`, created from its limit (or the default) on first use. */
  bucket(key: string): TokenBucket {
    const existing = this.buckets.get(key);
    if (existing) return existing;
    const limit = this.limits.get(key) ?? this.defaultLimit;
    if (!limit) {
      throw new ConfigError(
        [{ field: `limits.${key}`, message: 'no rate limit configured for this key and no defaultLimit', value: key }],
        'rate limiter map',
      );
    }
    const bucket = this.createBucket(key, limit);
    this.buckets.set(key, bucket);
    return bucket;
  }

  has(key: string): boolean {
    return this.limits.has(key) || this.defaultLimit !== undefined;
  }

  keys(): string[] {
    return [...this.buckets.keys()];
  }

  tryTake(key: string, n = 1): boolean {
    return this.bucket(key).tryTake(n);
  }

  takeOrThrow(key: string, n = 1): void {
    this.bucket(key).takeOrThrow(n);
  }

  take(key: string, n = 1, signal?: AbortSignal): Promise<void> {
    return this.bucket(key).take(n, signal);
  }

  msUntilAvailable(key: string, n = 1): number {
    return this.bucket(key).msUntilAvailable(n);
  }

  private createBucket(key: string, limit: RateLimit): TokenBucket {
    const capacity = limit.capacity ?? Math.max(1, limit.refillPerSecond);
    return new TokenBucket({ name: key, capacity, refillPerSecond: limit.refillPerSecond, clock: this.clock });
  }
}
