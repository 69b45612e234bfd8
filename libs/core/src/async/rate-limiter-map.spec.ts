import { ConfigError, ValidationError } from '../errors';
import { ManualClock, type Clock } from '../time';
import { RateLimiterMap, rateLimitKeyForUrl } from './rate-limiter-map';

const POLYGON = 'api.polygon.io';
const COINBASE = 'api.exchange.coinbase.com';

function vendorLimits(clock: Clock): RateLimiterMap {
  return new RateLimiterMap({
    limits: { [POLYGON]: { refillPerSecond: 5 }, [COINBASE]: { refillPerSecond: 3 } },
    clock,
  });
}

function burst(map: RateLimiterMap, key: string, n: number): boolean[] {
  return Array.from({ length: n }, () => map.tryTake(key));
}

describe('RateLimiterMap', () => {
  it('keeps an independent bucket per host: Polygon 5/s, Coinbase 3/s', () => {
    const clock = new ManualClock(1_000);
    const limits = vendorLimits(clock);
    expect(burst(limits, POLYGON, 6)).toEqual([true, true, true, true, true, false]);
    expect(burst(limits, COINBASE, 4)).toEqual([true, true, true, false]);
    clock.advance(200);
    expect(burst(limits, POLYGON, 2)).toEqual([true, false]);
    expect(limits.tryTake(COINBASE)).toBe(false);
    expect(limits.msUntilAvailable(COINBASE)).toBe(134); // 0.6 of 1 token at 3/s: 0.4 / 3 s
  });

  it('finds the key of a URL by its host', () => {
    expect(rateLimitKeyForUrl('https://api.polygon.io/v2/aggs/ticker/AAPL/range/1/day?adjusted=true')).toBe(POLYGON);
    expect(rateLimitKeyForUrl(new URL('http://127.0.0.1:8080/quotes'))).toBe('127.0.0.1:8080');
  });

  it('fails with a ConfigError naming the key when it has no limit and there is no default', () => {
    const limits = vendorLimits(new ManualClock());
    const error = (() => {
      try {
        limits.tryTake('api.kraken.com');
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      {
        field: 'limits.api.kraken.com',
        message: 'no rate limit configured for this key and no defaultLimit',
        value: 'api.kraken.com',
      },
    ]);
    expect(limits.has('api.kraken.com')).toBe(false);
  });

  it('gives each unknown key its own bucket from the default limit', () => {
    const limits = new RateLimiterMap({ defaultLimit: { refillPerSecond: 1, capacity: 2 }, clock: new ManualClock() });
    expect(burst(limits, 'a.example', 3)).toEqual([true, true, false]);
    expect(burst(limits, 'b.example', 3)).toEqual([true, true, false]);
    expect(limits.keys()).toEqual(['a.example', 'b.example']);
  });

  it('replaces a limit with configure()', () => {
    const clock = new ManualClock(1_000);
    const limits = vendorLimits(clock);
    burst(limits, POLYGON, 5);
    limits.configure(POLYGON, { refillPerSecond: 100, capacity: 100 });
    expect(burst(limits, POLYGON, 100).every(Boolean)).toBe(true);
    expect(limits.tryTake(POLYGON)).toBe(false);
  });

  it('rejects an invalid limit when constructed, not on first use', () => {
    expect(() => new RateLimiterMap({ limits: { [POLYGON]: { refillPerSecond: 0 } } })).toThrow(ValidationError);
  });

  it('waits through take() for the key it is given', async () => {
    jest.useFakeTimers({ now: 5_000 });
    try {
      const limits = vendorLimits({ now: () => Date.now() });
      burst(limits, COINBASE, 3);
      let done = false;
      void limits.take(COINBASE).then(() => (done = true));
      await jest.advanceTimersByTimeAsync(333);
      expect(done).toBe(false);
      await jest.advanceTimersByTimeAsync(1);
      expect(done).toBe(true);
      await expect(limits.take(POLYGON)).resolves.toBeUndefined();
    } finally {
      jest.useRealTimers();
    }
  });
});
