import { ValidationError } from '../errors';
import { ManualClock } from '../time';
import { AsyncCache } from './async-cache';
import { deferred, type Deferred } from './testing/deferred';

/** A loader whose calls stay pending until the test settles them, one deferred per call. */
function controlledLoader<V>() {
  const calls: { key: string; result: Deferred<V> }[] = [];
  const loader = (key: string): Promise<V> => {
    const result = deferred<V>();
    calls.push({ key, result });
    return result.promise;
  };
  return { calls, loader };
}

describe('AsyncCache', () => {
  it('shares one loader call between concurrent misses for a key', async () => {
    const cache = new AsyncCache<string, number>({ max: 10 });
    const { calls, loader } = controlledLoader<number>();
    const gets = Array.from({ length: 5 }, () => cache.get('BTC-USD', loader));
    expect(calls).toHaveLength(1);
    expect(cache.stats()).toEqual({ hits: 0, misses: 5, loads: 1, errors: 0, size: 0, inFlight: 1 });
    calls[0].result.resolve(43_250);
    await expect(Promise.all(gets)).resolves.toEqual([43_250, 43_250, 43_250, 43_250, 43_250]);
    await expect(cache.get('BTC-USD', loader)).resolves.toBe(43_250);
    expect(calls).toHaveLength(1);
    expect(cache.stats()).toEqual({ hits: 1, misses: 5, loads: 1, errors: 0, size: 1, inFlight: 0 });
  });

  it('never stores a failed load: every waiter sees the error and the next get loads again', async () => {
    const cache = new AsyncCache<string, number>({ max: 10 });
    const { calls, loader } = controlledLoader<number>();
    const failure = new Error('vendor 503');
    const first = cache.get('ETH-USD', loader);
    const joined = cache.get('ETH-USD', loader);
    calls[0].result.reject(failure);
    await expect(first).rejects.toBe(failure);
    await expect(joined).rejects.toBe(failure);
    expect(cache.peek('ETH-USD')).toBeUndefined();
    const retried = cache.get('ETH-USD', loader);
    expect(calls).toHaveLength(2);
    calls[1].result.resolve(2_310);
    await expect(retried).resolves.toBe(2_310);
    expect(cache.stats()).toEqual({ hits: 0, misses: 3, loads: 2, errors: 1, size: 1, inFlight: 0 });
  });

  it('turns a loader that throws synchronously into a rejection that is not cached', async () => {
    const cache = new AsyncCache<string, string>({ max: 2 });
    const failure = new Error('bad key');
    await expect(
      cache.get('x', () => {
        throw failure;
      }),
    ).rejects.toBe(failure);
    await expect(cache.get('x', () => 'ok')).resolves.toBe('ok');
    expect(cache.stats()).toMatchObject({ loads: 2, errors: 1, size: 1, inFlight: 0 });
  });

  // The legacy cache's bug: an invalidation that raced a load was undone when the load finished.
  it('does not store the result of a load that was in flight when its key was invalidated', async () => {
    const cache = new AsyncCache<string, string>({ max: 10 });
    const { calls, loader } = controlledLoader<string>();
    const beforeInvalidate = cache.get('position:BTC-USD', loader); // reads the old row
    cache.invalidate('position:BTC-USD'); // the row was just updated
    const afterInvalidate = cache.get('position:BTC-USD', loader);
    expect(calls).toHaveLength(2); // the later read does not join the stale load

    calls[1].result.resolve('qty=2'); // new load finishes first
    await expect(afterInvalidate).resolves.toBe('qty=2');
    calls[0].result.resolve('qty=1'); // stale load finishes last
    await expect(beforeInvalidate).resolves.toBe('qty=1');

    expect(cache.peek('position:BTC-USD')).toBe('qty=2');
    await expect(cache.get('position:BTC-USD', loader)).resolves.toBe('qty=2');
    expect(calls).toHaveLength(2);
  });

  it('does not store a stale load that finishes after an invalidation with no reload', async () => {
    const cache = new AsyncCache<string, string>({ max: 10 });
    const { calls, loader } = controlledLoader<string>();
    const stale = cache.get('k', loader);
    expect(cache.invalidate('k')).toBe(true);
    calls[0].result.resolve('old');
    await expect(stale).resolves.toBe('old');
    expect(cache.peek('k')).toBeUndefined();
    expect(cache.stats()).toMatchObject({ size: 0, inFlight: 0 });
  });

  it('lets neither clear() nor set() be overwritten by a load that was in flight', async () => {
    const cache = new AsyncCache<string, string>({ max: 10 });
    const { calls, loader } = controlledLoader<string>();
    const a = cache.get('a', loader);
    const b = cache.get('b', loader);
    cache.clear();
    cache.set('b', 'written');
    calls[0].result.resolve('stale-a');
    calls[1].result.resolve('stale-b');
    await Promise.all([a, b]);
    expect(cache.peek('a')).toBeUndefined();
    expect(cache.peek('b')).toBe('written');
  });

  it('expires values after ttlMs on the injected clock', async () => {
    const clock = new ManualClock(1_000_000);
    const cache = new AsyncCache<string, number>({ max: 10, ttlMs: 60_000, clock });
    let version = 0;
    const loader = async (): Promise<number> => ++version;
    await expect(cache.get('quote', loader)).resolves.toBe(1);
    clock.advance(60_000);
    await expect(cache.get('quote', loader)).resolves.toBe(1); // exactly ttlMs old: still fresh
    clock.advance(1);
    await expect(cache.get('quote', loader)).resolves.toBe(2);
    clock.advance(59_999);
    expect(cache.stats().size).toBe(1);
    clock.advance(2);
    expect(cache.stats()).toEqual({ hits: 1, misses: 2, loads: 2, errors: 0, size: 0, inFlight: 0 });
  });

  it('expires values also on a simulated clock that starts at epoch 0', async () => {
    const clock = new ManualClock();
    const cache = new AsyncCache<string, string>({ max: 10, ttlMs: 1_000, clock });
    await cache.get('k', async () => 'v');
    clock.advance(1_001);
    expect(cache.peek('k')).toBeUndefined();
  });

  it('evicts the least recently used entry beyond max', async () => {
    const cache = new AsyncCache<string, string>({ max: 2 });
    const load = async (key: string): Promise<string> => key.toUpperCase();
    await cache.get('a', load);
    await cache.get('b', load);
    await cache.get('a', load); // a is now the most recently used
    await cache.get('c', load);
    expect([cache.peek('a'), cache.peek('b'), cache.peek('c')]).toEqual(['A', undefined, 'C']);
  });

  it('invalidates by predicate, stored and in-flight keys alike', async () => {
    const cache = new AsyncCache<string, string>({ max: 10 });
    await cache.get('bars:AAPL:1d', async () => 'aapl-daily');
    await cache.get('bars:AAPL:1h', async () => 'aapl-hourly');
    await cache.get('bars:MSFT:1d', async () => 'msft-daily');
    const { calls, loader } = controlledLoader<string>();
    const loading = cache.get('bars:AAPL:5m', loader);
    const seen: [string, string | undefined][] = [];
    const count = cache.invalidateWhere((key, value) => {
      seen.push([key, value]);
      return key.startsWith('bars:AAPL:');
    });
    expect(count).toBe(3);
    expect(seen).toContainEqual(['bars:AAPL:5m', undefined]);
    expect(seen).toContainEqual(['bars:MSFT:1d', 'msft-daily']);
    calls[0].result.resolve('aapl-5m');
    await loading;
    expect(cache.stats()).toMatchObject({ size: 1, inFlight: 0 });
    expect(cache.peek('bars:MSFT:1d')).toBe('msft-daily');
  });

  it('refuses invalid options', () => {
    expect(() => new AsyncCache({ max: 0 })).toThrow(ValidationError);
    expect(() => new AsyncCache({ max: 1, ttlMs: -5 })).toThrow('ttlMs: must be a finite number >= 0');
  });
});
