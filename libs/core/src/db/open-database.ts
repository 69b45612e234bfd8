import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { ConfigError, type FieldProblem } from '../errors';
import { systemClock, type Clock } from '../time';
import { applyMigrations } from './apply-migrations';
import type { Database } from './database';
import { PLATFORM_MIGRATIONS, type Migration } from './migrations';
import { PostgresDatabase } from './postgres-database';
import { SqliteDatabase, type SqliteCheckpointMode } from './sqlite-database';

export interface OpenDatabaseOptions {
  /** `postgres://…` or `postgresql://…` selects PostgreSQL; unset (or empty) selects SQLite at `sqlitePath`. */
  url?: string;
  /** The SQLite file (its directory is created); `:memory:` for a throwaway database. */
  sqlitePath: string;
  /** SQLite: how long to wait for another process's write lock. Default 5000. */
  busyTimeoutMs?: number;
  /** PostgreSQL: most pooled connections. Default 10. */
  poolMax?: number;
  /** Defaults to the platform schema; tests pass their own. */
  migrations?: readonly Migration[];
  /** Stamps `schema_migrations.applied_at`. */
  clock?: Clock;
  /** PostgreSQL: an idle pooled connection failed (it is replaced on demand). */
  onPoolError?: (err: Error) => void;
  /** SQLite: where WAL checkpoints run (see SqliteDatabaseOptions.checkpoint). Default `background`. */
  sqliteCheckpoint?: SqliteCheckpointMode;
}

const POSTGRES_URL = /^postgres(?:ql)?:\/\//i;

export function isPostgresUrl(url: string | undefined): url is string {
  return url !== undefined && POSTGRES_URL.test(url.trim());
}

function validate(options: OpenDatabaseOptions): { busyTimeoutMs: number; poolMax: number } {
  const { busyTimeoutMs = 5000, poolMax = 10, url } = options;
  const problems: FieldProblem[] = [];
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    problems.push({ field: 'busyTimeoutMs', message: 'must be an integer ≥ 0 (milliseconds)', value: busyTimeoutMs });
  }
  if (!Number.isSafeInteger(poolMax) || poolMax < 1) {
    problems.push({ field: 'poolMax', message: 'must be an integer ≥ 1', value: poolMax });
  }
  // Any other scheme is a typo or an unsupported database: falling back to SQLite would hide that.
  if (url !== undefined && url.trim() !== '' && !isPostgresUrl(url)) {
    problems.push({
      field: 'url',
      message: 'must start with postgres:// or postgresql:// (leave it unset for the embedded SQLite database)',
    });
  }
  if (!isPostgresUrl(url) && options.sqlitePath.trim() === '') {
    problems.push({ field: 'sqlitePath', message: 'must name the SQLite database file' });
  }
  if (problems.length > 0) throw new ConfigError(problems, 'database options');
  return { busyTimeoutMs, poolMax };
}

/**
 * Opens the configured database and brings its schema up to date before returning it: PostgreSQL when `url` is a
 * postgres URL, else SQLite at `sqlitePath`. A failed migration closes the database and rejects (MIGRATION_FAILED).
 */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const { busyTimeoutMs, poolMax } = validate(options);
  let db: Database;
  if (isPostgresUrl(options.url)) {
    db = new PostgresDatabase({ url: options.url.trim(), poolMax, onPoolError: options.onPoolError });
  } else {
    if (options.sqlitePath !== ':memory:') mkdirSync(dirname(options.sqlitePath), { recursive: true });
    db = new SqliteDatabase({ path: options.sqlitePath, busyTimeoutMs, checkpoint: options.sqliteCheckpoint });
  }
  try {
    await applyMigrations(db, options.migrations ?? PLATFORM_MIGRATIONS, options.clock ?? systemClock);
  } catch (err) {
    await db.close().catch(() => undefined);
    throw err;
  }
  return db;
}
