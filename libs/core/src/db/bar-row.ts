import type { Bar } from '../domain/bar';
import type { Interval } from '../domain/interval';
import type { DbInsertRow } from './database';

/**
 * A row of the bars table as either dialect returns it. PostgreSQL's BIGINT columns (ts, trades) arrive as numbers
 * when they are safe integers (see the pool's type parsers) — `barFromRow` converts them anyway, so a row read by any
 * path becomes the same Bar.
 */
export interface BarRow {
  symbol: string;
  interval: Interval;
  ts: number | string;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number | null;
  trades: number | string | null;
}

/** The bars table's columns in BarRow order, for a SELECT list. */
export const BAR_ROW_COLUMNS = 'symbol, interval, ts, open, high, low, close, volume, vwap, trades';

/** The Bar a stored row holds: a NULL vwap or trade count is absent, as it was when the bar was written. */
export function barFromRow(row: BarRow): Bar {
  const bar: Bar = {
    symbol: row.symbol,
    interval: row.interval,
    ts: Number(row.ts),
    open: row.open,
    high: row.high,
    low: row.low,
    close: row.close,
    volume: row.volume,
  };
  if (row.vwap !== null && row.vwap !== undefined) bar.vwap = row.vwap;
  if (row.trades !== null && row.trades !== undefined) bar.trades = Number(row.trades);
  return bar;
}

/** The row a Bar is stored as: an absent vwap or trade count is NULL (so an upsert clears a stored one). */
export function barToRow(bar: Bar): DbInsertRow<'bars'> {
  return {
    symbol: bar.symbol,
    interval: bar.interval,
    ts: bar.ts,
    open: bar.open,
    high: bar.high,
    low: bar.low,
    close: bar.close,
    volume: bar.volume,
    vwap: bar.vwap ?? null,
    trades: bar.trades ?? null,
  };
}
