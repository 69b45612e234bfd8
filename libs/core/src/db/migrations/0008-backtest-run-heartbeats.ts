import type { Migration } from './migration';

/*
 * A heartbeat for backtest runs the backtesting service works on: it stamps `heartbeat_at` while the run is in
 * progress, so a run whose process died is ended as failed (interrupted) instead of showing as running forever. Runs
 * of the CLI have none (a one-off command, not a job anyone polls). The partial index keeps the stale-run check a
 * lookup of the few running rows, however many runs are stored.
 */

const index = `CREATE INDEX backtest_runs_running_heartbeat_idx ON backtest_runs (heartbeat_at) WHERE status = 'running'`;

export const backtestRunHeartbeatsMigration: Migration = {
  version: 8,
  name: 'backtest-run-heartbeats',
  statements: {
    sqlite: ['ALTER TABLE backtest_runs ADD COLUMN heartbeat_at INTEGER', index],
    postgres: ['ALTER TABLE backtest_runs ADD COLUMN heartbeat_at BIGINT', index],
  },
};
