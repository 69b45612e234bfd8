import { ValidationError } from '@rrr/core';
import { wilderAtr, wilderAtrSeries } from './wilder-atr';

// True ranges from bar 1: 2, 2, 2.5 (gap over the previous close 11.5), 2 (down gap), 5 (gap up from 11).
const bars = [
  { high: 10, low: 8, close: 9 },
  { high: 11, low: 9, close: 10 },
  { high: 12, low: 10, close: 11.5 },
  { high: 14, low: 12, close: 13 },
  { high: 13, low: 11, close: 11 },
  { high: 16, low: 12, close: 15 },
];

describe('Wilder ATR', () => {
  it('seeds with the mean of the first true ranges, then smooths by (prev × (n − 1) + TR) / n', () => {
    const series = wilderAtrSeries(bars, 3);
    expect(series.slice(0, 3).every(Number.isNaN)).toBe(true);
    expect(series[3]).toBeCloseTo(6.5 / 3, 12); // (2 + 2 + 2.5) / 3
    expect(series[4]).toBeCloseTo(((6.5 / 3) * 2 + 2) / 3, 12); // 2.111111
    expect(series[5]).toBeCloseTo(((((6.5 / 3) * 2 + 2) / 3) * 2 + 5) / 3, 12); // 3.074074
    expect(wilderAtr(bars, 3)).toBeCloseTo(3.074074, 6);
  });

  it('gives the constant range of a series without gaps', () => {
    const flat = Array.from({ length: 30 }, (_, i) => ({ high: 101 + i, low: 99 + i, close: 100 + i }));
    // Each bar's high is 1 above the previous close and its low 1 below: TR = 2 throughout.
    expect(wilderAtr(flat)).toBeCloseTo(2, 12);
  });

  it('needs period + 1 bars', () => {
    expect(() => wilderAtr(bars.slice(0, 3), 3)).toThrow(ValidationError);
    expect(() => wilderAtr(bars.slice(0, 3), 3)).toThrow(/ATR\(3\) needs at least 4 bars/);
  });
});
