/*
 * The legacy indicator set in batch form: whole-array functions, one output per input bar, NaN until an indicator
 * has enough history. Every function reads bars 0..t only to produce the value at t.
 *
 * Arithmetic is written in the same order as the streaming classes (and as trading-signals, for SMA, Bollinger, ATR
 * and RSI): window sums run oldest to newest from 0, recursive averages update as `(x - prev) * factor + prev`. That
 * is what lets the streaming and batch paths agree bit for bit rather than within a tolerance.
 */

export interface OhlcvColumns {
  readonly open: Float64Array;
  readonly high: Float64Array;
  readonly low: Float64Array;
  readonly close: Float64Array;
  readonly volume: Float64Array;
}

export function nanSeries(length: number): Float64Array {
  return new Float64Array(length).fill(Number.NaN);
}

function firstDefined(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i += 1) if (!Number.isNaN(values[i])) return i;
  return values.length;
}

/** Mean of values[end - period + 1 ..= end], summed oldest first from 0 (trading-signals' getAverage order). */
export function windowMean(values: ArrayLike<number>, end: number, period: number): number {
  let sum = 0;
  for (let i = end - period + 1; i <= end; i += 1) sum += values[i];
  return sum / period;
}

/** Simple moving average; starts `period - 1` bars after the input's first defined value. */
export function smaSeries(values: ArrayLike<number>, period: number): Float64Array {
  const out = nanSeries(values.length);
  for (let t = firstDefined(values) + period - 1; t < values.length; t += 1) out[t] = windowMean(values, t, period);
  return out;
}

/** Recursive average seeded with the SMA of the first `period` defined values, then `(x - prev) * factor + prev`. */
function seededRecursiveSeries(values: ArrayLike<number>, period: number, factor: number): Float64Array {
  const out = nanSeries(values.length);
  const seedAt = firstDefined(values) + period - 1;
  if (seedAt >= values.length) return out;
  out[seedAt] = windowMean(values, seedAt, period);
  for (let t = seedAt + 1; t < values.length; t += 1) out[t] = (values[t] - out[t - 1]) * factor + out[t - 1];
  return out;
}

/** EMA with α = 2 / (period + 1), seeded with the SMA of the first `period` values (the classic definition). */
export function emaSeries(values: ArrayLike<number>, period: number): Float64Array {
  return seededRecursiveSeries(values, period, 2 / (period + 1));
}

/** Wilder's smoothing (RMA, α = 1 / period), SMA-seeded: what RSI, ATR and ADX average with. */
export function wilderSeries(values: ArrayLike<number>, period: number): Float64Array {
  return seededRecursiveSeries(values, period, 1 / period);
}

/** DEMA = 2·EMA − EMA(EMA); defined from bar 2·(period − 1). */
export function demaSeries(values: ArrayLike<number>, period: number): Float64Array {
  const e1 = emaSeries(values, period);
  const e2 = emaSeries(e1, period);
  return e1.map((v, t) => 2 * v - e2[t]);
}

/** TEMA = 3·EMA − 3·EMA(EMA) + EMA(EMA(EMA)); defined from bar 3·(period − 1). */
export function temaSeries(values: ArrayLike<number>, period: number): Float64Array {
  const e1 = emaSeries(values, period);
  const e2 = emaSeries(e1, period);
  const e3 = emaSeries(e2, period);
  return e1.map((v, t) => 3 * v - 3 * e2[t] + e3[t]);
}

/** Wilder RSI: gains and losses of close-to-close changes, each Wilder-smoothed; 100 when there was no loss. */
export function rsiSeries(close: ArrayLike<number>, period: number): Float64Array {
  const gains = nanSeries(close.length);
  const losses = nanSeries(close.length);
  for (let t = 1; t < close.length; t += 1) {
    const up = close[t] > close[t - 1];
    gains[t] = up ? close[t] - close[t - 1] : 0;
    losses[t] = up ? 0 : close[t - 1] - close[t];
  }
  const avgGain = wilderSeries(gains, period);
  const avgLoss = wilderSeries(losses, period);
  return avgGain.map((g, t) => (Number.isNaN(g) ? Number.NaN : rsiFromAverages(g, avgLoss[t])));
}

export function rsiFromAverages(avgGain: number, avgLoss: number): number {
  return avgLoss === 0 ? 100 : 100 - 100 / (avgGain / avgLoss + 1);
}

