import { StoredJobTable, type Database } from '@rrr/core';

/** The backtest_runs rows of the backtesting service's jobs, to core's takeover mechanism: claims read the request. */
export type BacktestRunJobs = StoredJobTable<'backtest_runs', 'request'>;

/** backtest_runs as a table of stored jobs: queued → running → completed/failed, stamped by their owner. */
export function backtestRunJobs(db: Database): BacktestRunJobs {
  return new StoredJobTable(db, { table: 'backtest_runs', submittedAt: 'created_at', claimColumns: ['request'] });
}
