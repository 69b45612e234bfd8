import fc from 'fast-check';
import type { Bar } from '@rrr/core';
import { loadSp500Bars } from '../testing/daily-csv-bars';
import { computeFeatureRows } from './compute-features';
import { FEATURE_WARMUP_BARS } from './feature-set';

describe('computeFeatureRows has no look-ahead', () => {
  const bars = loadSp500Bars().slice(1000, 1250);
  const baseline = computeFeatureRows(bars);

  it('row t is unchanged whatever the bars after t are (property over cut points and replacement bars)', () => {
    const replacementBar = fc
      .record({
        close: fc.double({ min: 1, max: 1e5, noNaN: true }),
        spread: fc.double({ min: 0, max: 0.2, noNaN: true }),
        volume: fc.double({ min: 0, max: 1e10, noNaN: true }),
      })
      .map(({ close, spread, volume }) => ({ close, spread, volume }));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: bars.length - 2 }),
        fc.array(replacementBar, { minLength: 1, maxLength: 40 }),
        (cut, future) => {
          const altered: Bar[] = bars.map((bar, t) => {
            if (t <= cut) return bar;
            const r = future[(t - cut - 1) % future.length];
            return {
              ...bar,
              open: r.close,
              high: r.close * (1 + r.spread),
              low: r.close * (1 - r.spread),
              close: r.close,
              volume: r.volume,
            };
          });
          const rows = computeFeatureRows(altered);
          for (let t = 0; t <= cut; t += 1) {
            const a = rows[t];
            const b = baseline[t];
            if (a === null || b === null) {
              if (a !== b) return false;
            } else if (Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer)) !== 0) {
              return false;
            }
          }
          return true;
        },
      ),
      { numRuns: 40, seed: 7 },
    );
  });

  it('does change later rows when later bars change (the property above can fail)', () => {
    const altered = bars.map((bar, t) =>
      t === 200 ? { ...bar, close: bar.close * 1.05, high: bar.high * 1.05 } : bar,
    );
    const rows = computeFeatureRows(altered);
    expect(rows[199]).toEqual(baseline[199]);
    expect(rows[200]).not.toEqual(baseline[200]);
    expect(baseline[FEATURE_WARMUP_BARS - 2]).toBeNull();
  });
});
