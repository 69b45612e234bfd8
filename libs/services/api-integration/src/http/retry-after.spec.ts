import { parseRetryAfterMs } from './retry-after';

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-01-05T10:00:00Z');

  it('reads delay-seconds, fractions rounded up to the millisecond', () => {
    expect(parseRetryAfterMs('120', now)).toBe(120_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('1.0005', now)).toBe(1_001);
  });

  it('reads an HTTP-date against the clock, a past date meaning now', () => {
    expect(parseRetryAfterMs('Mon, 05 Jan 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Mon, 05 Jan 2026 09:59:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs(['Mon, 05 Jan 2026 10:01:00 GMT'], now)).toBe(60_000);
  });

  it('ignores what it cannot read, so the caller keeps its own backoff', () => {
    expect(parseRetryAfterMs(undefined, now)).toBeUndefined();
    expect(parseRetryAfterMs('', now)).toBeUndefined();
    expect(parseRetryAfterMs('-5', now)).toBeUndefined();
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs('2026-01-05', now)).toBeUndefined();
  });
});
