import type { Bar } from '@rrr/core';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

const cache = new Map<string, Bar[]>();

/**
 * The bundled daily CSVs read directly (no pipeline), for tests and benchmarks that need the same bars on every run:
 * SPX from vega-datasets (5,105 bars 2000-01-03 … 2020-04-17), AAPL from @observablehq/sample-datasets (1,260 bars).
 * `ts` is the day's 00:00 UTC and prices are the unadjusted OHLC, as the data-pipeline's bundled source reads them.
 */
export function readBundledBars(symbol: 'SPX' | 'AAPL'): Bar[] {
  const cached = cache.get(symbol);
  if (cached !== undefined) return cached;
  const path =
    symbol === 'SPX'
      ? join(dirname(require.resolve('vega-datasets')), '..', 'data', 'sp500-2000.csv')
      : require.resolve('@observablehq/sample-datasets/aapl.csv');
  const bars = readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line): Bar => {
      const [date, open, high, low, close, , volume] = line.split(',');
      return {
        symbol,
        interval: '1d',
        ts: Date.parse(`${date}T00:00:00Z`),
        open: Number(open),
        high: Number(high),
        low: Number(low),
        close: Number(close),
        volume: Number(volume),
      };
    });
  cache.set(symbol, bars);
  return bars;
}
