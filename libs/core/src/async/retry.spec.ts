import { RateLimitedError, ValidationError } from '../errors';
import { computeBackoffDelayMs, retry, retryAttemptsOf, type RetryOptions } from './retry';

/** Returns the given values in turn: a "seeded" random whose draws the test knows. */
function sequence(values: number[]): () => number {
  let i = 0;
  return () => {
    if (i >= values.length) throw new Error('random drawn more often than expected');
    return values[i++];
  };
}

/** Records requested waits instead of waiting, so the delays can be asserted exactly and the test takes no time. */
function recordingSleep(): { delays: number[]; sleep: NonNullable<RetryOptions['sleep']> } {
  const delays: number[] = [];
  return { delays, sleep: async (ms) => void delays.push(ms) };
}

function failingTimes(failures: number, value = 'ok') {
  let calls = 0;
  const fn = jest.fn(async (attempt: number) => {
    calls++;
    if (calls <= failures) throw new Error(`failure ${attempt}`);
    return value;
  });
  return fn;
}

describe('computeBackoffDelayMs', () => {
  const opts = { baseDelayMs: 100, maxDelayMs: 1_000 };

  it('without jitter is base * factor^n capped at the maximum', () => {
    const delays = [0, 1, 2, 3, 4, 5].map((n) => computeBackoffDelayMs(n, { ...opts, jitter: 'none' }));
    expect(delays).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect([0, 1, 2].map((n) => computeBackoffDelayMs(n, { ...opts, factor: 3, jitter: 'none' }))).toEqual([
      100, 300, 900,
    ]);
  });

  it('with full jitter draws uniformly from 0..ceiling', () => {
    expect(computeBackoffDelayMs(0, opts, () => 0)).toBe(0);
    expect(computeBackoffDelayMs(0, opts, () => 0.5)).toBe(50); // floor(0.5 * 101)
    expect(computeBackoffDelayMs(2, opts, () => 0.999_999)).toBe(400);
    expect(computeBackoffDelayMs(9, opts, () => 0.75)).toBe(750); // floor(0.75 * 1001), capped ceiling
  });

  it('rounds a fractional ceiling down to whole milliseconds', () => {
    expect(computeBackoffDelayMs(3, { baseDelayMs: 10, maxDelayMs: 1_000, factor: 1.5, jitter: 'none' })).toBe(33);
  });
});

describe('retry', () => {
  it('waits the full-jitter sequence computed from the random draws, then succeeds', async () => {
    const { delays, sleep } = recordingSleep();
    const fn = failingTimes(5, 'filled');
    const result = await retry(fn, {
      retries: 5,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      random: sequence([0.5, 0.25, 0.999, 0, 0.75]),
      sleep,
    });
    expect(result).toBe('filled');
    expect(fn).toHaveBeenCalledTimes(6);
    // ceilings 100, 200, 400, 800, 1000 -> floor(r * (ceiling + 1))
    expect(delays).toEqual([50, 50, 400, 0, 750]);
    expect(fn.mock.calls.map(([attempt]) => attempt)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('without jitter waits exactly the exponential ceilings', async () => {
    const { delays, sleep } = recordingSleep();
    await retry(failingTimes(4), { retries: 4, baseDelayMs: 250, maxDelayMs: 1_500, jitter: 'none', sleep });
    expect(delays).toEqual([250, 500, 1_000, 1_500]);
  });

  it('throws the last error itself, with the number of attempts recorded on it', async () => {
    const { delays, sleep } = recordingSleep();
    const fn = failingTimes(10);
    const error = await retry(fn, { retries: 2, baseDelayMs: 10, maxDelayMs: 100, jitter: 'none', sleep }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('failure 3');
    expect(retryAttemptsOf(error)).toBe(3);
    expect(fn).toHaveBeenCalledTimes(3);
    expect(delays).toEqual([10, 20]);
  });

  it('tells onRetry which attempt failed, why, and how long it will wait', async () => {
    const { sleep } = recordingSleep();
    const seen: string[] = [];
    await retry(failingTimes(2), {
      retries: 3,
      baseDelayMs: 100,
      maxDelayMs: 1_000,
      random: sequence([0.1, 0.9]),
      sleep,
      onRetry: ({ error, attempt, delayMs }) => seen.push(`${attempt}:${(error as Error).message}:${delayMs}`),
    });
    expect(seen).toEqual(['1:failure 1:10', '2:failure 2:180']);
  });

  it('stops at once when retryIf says the error is not worth retrying', async () => {
    const { delays, sleep } = recordingSleep();
    const badRequest = Object.assign(new Error('400 invalid symbol'), { status: 400 });
    const retryIf = jest.fn((error: unknown) => (error as { status?: number }).status !== 400);
    const error = await retry(
      async () => {
        throw badRequest;
      },
      { retries: 5, baseDelayMs: 10, maxDelayMs: 100, retryIf, sleep },
    ).catch((e: unknown) => e);
    expect(error).toBe(badRequest);
    expect(retryAttemptsOf(error)).toBe(1);
    expect(retryIf).toHaveBeenCalledWith(badRequest, 1);
    expect(delays).toEqual([]);
  });

  it("waits the server's Retry-After instead of the backoff when it gives one", async () => {
    const { delays, sleep } = recordingSleep();
    let calls = 0;
    const result = await retry(
      async () => {
        calls++;
        if (calls === 1) throw new RateLimitedError('api.polygon.io', 2_500);
        if (calls === 2) throw new Error('socket hang up');
        return 'bars';
      },
      {
        retries: 3,
        baseDelayMs: 100,
        maxDelayMs: 1_000,
        jitter: 'none',
        sleep,
        retryAfterMs: (error) =>
          error instanceof RateLimitedError ? (error.details as { retryAfterMs: number }).retryAfterMs : undefined,
      },
    );
    expect(result).toBe('bars');
    // The first wait is the server's (above maxDelayMs: the server knows best); the second is the backoff ceiling.
    expect(delays).toEqual([2_500, 200]);
  });

  it('rejects with the abort reason when aborted during a backoff, without further attempts', async () => {
    const controller = new AbortController();
    const reason = new Error('order cancelled');
    const fn = failingTimes(10);
    const outcome = retry(fn, {
      retries: 5,
      baseDelayMs: 60_000,
      maxDelayMs: 60_000,
      jitter: 'none',
      signal: controller.signal,
      onRetry: () => queueMicrotask(() => controller.abort(reason)),
    });
    await expect(outcome).rejects.toBe(reason);
    expect(fn).toHaveBeenCalledTimes(1);
  });

  it('really sleeps between attempts by default', async () => {
    const fn = failingTimes(2, 'eventually');
    await expect(retry(fn, { retries: 2, baseDelayMs: 1, maxDelayMs: 2, jitter: 'none' })).resolves.toBe('eventually');
    expect(fn).toHaveBeenCalledTimes(3);
  });

  it('names every invalid option at once', async () => {
    const error = await retry(async () => 1, {
      retries: -1,
      baseDelayMs: 100,
      maxDelayMs: 50,
      factor: 0.5,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toEqual(['retries', 'maxDelayMs', 'factor']);
  });
});
