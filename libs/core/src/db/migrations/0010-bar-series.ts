import type { Migration } from './migration';

/*
 * One row per stored bar series: how many bars it holds and the first and last bar's open time. Listing the stored
 * series (`GET /api/v1/symbols`, `rrr data list`, a backtest finding its range) otherwise counted every bar — a scan
 * of the whole `bars` table, about half a second at two million bars and growing with the data. Whatever writes bars
 * keeps the row exact in the same transaction (data-pipeline's BarStore does). The table is filled from the bars
 * already stored, so a database that holds bars lists them correctly as soon as it is migrated.
 */

const fill =
  'INSERT INTO bar_series (symbol, interval, bar_count, first_ts, last_ts) ' +
  'SELECT symbol, interval, COUNT(*), MIN(ts), MAX(ts) FROM bars GROUP BY symbol, interval';

const sqlite: readonly string[] = [
  `CREATE TABLE bar_series (
    symbol TEXT NOT NULL,
    interval TEXT NOT NULL,
    bar_count INTEGER NOT NULL CHECK (bar_count >= 0),
    first_ts INTEGER NOT NULL,
    last_ts INTEGER NOT NULL,
    CONSTRAINT bar_series_pkey PRIMARY KEY (symbol, interval)
  ) STRICT, WITHOUT ROWID`,
  fill,
];

const postgres: readonly string[] = [
  `CREATE TABLE bar_series (
    symbol TEXT NOT NULL,
    interval TEXT NOT NULL,
    bar_count BIGINT NOT NULL CHECK (bar_count >= 0),
    first_ts BIGINT NOT NULL,
    last_ts BIGINT NOT NULL,
    CONSTRAINT bar_series_pkey PRIMARY KEY (symbol, interval)
  )`,
  fill,
];

export const barSeriesMigration: Migration = {
  version: 10,
  name: 'bar-series',
  statements: { sqlite, postgres },
};
