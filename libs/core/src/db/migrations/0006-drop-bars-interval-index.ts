import type { Migration } from './migration';

/*
 * Drops the (interval, ts) index on bars that 0001 created for cross-sectional reads. No read of the platform takes
 * that path: every bar query names one series (symbol, interval, ts range) or groups by series, which the primary
 * key serves in order. The index still cost every bar write a second B-tree insert — about a fifth of the time of a
 * bulk import into SQLite — and a second copy of (interval, ts, symbol) on disk. A cross-sectional read, when one
 * exists, can seek the primary key once per symbol.
 */

const dropIndex = 'DROP INDEX IF EXISTS bars_interval_ts_idx';

export const dropBarsIntervalIndexMigration: Migration = {
  version: 6,
  name: 'drop-bars-interval-index',
  statements: { sqlite: [dropIndex], postgres: [dropIndex] },
};