/** True range; the first bar, having no previous close, uses high − low. */
export function trueRange(high: number, low: number, previousClose: number | undefined): number {
  const highLow = high - low;
  if (previousClose === undefined) return highLow;
  return Math.max(highLow, Math.abs(high - previousClose), Math.abs(low - previousClose));
}

export function trueRangeSeries(c: OhlcvColumns): Float64Array {
  return c.close.map((_, t) => trueRange(c.high[t], c.low[t], t === 0 ? undefined : c.close[t - 1]));
}

/** Wilder ATR over true ranges, first defined at bar period − 1. */
export function atrSeries(c: OhlcvColumns, period: number): Float64Array {
  return wilderSeries(trueRangeSeries(c), period);
}

/** Population standard deviation around `mean`, squared deviations averaged oldest first (trading-signals' order). */
export function windowDeviation(values: ArrayLike<number>, end: number, period: number, mean: number): number {
  let sum = 0;
  for (let i = end - period + 1; i <= end; i += 1) {
    const d = values[i] - mean;
    sum += d * d;
  }
  return Math.sqrt(sum / period);
}

export interface BandsSeries {
  upper: Float64Array;
  middle: Float64Array;
  lower: Float64Array;
}

/** Bollinger bands: SMA ± k population standard deviations. */
export function bollingerSeries(close: ArrayLike<number>, period: number, k: number): BandsSeries {
  const middle = smaSeries(close, period);
  const upper = nanSeries(close.length);
  const lower = nanSeries(close.length);
  for (let t = period - 1; t < close.length; t += 1) {
    const sd = windowDeviation(close, t, period, middle[t]);
    upper[t] = middle[t] + sd * k;
    lower[t] = middle[t] - sd * k;
  }
  return { upper, middle, lower };
}

export interface MacdSeries {
  macd: Float64Array;
  signal: Float64Array;
  histogram: Float64Array;
}

/** MACD line EMA(fast) − EMA(slow), signal EMA of the line, histogram line − signal; EMAs SMA-seeded. */
export function macdSeries(close: ArrayLike<number>, fast: number, slow: number, signalPeriod: number): MacdSeries {
  const emaFast = emaSeries(close, fast);
  const emaSlow = emaSeries(close, slow);
  const macd = emaFast.map((f, t) => f - emaSlow[t]);
  const signal = emaSeries(macd, signalPeriod);
  return { macd, signal, histogram: macd.map((m, t) => m - signal[t]) };
}

export function windowMax(values: ArrayLike<number>, end: number, period: number): number {
  let max = values[end - period + 1];
  for (let i = end - period + 2; i <= end; i += 1) if (values[i] > max) max = values[i];
  return max;
}

export function windowMin(values: ArrayLike<number>, end: number, period: number): number {
  let min = values[end - period + 1];
  for (let i = end - period + 2; i <= end; i += 1) if (values[i] < min) min = values[i];
  return min;
}

/** Fast stochastic %K over `period` bars, 50 when the range is empty; %D is the SMA of %K. */
export function stochasticSeries(
  c: OhlcvColumns,
  period: number,
  dPeriod: number,
): { k: Float64Array; d: Float64Array } {
  const k = nanSeries(c.close.length);
  for (let t = period - 1; t < c.close.length; t += 1) {
    k[t] = stochasticK(c.close[t], windowMax(c.high, t, period), windowMin(c.low, t, period));
  }
  return { k, d: smaSeries(k, dPeriod) };
}

export function stochasticK(close: number, highest: number, lowest: number): number {
  const range = highest - lowest;
  return range === 0 ? 50 : (100 * (close - lowest)) / range;
}

/** Williams %R in [−100, 0]; −50 when the range is empty. */
export function williamsRSeries(c: OhlcvColumns, period: number): Float64Array {
  const out = nanSeries(c.close.length);
  for (let t = period - 1; t < c.close.length; t += 1) {
    out[t] = williamsR(c.close[t], windowMax(c.high, t, period), windowMin(c.low, t, period));
  }
  return out;
}

export function williamsR(close: number, highest: number, lowest: number): number {
  const range = highest - lowest;
  return range === 0 ? -50 : (-100 * (highest - close)) / range;
}

/** Rate of change in percent over `period` bars. */
export function rocSeries(close: ArrayLike<number>, period: number): Float64Array {
  const out = nanSeries(close.length);
  for (let t = period; t < close.length; t += 1) out[t] = ((close[t] - close[t - period]) / close[t - period]) * 100;
  return out;
}

