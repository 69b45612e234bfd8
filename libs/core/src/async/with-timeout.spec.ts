import { RrrError, TimeoutError, ValidationError } from '../errors';
import { withTimeout } from './with-timeout';

describe('withTimeout', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('passes the value through and clears its timer', async () => {
    await expect(withTimeout(Promise.resolve(42), 1_000, 'answer')).resolves.toBe(42);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('passes a rejection through and clears its timer', async () => {
    const failure = new Error('connection refused');
    await expect(withTimeout(Promise.reject(failure), 1_000, 'connect')).rejects.toBe(failure);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with a TimeoutError naming the operation once the time is up', async () => {
    const never = new Promise<number>(() => undefined);
    const outcome = withTimeout(never, 50, 'GET /v2/aggs').catch((error: unknown) => error);
    await jest.advanceTimersByTimeAsync(49);
    let settled = false;
    void outcome.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    const error = (await outcome) as TimeoutError;
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error).toBeInstanceOf(RrrError);
    expect(error.code).toBe('TIMEOUT');
    expect(error.httpStatus).toBe(504);
    expect(error.message).toBe('GET /v2/aggs timed out after 50 ms');
    expect(error.details).toEqual({ operation: 'GET /v2/aggs', ms: 50 });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('aborts the signal it gave to a function, with the TimeoutError as reason', async () => {
    let seen: AbortSignal | undefined;
    const outcome = withTimeout(
      (signal) => {
        seen = signal;
        return new Promise<string>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason)));
      },
      100,
      'load positions',
    ).catch((error: unknown) => error);
    expect(seen?.aborted).toBe(false);
    await jest.advanceTimersByTimeAsync(100);
    const error = await outcome;
    expect(seen?.aborted).toBe(true);
    expect(seen?.reason).toBe(error);
    expect((error as TimeoutError).message).toBe('load positions timed out after 100 ms');
  });

  it('does not abort the signal when the function finishes in time', async () => {
    let seen: AbortSignal | undefined;
    const value = await withTimeout(
      async (signal) => {
        seen = signal;
        return 'done';
      },
      100,
      'quick',
    );
    expect(value).toBe('done');
    expect(seen?.aborted).toBe(false);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('turns a function that throws synchronously into a rejection', async () => {
    const failure = new Error('bad input');
    await expect(
      withTimeout(
        () => {
          throw failure;
        },
        100,
        'sync',
      ),
    ).rejects.toBe(failure);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('refuses a negative or non-finite time limit', () => {
    expect(() => withTimeout(Promise.resolve(1), -1, 'x')).toThrow(ValidationError);
    expect(() => withTimeout(Promise.resolve(1), Number.NaN, 'x')).toThrow('ms: must be a finite number');
  });
});
