import type { Bar, Interval } from '@rrr/core';

/**
 * Bars as one Float64Array of columns plus a table of their series: what a worker thread sends instead of an array of
 * objects, so the message is one transferable buffer and a few strings whatever the batch size. vwap and trades use
 * NaN for "absent" — a bar that passed the checks never holds NaN there.
 */
export interface PackedBars {
  count: number;
  /** `count` values of each column in turn: ts, open, high, low, close, volume, vwap, trades. */
  values: Float64Array<ArrayBuffer>;
  /** Index into `series` of each bar. */
  seriesIndex: Uint32Array<ArrayBuffer>;
  series: { symbol: string; interval: Interval }[];
}

const TS = 0;
const OPEN = 1;
const HIGH = 2;
const LOW = 3;
const CLOSE = 4;
const VOLUME = 5;
const VWAP = 6;
const TRADES = 7;
const COLUMNS = 8;

export function packBars(bars: readonly Bar[]): PackedBars {
  const n = bars.length;
  const values = new Float64Array(n * COLUMNS);
  const seriesIndex = new Uint32Array(n);
  const series: PackedBars['series'] = [];
  let current = -1;
  for (let i = 0; i < n; i++) {
    const b = bars[i];
    if (current < 0 || series[current].symbol !== b.symbol || series[current].interval !== b.interval) {
      current = series.findIndex((s) => s.symbol === b.symbol && s.interval === b.interval);
      if (current < 0) current = series.push({ symbol: b.symbol, interval: b.interval }) - 1;
    }
    seriesIndex[i] = current;
    values[TS * n + i] = b.ts;
    values[OPEN * n + i] = b.open;
    values[HIGH * n + i] = b.high;
    values[LOW * n + i] = b.low;
    values[CLOSE * n + i] = b.close;
    values[VOLUME * n + i] = b.volume;
    values[VWAP * n + i] = b.vwap ?? Number.NaN;
    values[TRADES * n + i] = b.trades ?? Number.NaN;
  }
  return { count: n, values, seriesIndex, series };
}

/** The bars `packBars` was given, field for field (an absent vwap or trade count stays absent). */
export function unpackBars(packed: PackedBars): Bar[] {
  const { count: n, values, seriesIndex, series } = packed;
  const bars = new Array<Bar>(n);
  for (let i = 0; i < n; i++) {
    const { symbol, interval } = series[seriesIndex[i]];
    const bar: Bar = {
      symbol,
      interval,
      ts: values[TS * n + i],
      open: values[OPEN * n + i],
      high: values[HIGH * n + i],
      low: values[LOW * n + i],
      close: values[CLOSE * n + i],
      volume: values[VOLUME * n + i],
    };
    const vwap = values[VWAP * n + i];
    if (vwap === vwap) bar.vwap = vwap;
    const trades = values[TRADES * n + i];
    if (trades === trades) bar.trades = trades;
    bars[i] = bar;
  }
  return bars;
}
