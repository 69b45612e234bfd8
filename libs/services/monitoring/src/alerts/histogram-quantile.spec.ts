import { histogramQuantile } from './histogram-quantile';

const buckets = (pairs: [number, number][]) => pairs.map(([le, count]) => ({ le, count }));

describe('histogramQuantile', () => {
  // 90 observations ≤ 0.1 s, 9 in (0.1, 1], 1 above 1 s.
  const latency = buckets([
    [0.1, 90],
    [1, 99],
    [Number.POSITIVE_INFINITY, 100],
  ]);

  it('interpolates linearly inside the bucket that holds the rank, from 0 for the first bucket', () => {
    expect(histogramQuantile(0.5, latency)).toBeCloseTo((0.1 * 50) / 90, 12);
    expect(histogramQuantile(0.95, latency)).toBeCloseTo(0.1 + 0.9 * (5 / 9), 12);
    expect(histogramQuantile(0.99, latency)).toBeCloseTo(1, 12);
  });

  it('answers the highest finite bound for a rank in the +Inf bucket, and undefined without observations', () => {
    expect(histogramQuantile(0.999, latency)).toBe(1);
    expect(histogramQuantile(1, latency)).toBe(1);
    expect(
      histogramQuantile(
        0.5,
        buckets([
          [0.1, 0],
          [Number.POSITIVE_INFINITY, 0],
        ]),
      ),
    ).toBeUndefined();
    expect(histogramQuantile(0.5, [])).toBeUndefined();
    expect(histogramQuantile(0.5, buckets([[Number.POSITIVE_INFINITY, 3]]))).toBeUndefined();
  });

  it('skips empty buckets below the rank', () => {
    const sparse = buckets([
      [0.5, 0],
      [1, 0],
      [2, 4],
      [Number.POSITIVE_INFINITY, 4],
    ]);
    expect(histogramQuantile(0.5, sparse)).toBeCloseTo(1.5, 12);
  });

  it('refuses a quantile outside [0, 1]', () => {
    expect(() => histogramQuantile(1.5, latency)).toThrow('quantile must be in [0, 1], got 1.5');
  });
});