export function typicalPrice(high: number, low: number, close: number): number {
  return (high + low + close) / 3;
}

export function typicalPriceSeries(c: OhlcvColumns): Float64Array {
  return c.close.map((close, t) => typicalPrice(c.high[t], c.low[t], close));
}

/** CCI = (TP − SMA(TP)) / (0.015 · mean absolute deviation); 0 when the deviation is 0. */
export function cciSeries(c: OhlcvColumns, period: number): Float64Array {
  const tp = typicalPriceSeries(c);
  const out = nanSeries(tp.length);
  for (let t = period - 1; t < tp.length; t += 1) {
    const mean = windowMean(tp, t, period);
    let deviation = 0;
    for (let i = t - period + 1; i <= t; i += 1) deviation += Math.abs(tp[i] - mean);
    out[t] = cciFrom(tp[t], mean, deviation / period);
  }
  return out;
}

export function cciFrom(tp: number, mean: number, meanDeviation: number): number {
  return meanDeviation === 0 ? 0 : (tp - mean) / (0.015 * meanDeviation);
}

/** Wilder's directional movement of one bar against the previous one: [+DM, −DM]. */
export function directionalMovement(high: number, low: number, prevHigh: number, prevLow: number): [number, number] {
  const up = high - prevHigh;
  const down = prevLow - low;
  return [up > down && up > 0 ? up : 0, down > up && down > 0 ? down : 0];
}

export interface AdxValues {
  plusDi: number;
  minusDi: number;
  dx: number;
}

/** +DI, −DI and DX from Wilder-smoothed +DM, −DM and TR. */
export function directionalIndex(plusDm: number, minusDm: number, tr: number): AdxValues {
  const plusDi = tr === 0 ? 0 : (100 * plusDm) / tr;
  const minusDi = tr === 0 ? 0 : (100 * minusDm) / tr;
  const sum = plusDi + minusDi;
  return { plusDi, minusDi, dx: sum === 0 ? 0 : (100 * Math.abs(plusDi - minusDi)) / sum };
}

export interface AdxSeries {
  adx: Float64Array;
  plusDi: Float64Array;
  minusDi: Float64Array;
}

/** Wilder ADX: DI lines from bar `period`, ADX (the Wilder average of DX) from bar 2·period − 1. */
export function adxSeries(c: OhlcvColumns, period: number): AdxSeries {
  const n = c.close.length;
  const plusDm = nanSeries(n);
  const minusDm = nanSeries(n);
  const tr = nanSeries(n);
  for (let t = 1; t < n; t += 1) {
    [plusDm[t], minusDm[t]] = directionalMovement(c.high[t], c.low[t], c.high[t - 1], c.low[t - 1]);
    tr[t] = trueRange(c.high[t], c.low[t], c.close[t - 1]);
  }
  const sPlus = wilderSeries(plusDm, period);
  const sMinus = wilderSeries(minusDm, period);
  const sTr = wilderSeries(tr, period);
  const plusDi = nanSeries(n);
  const minusDi = nanSeries(n);
  const dx = nanSeries(n);
  for (let t = 0; t < n; t += 1) {
    if (Number.isNaN(sTr[t])) continue;
    const v = directionalIndex(sPlus[t], sMinus[t], sTr[t]);
    plusDi[t] = v.plusDi;
    minusDi[t] = v.minusDi;
    dx[t] = v.dx;
  }
  return { adx: wilderSeries(dx, period), plusDi, minusDi };
}

/** Aroon up/down over the last period + 1 bars; ties go to the most recent extreme. */
export function aroonSeries(c: OhlcvColumns, period: number): { up: Float64Array; down: Float64Array } {
  const up = nanSeries(c.close.length);
  const down = nanSeries(c.close.length);
  for (let t = period; t < c.close.length; t += 1) {
    let highAt = t - period;
    let lowAt = t - period;
    for (let i = t - period + 1; i <= t; i += 1) {
      if (c.high[i] >= c.high[highAt]) highAt = i;
      if (c.low[i] <= c.low[lowAt]) lowAt = i;
    }
    up[t] = (100 * (period - (t - highAt))) / period;
    down[t] = (100 * (period - (t - lowAt))) / period;
  }
  return { up, down };
}

/** Donchian channel: highest high and lowest low of the last `period` bars (current bar included). */
export function donchianSeries(c: OhlcvColumns, period: number): { upper: Float64Array; lower: Float64Array } {
  const upper = nanSeries(c.close.length);
  const lower = nanSeries(c.close.length);
  for (let t = period - 1; t < c.close.length; t += 1) {
    upper[t] = windowMax(c.high, t, period);
    lower[t] = windowMin(c.low, t, period);
  }
  return { upper, lower };
}

