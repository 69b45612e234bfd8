import { ValidationError, type Bar } from '@rrr/core';

export type AtrBar = Pick<Bar, 'high' | 'low' | 'close'>;

/**
 * Wilder's Average True Range, as TTR and TA-Lib compute it: the true range needs the previous close, so it starts
 * at the second bar; the first ATR (at index `period`) is the mean of the first `period` true ranges, and each next
 * one is (ATR_prev × (period − 1) + TR) / period. Entries before index `period` are NaN.
 */
export function wilderAtrSeries(bars: readonly AtrBar[], period = 14): number[] {
  if (!Number.isInteger(period) || period < 1) {
    throw new ValidationError('atr', [{ field: 'period', message: 'must be an integer >= 1', value: period }]);
  }
  if (bars.length < period + 1) {
    throw new ValidationError('atr', [
      { field: 'bars', message: `ATR(${period}) needs at least ${period + 1} bars`, value: bars.length },
    ]);
  }
  const out = new Array<number>(bars.length).fill(Number.NaN);
  let sum = 0;
  let atr = Number.NaN;
  for (let i = 1; i < bars.length; i += 1) {
    const { high, low } = bars[i];
    const prevClose = bars[i - 1].close;
    if (![high, low, prevClose].every(Number.isFinite)) {
      throw new ValidationError('atr', [
        { field: `bars[${i}]`, message: 'high, low and the previous close must be finite' },
      ]);
    }
    const tr = Math.max(high - low, Math.abs(high - prevClose), Math.abs(low - prevClose));
    if (i < period) {
      sum += tr;
    } else if (i === period) {
      atr = (sum + tr) / period;
      out[i] = atr;
    } else {
      atr = (atr * (period - 1) + tr) / period;
      out[i] = atr;
    }
  }
  return out;
}

/** The latest Wilder ATR of `bars` (default ATR(14)). */
export function wilderAtr(bars: readonly AtrBar[], period = 14): number {
  const series = wilderAtrSeries(bars, period);
  return series[series.length - 1];
}
