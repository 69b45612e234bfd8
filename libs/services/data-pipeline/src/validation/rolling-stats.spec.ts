import fc from 'fast-check';
import { RollingStats } from './rolling-stats';

function naive(values: number[], capacity: number): { mean: number; std: number } {
  const window = values.slice(-capacity);
  const mean = window.reduce((a, b) => a + b, 0) / window.length;
  const variance = window.reduce((a, v) => a + (v - mean) ** 2, 0) / (window.length - 1);
  return { mean, std: Math.sqrt(variance) };
}

describe('RollingStats', () => {
  it('gives the mean and sample deviation of the last `capacity` values', () => {
    const stats = new RollingStats(3);
    for (const v of [10, 2, 4, 6]) stats.push(v);
    expect(stats.count).toBe(3);
    expect(stats.mean()).toBe(4);
    expect(stats.std()).toBe(2);
  });

  it('has no deviation below two values', () => {
    const stats = new RollingStats(5);
    expect(stats.mean()).toBeNaN();
    stats.push(1);
    expect(stats.std()).toBeNaN();
  });

  it('matches a direct computation over any sequence, including after many rebuilds', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 2, maxLength: 300 }),
        fc.integer({ min: 2, max: 40 }),
        (values, capacity) => {
          const stats = new RollingStats(capacity);
          for (const v of values) stats.push(v);
          const expected = naive(values, capacity);
          expect(stats.mean()).toBeCloseTo(expected.mean, 9);
          expect(stats.std()).toBeCloseTo(expected.std, 6);
        },
      ),
    );
  });
});
