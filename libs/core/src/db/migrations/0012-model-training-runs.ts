import type { Migration } from './migration';

/*
 * Model training jobs of the neural-network service, so a queued job outlives the process it was submitted to (the
 * next process on the database takes it over), and any process of a scale-out can answer for any job. `request`,
 * `progress` and `result` are JSON documents as the API shows them; `progress` is rewritten while the job trains
 * (throttled by its owner). `heartbeat_at` is refreshed while the owning process holds the job queued or running: a
 * running job whose heartbeat stopped belonged to a process that died, and is reported as interrupted. The partial
 * index serves the takeover's look for stale jobs (as optimization_runs' does, with the predicate written as OR: SQLite
 * uses a partial index only for one of its OR terms).
 */

const heartbeatIndex =
  'CREATE INDEX model_training_runs_unfinished_heartbeat_idx ON model_training_runs (heartbeat_at) ' +
  "WHERE status = 'queued' OR status = 'running'";

const submittedAtIndex = 'CREATE INDEX model_training_runs_submitted_at_idx ON model_training_runs (submitted_at)';

const sqlite: readonly string[] = [
  `CREATE TABLE model_training_runs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    progress TEXT NOT NULL,
    result TEXT,
    error TEXT,
    submitted_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    heartbeat_at INTEGER NOT NULL
  ) STRICT`,
  submittedAtIndex,
  heartbeatIndex,
];

const postgres: readonly string[] = [
  `CREATE TABLE model_training_runs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    progress TEXT NOT NULL,
    result TEXT,
    error TEXT,
    submitted_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    heartbeat_at BIGINT NOT NULL
  )`,
  submittedAtIndex,
  heartbeatIndex,
];

export const modelTrainingRunsMigration: Migration = {
  version: 12,
  name: 'model-training-runs',
  statements: { sqlite, postgres },
};
