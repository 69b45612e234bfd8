import type { Migration } from './migration';

/*
 * Every started quantum-optimization service looks for stale queued jobs at each heartbeat (to take them over) and
 * a read checks whether a running job's heartbeat is stale. Jobs are kept forever, so without this index each of
 * those looks walks the whole table; the partial index holds only the few unfinished rows (as backtest_runs' does,
 * and with the predicate written as OR for the same reason: SQLite uses a partial index only for one of its OR terms).
 */

const index =
  'CREATE INDEX optimization_runs_unfinished_heartbeat_idx ON optimization_runs (heartbeat_at) ' +
  "WHERE status = 'queued' OR status = 'running'";

export const optimizationRunsHeartbeatIndexMigration: Migration = {
  version: 11,
  name: 'optimization-runs-heartbeat-index',
  statements: { sqlite: [index], postgres: [index] },
};
