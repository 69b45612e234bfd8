import { RateLimitedError, ValidationError } from '../errors';
import { ManualClock, type Clock } from '../time';
import { TokenBucket } from './token-bucket';

function track(promise: Promise<void>): { done: boolean; error?: unknown } {
  const state: { done: boolean; error?: unknown } = { done: false };
  promise.then(
    () => (state.done = true),
    (error: unknown) => Object.assign(state, { done: true, error }),
  );
  return state;
}

describe('TokenBucket without waiting (manual clock)', () => {
  it('allows a burst of `capacity`, then refills at the configured rate', () => {
    const clock = new ManualClock(1_000);
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 5, clock });
    expect([1, 2, 3, 4, 5, 6].map(() => bucket.tryTake())).toEqual([true, true, true, true, true, false]);
    clock.advance(199);
    expect(bucket.tryTake()).toBe(false);
    clock.advance(1);
    expect(bucket.tryTake()).toBe(true);
    expect(bucket.tryTake()).toBe(false);
  });

  it('never holds more than its capacity however long it idles', () => {
    const clock = new ManualClock(1_000);
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 10, initialTokens: 0, clock });
    clock.advance(60_000);
    expect(bucket.available()).toBe(3);
    expect(bucket.tryTake(3)).toBe(true);
    expect(bucket.available()).toBe(0);
  });

  it('computes the exact wait, rounded up to whole milliseconds', () => {
    const clock = new ManualClock(1_000);
    const bucket = new TokenBucket({ capacity: 3, refillPerSecond: 3, initialTokens: 0, clock });
    expect(bucket.msUntilAvailable(1)).toBe(334); // 1/3 s
    expect(bucket.msUntilAvailable(2)).toBe(667);
    expect(bucket.msUntilAvailable(3)).toBe(1_000);
    clock.advance(100); // 0.3 tokens
    expect(bucket.msUntilAvailable(1)).toBe(234);
    clock.advance(234);
    expect(bucket.msUntilAvailable(1)).toBe(0);
    expect(bucket.tryTake(1)).toBe(true);
  });

  it('refuses requests it could never serve, and non-positive ones', () => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 1, clock: new ManualClock() });
    expect(() => bucket.tryTake(6)).toThrow(ValidationError);
    expect(() => bucket.msUntilAvailable(6)).toThrow('n: must be > 0 and at most the capacity (5)');
    expect(() => bucket.tryTake(0)).toThrow(ValidationError);
    return expect(bucket.take(6)).rejects.toBeInstanceOf(ValidationError);
  });

  it('takeOrThrow refuses with a RateLimitedError saying how long to wait', () => {
    const clock = new ManualClock(1_000);
    const bucket = new TokenBucket({ name: 'api.polygon.io', capacity: 5, refillPerSecond: 5, clock });
    for (let i = 0; i < 5; i++) bucket.takeOrThrow();
    const error = (() => {
      try {
        bucket.takeOrThrow(2);
        return undefined;
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(RateLimitedError);
    expect((error as RateLimitedError).details).toEqual({ name: 'api.polygon.io', retryAfterMs: 400 });
    expect((error as RateLimitedError).httpStatus).toBe(429);
  });

  it('refuses invalid settings', () => {
    expect(() => new TokenBucket({ capacity: 0, refillPerSecond: 1 })).toThrow('capacity: must be > 0');
    expect(() => new TokenBucket({ capacity: 2, refillPerSecond: 1, initialTokens: 3 })).toThrow(
      'initialTokens: must be between 0 and capacity (2)',
    );
  });
});

describe('TokenBucket.take (fake timers)', () => {
  // Under jest's modern fake timers Date.now() follows the fake time, so timers and clock move together.
  const fakeClock: Clock = { now: () => Date.now() };
  beforeEach(() => jest.useFakeTimers({ now: 1_000_000 }));
  afterEach(() => jest.useRealTimers());

  it('resolves at once when tokens are there', async () => {
    const bucket = new TokenBucket({ capacity: 2, refillPerSecond: 1, clock: fakeClock });
    await expect(bucket.take(2)).resolves.toBeUndefined();
    expect(jest.getTimerCount()).toBe(0);
  });

  it('waits exactly until the tokens have refilled, with one timer and no polling', async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 5, initialTokens: 0, clock: fakeClock });
    const taken = track(bucket.take());
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(199);
    expect(taken.done).toBe(false);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(taken).toEqual({ done: true });
    expect(jest.getTimerCount()).toBe(0);
    expect(bucket.available()).toBe(0);
  });

  it('serves waiters first come, first served; a non-waiting take cannot jump the queue', async () => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 1, initialTokens: 0, clock: fakeClock });
    const big = track(bucket.take(3));
    const small = track(bucket.take(1));
    expect(bucket.waiting).toBe(2);
    await jest.advanceTimersByTimeAsync(1_000);
    // One token is there, but the queued big request comes first.
    expect(bucket.tryTake(1)).toBe(false);
    // A new request waits behind both: 3 + 1 + 1 tokens needed, 1 there, at 1 token/s.
    expect(bucket.msUntilAvailable(1)).toBe(4_000);
    await jest.advanceTimersByTimeAsync(1_999);
    expect([big.done, small.done]).toEqual([false, false]);
    await jest.advanceTimersByTimeAsync(1);
    expect([big.done, small.done]).toEqual([true, false]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect([big.done, small.done]).toEqual([true, true]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('drops an aborted waiter and serves the next one at its own time', async () => {
    const bucket = new TokenBucket({ capacity: 5, refillPerSecond: 1, initialTokens: 0, clock: fakeClock });
    const controller = new AbortController();
    const big = track(bucket.take(4, controller.signal));
    const small = track(bucket.take(1));
    await jest.advanceTimersByTimeAsync(500);
    const reason = new Error('order cancelled');
    controller.abort(reason);
    await jest.advanceTimersByTimeAsync(0);
    expect(big).toEqual({ done: true, error: reason });
    expect(bucket.waiting).toBe(1);
    await jest.advanceTimersByTimeAsync(499);
    expect(small.done).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(small).toEqual({ done: true });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects at once for an already aborted signal', async () => {
    const bucket = new TokenBucket({ capacity: 1, refillPerSecond: 1, initialTokens: 0, clock: fakeClock });
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(bucket.take(1, controller.signal)).rejects.toThrow('gone');
    expect(bucket.waiting).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });
});
