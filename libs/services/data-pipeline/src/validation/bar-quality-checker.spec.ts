import type { Bar } from '@rrr/core';
import { BarQualityChecker } from './bar-quality-checker';
import { formatDataProblem } from './data-problem';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

function bar(day: number, close: number, overrides: Partial<Bar> = {}): Bar {
  return {
    symbol: 'BTC-USD',
    interval: '1d',
    ts: T0 + day * DAY,
    open: close,
    high: close + 1,
    low: close - 1,
    close,
    volume: 100,
    ...overrides,
  };
}

/** A calm series: closes alternate ±0.5 around 100, volume 100, one bar a day. */
function calm(days: number): Bar[] {
  return Array.from({ length: days }, (_, i) => bar(i, i % 2 === 0 ? 100 : 100.5));
}

describe('BarQualityChecker', () => {
  it('accepts clean bars untouched and reports nothing', () => {
    const checker = new BarQualityChecker({ source: 'test' });
    const bars = calm(30);
    expect(bars.map((b) => checker.check(b))).toEqual(bars);
    const report = checker.result();
    expect(report).toMatchObject({ rows: 30, accepted: 30, rejected: 0, errors: 0, warnings: 0, problems: [] });
    expect(report.series).toEqual([
      { symbol: 'BTC-USD', interval: '1d', bars: 30, firstTs: T0, lastTs: T0 + 29 * DAY },
    ]);
  });

  it('rejects OHLC-inconsistent, out-of-bounds and negative-volume bars with source, line and reason', () => {
    const checker = new BarQualityChecker({ source: 'file:x.csv' });
    expect(checker.check(bar(0, 100, { high: 99 }), 2)).toBeUndefined();
    expect(checker.check(bar(1, 100, { open: 0 }), 3)).toBeUndefined();
    expect(checker.check(bar(2, 100, { close: 2e7, high: 2e7 }), 4)).toBeUndefined();
    expect(checker.check(bar(3, 100, { volume: -5 }), 5)).toBeUndefined();
    const { problems, rejected, accepted } = checker.result();
    expect({ rejected, accepted }).toEqual({ rejected: 4, accepted: 0 });
    expect(problems.map((p) => [p.line, p.check, p.action])).toEqual([
      [2, 'ohlc-inconsistent', 'rejected'],
      [3, 'price-out-of-bounds', 'rejected'],
      [4, 'price-out-of-bounds', 'rejected'],
      [4, 'price-out-of-bounds', 'rejected'],
      [5, 'negative-volume', 'rejected'],
    ]);
    expect(problems[0].reason).toBe('high 99 is below max(open, close, low) = 100');
    expect(problems[1].reason).toBe('open must be > 0 and < 10000000 (got 0)');
    expect(problems[0]).toMatchObject({ source: 'file:x.csv', symbol: 'BTC-USD', ts: T0, severity: 'error' });
    expect(formatDataProblem(problems[0])).toBe(
      'file:x.csv line 2 (2024-01-01T00:00:00.000Z): ohlc-inconsistent — high 99 is below max(open, close, low) = 100 [rejected]',
    );
  });

  it('repairs what has an unambiguous fix, recording every change, and rejects what has none', () => {
    const checker = new BarQualityChecker({ source: 'test', policy: 'repair' });
    const swapped = checker.check(bar(0, 100, { high: 98, low: 102, volume: -3 }));
    expect(swapped).toEqual(bar(0, 100, { high: 102, low: 98, volume: 0 }));
    const noVwap = checker.check(bar(1, 100, { vwap: 150, trades: 2.5 }));
    expect(noVwap).toEqual(bar(1, 100));
    expect(checker.check(bar(2, 100, { open: -1 }))).toBeUndefined();
    const { problems, repaired, rejected, accepted } = checker.result();
    expect({ repaired, rejected, accepted }).toEqual({ repaired: 2, rejected: 1, accepted: 2 });
    expect(problems.map((p) => [p.check, p.action, p.changes])).toEqual([
      ['negative-volume', 'repaired', [{ field: 'volume', from: -3, to: 0 }]],
      [
        'ohlc-inconsistent',
        'repaired',
        [
          { field: 'high', from: 98, to: 102 },
          { field: 'low', from: 102, to: 98 },
        ],
      ],
      ['invalid-field', 'repaired', [{ field: 'vwap', from: 150, to: null }]],
      ['invalid-field', 'repaired', [{ field: 'trades', from: 2.5, to: null }]],
      ['price-out-of-bounds', 'rejected', undefined],
    ]);
  });

  it('never mutates the bar it was given when it repairs', () => {
    const input = bar(0, 100, { high: 98 });
    new BarQualityChecker({ source: 'test', policy: 'repair' }).check(input);
    expect(input.high).toBe(98);
  });

  it('quarantines bad rows with their raw text and problems', () => {
    const checker = new BarQualityChecker({ source: 'file:x.csv', policy: 'quarantine' });
    expect(checker.check(bar(0, 100, { low: 101 }), 7, '2024-01-01,100,101,101,100,100')).toBeUndefined();
    checker.refuseRow('unparseable', 'open "abc" is not a number', { line: 8, raw: '2024-01-02,abc,1,1,1,1' });
    const taken = checker.takeQuarantined();
    expect(taken.map((q) => [q.line, q.raw, q.problems.map((p) => p.check)])).toEqual([
      [7, '2024-01-01,100,101,101,100,100', ['ohlc-inconsistent']],
      [8, '2024-01-02,abc,1,1,1,1', ['unparseable']],
    ]);
    expect(checker.takeQuarantined()).toEqual([]);
    expect(checker.result()).toMatchObject({ quarantined: 2, rejected: 0, errors: 2 });
  });

  it('keeps the first of duplicate timestamps and refuses rows older than an accepted one', () => {
    const checker = new BarQualityChecker({ source: 'test', policy: 'repair' });
    checker.check(bar(0, 100));
    checker.check(bar(2, 101));
    expect(checker.check(bar(2, 105))).toBeUndefined();
    expect(checker.check(bar(1, 100))).toBeUndefined();
    expect(checker.check(bar(3, 100))).toEqual(bar(3, 100));
    expect(checker.result().problems.map((p) => [p.check, p.action, p.reason])).toEqual([
      [
        'duplicate-timestamp',
        'rejected',
        'a bar for 2024-01-03T00:00:00.000Z was already accepted; the first one is kept',
      ],
      [
        'out-of-order',
        'rejected',
        '2024-01-02T00:00:00.000Z arrived after a bar for 2024-01-03T00:00:00.000Z had been accepted',
      ],
    ]);
  });

  it('compares order against accepted bars only: a corrected row after a rejected one is accepted', () => {
    const checker = new BarQualityChecker({ source: 'test' });
    expect(checker.check(bar(0, 100, { high: 10 }))).toBeUndefined();
    expect(checker.check(bar(0, 100))).toEqual(bar(0, 100));
  });

  it('flags gaps longer than 5 intervals, keeping the bar', () => {
    const checker = new BarQualityChecker({ source: 'test' });
    checker.check(bar(0, 100));
    checker.check(bar(5, 100));
    checker.check(bar(11, 100));
    const problems = checker.result().problems;
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ check: 'gap', severity: 'warning', action: 'kept', ts: T0 + 11 * DAY });
    expect(problems[0].reason).toBe(
      '6 intervals between 2024-01-06T00:00:00.000Z and 2024-01-12T00:00:00.000Z (more than 5)',
    );
    expect(checker.result().accepted).toBe(3);
  });

  it('flags a close-to-close move over 20% and a return beyond 4 sigma of the rolling window', () => {
    const checker = new BarQualityChecker({ source: 'test' });
    for (const b of calm(30)) checker.check(b);
    checker.check(bar(30, 103));
    checker.check(bar(31, 130));
    const spikes = checker.result().problems;
    expect(spikes.map((p) => p.check)).toEqual(['spike', 'spike']);
    // Returns alternate ±ln(100.5/100) = ±0.00499: mean 0.00017, σ 0.00507, so ln(103/100.5) = 0.0246 is 4.8σ out.
    expect(spikes[0].reason).toBe('log return 0.0246 is 4.8σ from the mean of the last 29 bars (limit 4σ)');
    expect(spikes[1].reason).toBe('close moved +26.2% from 103 to 130 (limit 20.0%)');
  });

  it('flags a volume over 5x the rolling average', () => {
    const checker = new BarQualityChecker({ source: 'test' });
    for (const b of calm(20)) checker.check(b);
    checker.check(bar(20, 100, { volume: 500 }));
    checker.check(bar(21, 100.5, { volume: 700 }));
    const problems = checker.result().problems;
    expect(problems.map((p) => [p.check, p.ts])).toEqual([['volume-outlier', T0 + 21 * DAY]]);
    // The first bar is exactly 5× the average of 100 (not above it); it lifts the average to 120 for the second.
    expect(problems[0].reason).toBe('volume 700 is 5.8× the average of the last 20 bars (120; limit 5×)');
  });

  it('rejects or quarantines anomalies when the anomaly policy says so', () => {
    const checker = new BarQualityChecker({ source: 'test', policy: { errors: 'reject', anomalies: 'quarantine' } });
    checker.check(bar(0, 100));
    expect(checker.check(bar(1, 200))).toBeUndefined();
    // The spike was not accepted, so the next bar compares with the bar before it.
    expect(checker.check(bar(2, 101))).toEqual(bar(2, 101));
    expect(checker.takeQuarantined().map((q) => q.problems.map((p) => [p.check, p.action]))).toEqual([
      [['spike', 'quarantined']],
    ]);
  });

  it('sets aside only the jump of a real level shift, not every bar after it', () => {
    const checker = new BarQualityChecker({ source: 'test', policy: { errors: 'reject', anomalies: 'reject' } });
    for (const b of calm(25)) checker.check(b);
    expect(checker.check(bar(25, 150))).toBeUndefined();
    // Against the refused bar the next one is ordinary, so it is accepted and becomes the new reference.
    expect(checker.check(bar(26, 151))).toBeDefined();
    expect(checker.check(bar(27, 150.5))).toBeDefined();
    expect(checker.result().problems.map((p) => [p.ts, p.check])).toEqual([[T0 + 25 * DAY, 'spike']]);
  });

  it('still refuses a glitch and accepts the bar that returns to the old level', () => {
    const checker = new BarQualityChecker({ source: 'test', policy: { errors: 'reject', anomalies: 'reject' } });
    for (const b of calm(25)) checker.check(b);
    expect(checker.check(bar(25, 150, { volume: 900 }))).toBeUndefined();
    expect(checker.check(bar(26, 100.5))).toBeDefined();
    expect(checker.result().problems.map((p) => p.check)).toEqual(['spike', 'volume-outlier']);
  });

  it('keeps series apart', () => {
    const checker = new BarQualityChecker({ source: 'test' });
    checker.check(bar(1, 100));
    expect(checker.check(bar(0, 3000, { symbol: 'ETH-USD', high: 3001, low: 2999 }))).toBeDefined();
    expect(checker.result().series.map((s) => s.symbol)).toEqual(['BTC-USD', 'ETH-USD']);
  });

  it('continues from seeded history exactly as if it had checked it', () => {
    const history = calm(30);
    const next = [bar(30, 103), bar(36, 103)];
    const straight = new BarQualityChecker({ source: 'test' });
    for (const b of [...history, ...next]) straight.check(b);
    const seeded = new BarQualityChecker({ source: 'test' });
    seeded.seed(history);
    for (const b of next) seeded.check(b);
    expect(seeded.result().problems).toEqual(straight.result().problems);
    expect(seeded.result().problems.map((p) => p.check)).toEqual(['spike', 'gap']);
  });

  it('reports invalid symbols, intervals and timestamps as invalid fields', () => {
    const checker = new BarQualityChecker({ source: 'test' });
    checker.check(bar(0, 100, { symbol: 'btc', interval: '2m' as Bar['interval'], ts: 1.5 }));
    expect(checker.result().problems.map((p) => p.reason)).toEqual([
      expect.stringContaining('symbol must be 3-20 characters'),
      'interval must be one of 1m, 5m, 15m, 1h, 4h, 1d (got "2m")',
      'ts must be an integer epoch-milliseconds timestamp > 0 and <= 8640000000000000 (got 1.5)',
    ]);
  });

  it('lists at most maxProblems problems and counts the rest', () => {
    const checker = new BarQualityChecker({ source: 'test', maxProblems: 2 });
    for (let i = 0; i < 5; i++) checker.check(bar(i, 100, { volume: -1 }));
    const report = checker.result();
    expect({ listed: report.problems.length, omitted: report.problemsOmitted, errors: report.errors }).toEqual({
      listed: 2,
      omitted: 3,
      errors: 5,
    });
  });
});