/** On-balance volume, 0 at the first bar. */
export function obvSeries(c: OhlcvColumns): Float64Array {
  const out = new Float64Array(c.close.length);
  for (let t = 1; t < c.close.length; t += 1) out[t] = out[t - 1] + obvStep(c.close[t], c.close[t - 1], c.volume[t]);
  return out;
}

export function obvStep(close: number, previousClose: number, volume: number): number {
  return close > previousClose ? volume : close < previousClose ? -volume : 0;
}

/** Sum of values[end − period + 1 ..= end], oldest first. */
export function windowSum(values: ArrayLike<number>, end: number, period: number): number {
  let sum = 0;
  for (let i = end - period + 1; i <= end; i += 1) sum += values[i];
  return sum;
}

/**
 * VWAP over a rolling window of `period` bars: Σ(TP·V) / ΣV. Daily bars have no intraday session to anchor to, so the
 * rolling form is the one that means the same on every interval; with no volume it is the typical price.
 */
export function rollingVwapSeries(c: OhlcvColumns, period: number): Float64Array {
  const tp = typicalPriceSeries(c);
  const tpv = tp.map((p, t) => p * c.volume[t]);
  const out = nanSeries(tp.length);
  for (let t = period - 1; t < tp.length; t += 1) {
    out[t] = vwapFrom(windowSum(tpv, t, period), windowSum(c.volume, t, period), tp[t]);
  }
  return out;
}

export function vwapFrom(priceVolume: number, volume: number, fallback: number): number {
  return volume === 0 ? fallback : priceVolume / volume;
}

/** Money flow index over `period` typical-price changes (trading-signals' definition); 50 with no flow. */
export function mfiSeries(c: OhlcvColumns, period: number): Float64Array {
  const tp = typicalPriceSeries(c);
  const out = nanSeries(tp.length);
  for (let t = period; t < tp.length; t += 1) {
    let positive = 0;
    let negative = 0;
    for (let i = t - period + 1; i <= t; i += 1) {
      const flow = tp[i] * c.volume[i];
      if (tp[i] > tp[i - 1]) positive += flow;
      else if (tp[i] < tp[i - 1]) negative += flow;
    }
    out[t] = mfiFrom(positive, negative);
  }
  return out;
}

export function mfiFrom(positive: number, negative: number): number {
  const total = positive + negative;
  return total === 0 ? 50 : (100 * positive) / total;
}

/** ln(close[t] / close[t − period]). */
export function logReturnSeries(close: ArrayLike<number>, period: number): Float64Array {
  const out = nanSeries(close.length);
  for (let t = period; t < close.length; t += 1) out[t] = Math.log(close[t] / close[t - period]);
  return out;
}

/** Sample standard deviation of values[end − period + 1 ..= end] (n − 1 denominator). */
export function windowSampleDeviation(values: ArrayLike<number>, end: number, period: number, mean: number): number {
  let sum = 0;
  for (let i = end - period + 1; i <= end; i += 1) {
    const d = values[i] - mean;
    sum += d * d;
  }
  return Math.sqrt(sum / (period - 1));
}

/** Realised volatility: sample standard deviation of the last `period` one-bar log returns (not annualised). */
export function realisedVolatilitySeries(close: ArrayLike<number>, period: number): Float64Array {
  const r = logReturnSeries(close, 1);
  const out = nanSeries(close.length);
  for (let t = period; t < close.length; t += 1) out[t] = windowSampleDeviation(r, t, period, windowMean(r, t, period));
  return out;
}

/** Mean and sample standard deviation of the last `period` values. */
export function rollingMeanDeviationSeries(
  values: ArrayLike<number>,
  period: number,
): { mean: Float64Array; deviation: Float64Array } {
  const mean = smaSeries(values, period);
  const deviation = nanSeries(values.length);
  for (let t = period - 1; t < values.length; t += 1) {
    deviation[t] = windowSampleDeviation(values, t, period, mean[t]);
  }
  return { mean, deviation };
}

/** Sum of the last `period` values. */
export function rollingSumSeries(values: ArrayLike<number>, period: number): Float64Array {
  const out = nanSeries(values.length);
  for (let t = period - 1; t < values.length; t += 1) out[t] = windowSum(values, t, period);
  return out;
}
