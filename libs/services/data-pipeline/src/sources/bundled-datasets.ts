import { dirname, join } from 'node:path';
import { NotFoundError, type Bar } from '@rrr/core';
import { createFileSource, type FileSource } from './file-source';

/** Real daily OHLCV data shipped inside npm packages, loaded from node_modules with no network. */
export interface BundledDataset {
  symbol: 'SPX' | 'AAPL';
  description: string;
  /** The package and file inside it. */
  origin: string;
  assetClass: 'index' | 'equity';
  /** Rows in the file, for a quick "already loaded" check. */
  rows: number;
  firstDate: string;
  lastDate: string;
  /** Absolute path of the CSV, resolved from wherever this code runs. */
  path(): string;
}

/**
 * vega-datasets exports only its JS entry, so the data folder is found next to it. The observable package exports
 * its CSVs directly. `require.resolve` walks up from this module, so any working directory works.
 */
export const BUNDLED_DATASETS: Readonly<Record<'SPX' | 'AAPL', BundledDataset>> = Object.freeze({
  SPX: {
    symbol: 'SPX',
    description: 'S&P 500 index, daily, 2000-01-03 … 2020-04-17',
    origin: 'vega-datasets/data/sp500-2000.csv',
    assetClass: 'index',
    rows: 5105,
    firstDate: '2000-01-03',
    lastDate: '2020-04-17',
    path: () => join(dirname(require.resolve('vega-datasets')), '..', 'data', 'sp500-2000.csv'),
  },
  AAPL: {
    symbol: 'AAPL',
    description: 'Apple Inc., daily, 2013-05-13 … 2018-05-11 (split-adjusted OHLC)',
    origin: '@observablehq/sample-datasets/aapl.csv',
    assetClass: 'equity',
    rows: 1260,
    firstDate: '2013-05-13',
    lastDate: '2018-05-11',
    path: () => require.resolve('@observablehq/sample-datasets/aapl.csv'),
  },
});

export type BundledSymbol = keyof typeof BUNDLED_DATASETS;

export function isBundledSymbol(symbol: string): symbol is BundledSymbol {
  return Object.prototype.hasOwnProperty.call(BUNDLED_DATASETS, symbol);
}

/**
 * A bundled dataset as a bar source: interval `1d`, `ts` = the trading day's 00:00 UTC (the files carry dates, not
 * session times), prices as given (`close`, not `adjclose`, so OHLC stay consistent), volume as given.
 */
export function createBundledSource(symbol: string): FileSource<Bar> {
  if (!isBundledSymbol(symbol)) {
    throw new NotFoundError('bundled dataset', symbol);
  }
  const dataset = BUNDLED_DATASETS[symbol];
  return createFileSource(dataset.path(), {
    kind: 'bars',
    symbol,
    interval: '1d',
    format: 'csv',
    dateFormat: 'iso',
    mapping: { ts: symbol === 'SPX' ? 'date' : 'Date', close: symbol === 'SPX' ? 'close' : 'Close' },
    name: `bundled:${symbol}`,
  });
}
