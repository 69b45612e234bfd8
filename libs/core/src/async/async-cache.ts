import { LRUCache } from 'lru-cache';
import { systemClock, type Clock } from '../time';
import { checkOptions, isFiniteAtLeast, isIntAtLeast } from './option-checks';

export interface AsyncCacheOptions {
  /** Most entries kept; the least recently used one is evicted beyond it. */
  max: number;
  /** Time to live of a loaded value; omitted or 0: values never expire. */
  ttlMs?: number;
  clock?: Clock;
}

export interface AsyncCacheStats {
  /** `get` calls answered from a stored value. */
  hits: number;
  /** `get` calls that found no stored value (whether they started a load or joined one in flight). */
  misses: number;
  /** Loader calls. */
  loads: number;
  /** Loader calls that failed (never stored). */
  errors: number;
  /** Values stored and not expired. */
  size: number;
  /** Loads currently running. */
  inFlight: number;
}

interface InFlightLoad<V> {
  promise: Promise<V>;
}

/**
 * A TTL + LRU cache of values that are loaded asynchronously. Concurrent misses for one key share one loader call;
 * a failed load is never stored; and a load that was running when its key was invalidated delivers its result to
 * the callers that were waiting for it but does not store it, so no read after the invalidation sees the old value.
 */
export class AsyncCache<K extends NonNullable<unknown>, V extends NonNullable<unknown>> {
  private readonly values: LRUCache<K, V>;
  private readonly inFlight = new Map<K, InFlightLoad<V>>();
  private counters = { hits: 0, misses: 0, loads: 0, errors: 0 };

  constructor(options: AsyncCacheOptions) {
    const { max, ttlMs = 0 } = options;
    checkOptions('async cache', [
      { field: 'max', value: max, ok: isIntAtLeast(max, 1), message: 'must be an integer >= 1' },
      { field: 'ttlMs', value: ttlMs, ok: isFiniteAtLeast(ttlMs, 0), message: 'must be a finite number >= 0' },
    ]);
    const clock = options.clock ?? systemClock;
    this.values = new LRUCache<K, V>({
      max,
      ...(ttlMs > 0 ? { ttl: ttlMs } : {}),
      // Read the clock on every staleness check: lru-cache otherwise caches "now" behind a timer.
      ttlResolution: 0,
      // lru-cache reads a start time of 0 as "no TTL"; shifting by 1 ms keeps a simulated clock at epoch 0 honest
      // (only differences of this clock are ever used).
      perf: { now: () => clock.now() + 1 },
    });
  }

  /** The stored value, or the loader's result (shared with concurrent callers for the same key). */
  get(key: K, loader: (key: K) => Promise<V> | V): Promise<V> {
    const stored = this.values.get(key);
    if (stored !== undefined) {
      this.counters.hits++;
      return Promise.resolve(stored);
    }
    this.counters.misses++;
    const running = this.inFlight.get(key);
    if (running) return running.promise;
    return this.load(key, loader);
  }

  /** The stored value without loading; neither counts as a hit or miss nor refreshes its LRU position. */
  peek(key: K): V | undefined {
    return this.values.peek(key);
  }

  /** Stores a value directly; a load in flight for the key will not overwrite it. */
  set(key: K, value: V): void {
    this.inFlight.delete(key);
    this.values.set(key, value);
  }

  /** Forgets the key: its stored value and any load in flight (whose result will not be stored). */
  invalidate(key: K): boolean {
    const hadLoad = this.inFlight.delete(key);
    return this.values.delete(key) || hadLoad;
  }

  /** Invalidates every key the predicate picks (`value` is undefined for a key that is only being loaded). */
  invalidateWhere(predicate: (key: K, value: V | undefined) => boolean): number {
    const picked = new Set<K>();
    for (const [key, value] of this.values.entries()) if (predicate(key, value)) picked.add(key);
    for (const key of this.inFlight.keys()) if (!picked.has(key) && predicate(key, undefined)) picked.add(key);
    for (const key of picked) this.invalidate(key);
    return picked.size;
  }

  clear(): void {
    this.inFlight.clear();
    this.values.clear();
  }

  stats(): AsyncCacheStats {
    this.values.purgeStale();
    return { ...this.counters, size: this.values.size, inFlight: this.inFlight.size };
  }

  private load(key: K, loader: (key: K) => Promise<V> | V): Promise<V> {
    this.counters.loads++;
    let started: Promise<V>;
    try {
      started = Promise.resolve(loader(key));
    } catch (error) {
      started = Promise.reject(error);
    }
    const entry: InFlightLoad<V> = {
      promise: started.then(
        (value) => {
          // Still ours only if nobody invalidated, cleared or set the key meanwhile: otherwise the value is stale.
          if (this.inFlight.get(key) === entry) {
            this.inFlight.delete(key);
            this.values.set(key, value);
          }
          return value;
        },
        (error: unknown) => {
          this.counters.errors++;
          if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
          throw error;
        },
      ),
    };
    this.inFlight.set(key, entry);
    return entry.promise;
  }
}
