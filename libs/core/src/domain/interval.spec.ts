import fc from 'fast-check';
import { ValidationError } from '../errors';
import { INTERVALS, INTERVAL_MS, floorToInterval, intervalMs, isInterval, type Interval } from './interval';

describe('Interval', () => {
  it('maps each interval to its length in milliseconds', () => {
    expect(INTERVALS.map((i) => intervalMs(i))).toEqual([60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000]);
    expect(INTERVAL_MS['4h']).toBe(4 * 3_600_000);
    expect(Object.isFrozen(INTERVAL_MS)).toBe(true);
  });

  it('recognises only the listed intervals', () => {
    expect(INTERVALS.every(isInterval)).toBe(true);
    for (const v of ['1w', '1M', '60m', '1H', 'toString', 'constructor', '', 60_000, null]) {
      expect(isInterval(v)).toBe(false);
    }
  });

  it('refuses to give a length for a value cast to Interval', () => {
    expect(() => intervalMs('2h' as Interval)).toThrow(ValidationError);
    expect(() => intervalMs('2h' as Interval)).toThrow(
      'interval: must be one of "1m", "5m", "15m", "1h", "4h", "1d" (got "2h")',
    );
  });

  it('floors to the UTC epoch grid', () => {
    const t = Date.UTC(2024, 2, 15, 13, 47, 12, 345);
    expect(floorToInterval(t, '1m')).toBe(Date.UTC(2024, 2, 15, 13, 47));
    expect(floorToInterval(t, '15m')).toBe(Date.UTC(2024, 2, 15, 13, 45));
    expect(floorToInterval(t, '4h')).toBe(Date.UTC(2024, 2, 15, 12));
    expect(floorToInterval(t, '1d')).toBe(Date.UTC(2024, 2, 15));
    expect(floorToInterval(Date.UTC(2024, 2, 15), '1d')).toBe(Date.UTC(2024, 2, 15));
  });

  it('puts every instant in the bucket [floor, floor + interval) (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4_102_444_800_000 }), fc.constantFrom(...INTERVALS), (ts, interval) => {
        const open = floorToInterval(ts, interval);
        expect(open % INTERVAL_MS[interval]).toBe(0);
        expect(open).toBeLessThanOrEqual(ts);
        expect(ts).toBeLessThan(open + INTERVAL_MS[interval]);
      }),
    );
  });
});
