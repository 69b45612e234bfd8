import type { Migration } from './migration';

/*
 * Backtests the backtesting service has queued are stored as they are submitted (status `queued`) with the request
 * that asked for them (`request`, JSON), so a job whose process died before running it can be taken over by another
 * process under the same id instead of being lost. The owner stamps `heartbeat_at` of its queued runs too; a queued
 * run whose heartbeat is stale is adopted. The partial index of 0008 covered running runs only: it is replaced by one
 * over queued and running runs, so both stale checks stay lookups of the few unfinished rows. The predicate is
 * written with OR because SQLite uses a partial index only when a term of the query's WHERE is one of the index's
 * OR-terms (it does not look inside IN lists).
 */

const statements = [
  'ALTER TABLE backtest_runs ADD COLUMN request TEXT',
  'DROP INDEX backtest_runs_running_heartbeat_idx',
  `CREATE INDEX backtest_runs_unfinished_heartbeat_idx ON backtest_runs (heartbeat_at) WHERE status = 'queued' OR status = 'running'`,
];

export const queuedBacktestRunsMigration: Migration = {
  version: 9,
  name: 'queued-backtest-runs',
  statements: { sqlite: statements, postgres: statements },
};
