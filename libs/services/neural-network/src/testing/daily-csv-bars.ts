import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseIso, type Bar } from '@rrr/core';

/**
 * Daily OHLCV from a bundled CSV (`date,open,high,low,close,adjclose,volume`, header row first), for tests and
 * benchmarks: real market data without a network or the data pipeline.
 */
export function readDailyCsvBars(path: string, symbol: string): Bar[] {
  const lines = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  return lines.slice(1).map((line, i) => {
    const [date, open, high, low, close, , volume] = line.split(',');
    const bar: Bar = {
      symbol,
      interval: '1d',
      ts: parseIso(date),
      open: Number(open),
      high: Number(high),
      low: Number(low),
      close: Number(close),
      volume: Number(volume),
    };
    if (![bar.ts, bar.open, bar.high, bar.low, bar.close, bar.volume].every(Number.isFinite)) {
      throw new Error(`${path}:${i + 2}: not a daily OHLCV row: ${line}`);
    }
    return bar;
  });
}

/** S&P 500 daily bars 2000-01-03..2020-04-17 (5,105 bars) from vega-datasets. */
export function loadSp500Bars(): Bar[] {
  // vega-datasets exports only its JS entry (build/index.js); the CSVs sit next to that folder.
  const root = join(dirname(require.resolve('vega-datasets')), '..');
  return readDailyCsvBars(join(root, 'data', 'sp500-2000.csv'), 'SPX');
}

/** AAPL daily bars 2013-05-13..2018-05-11 (1,260 bars) from @observablehq/sample-datasets. */
export function loadAaplBars(): Bar[] {
  return readDailyCsvBars(require.resolve('@observablehq/sample-datasets/aapl.csv'), 'AAPL');
}
