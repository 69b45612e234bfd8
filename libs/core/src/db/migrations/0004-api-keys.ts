import type { Migration } from './migration';

/*
 * API keys of the platform's REST and WebSocket API (apps/platform, src/security). A key is shown to its owner once,
 * as `rrr_<id>_<secret>`; only `secret_hash` (a keyed hash of the secret under the key's own random `salt`) is kept,
 * so a copy of the database does not reveal a usable key. `hash_algorithm` names how `secret_hash` was computed, so a
 * later change of algorithm can keep verifying the keys already issued. `scope` is one of read, trade, admin (spelled
 * by the security layer). A revoked key keeps its row (`revoked_at` set) so listings and audits still name it.
 */

const sqlite: readonly string[] = [
  `CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    hash_algorithm TEXT NOT NULL,
    salt TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at INTEGER
  ) STRICT`,
];

const postgres: readonly string[] = [
  `CREATE TABLE api_keys (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    hash_algorithm TEXT NOT NULL,
    salt TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at BIGINT
  )`,
];

export const apiKeysMigration: Migration = {
  version: 4,
  name: 'api-keys',
  statements: { sqlite, postgres },
};
