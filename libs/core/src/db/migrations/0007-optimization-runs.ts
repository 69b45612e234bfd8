import type { Migration } from './migration';

/*
 * Portfolio optimisation jobs of the quantum-optimization service, so a job and its result outlive the process that
 * ran it and any process of a scale-out can answer for it. `request`, `inputs` (μ, Σ and the bar times they came
 * from) and `result` are JSON documents as the API shows them. `heartbeat_at` is refreshed while the owning process
 * holds the job queued or running: a job whose heartbeat stopped belonged to a process that died, and is reported
 * as interrupted instead of running forever.
 */

const sqlite: readonly string[] = [
  `CREATE TABLE optimization_runs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    inputs TEXT NOT NULL,
    result TEXT,
    error TEXT,
    submitted_at INTEGER NOT NULL,
    started_at INTEGER,
    finished_at INTEGER,
    heartbeat_at INTEGER NOT NULL
  ) STRICT`,
  `CREATE INDEX optimization_runs_submitted_at_idx ON optimization_runs (submitted_at)`,
];

const postgres: readonly string[] = [
  `CREATE TABLE optimization_runs (
    id TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    request TEXT NOT NULL,
    inputs TEXT NOT NULL,
    result TEXT,
    error TEXT,
    submitted_at BIGINT NOT NULL,
    started_at BIGINT,
    finished_at BIGINT,
    heartbeat_at BIGINT NOT NULL
  )`,
  `CREATE INDEX optimization_runs_submitted_at_idx ON optimization_runs (submitted_at)`,
];

export const optimizationRunsMigration: Migration = {
  version: 7,
  name: 'optimization-runs',
  statements: { sqlite, postgres },
};
