import { DatabaseError, errorMessage } from '../errors';
import { systemClock, type Clock } from '../time';
import type { DatabaseSession, SqlDialect } from './database';
import { migrationChecksum, type Migration } from './migrations';

const MIGRATIONS_TABLE_DDL: Readonly<Record<SqlDialect, string>> = {
  sqlite: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`,
  postgres: `CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at BIGINT NOT NULL
  )`,
};

/** First key of the two-key advisory lock; the second is the schema's hash, so schemas migrate independently. */
const MIGRATION_LOCK_CLASS = 0x72727200;

export interface AppliedMigration {
  version: number;
  name: string;
  checksum: string;
  applied_at: number;
}

export interface MigrationOutcome {
  /** Versions applied by this call, in order (empty when the schema was up to date). */
  applied: number[];
  /** Recorded versions newer than any this build knows: applied by a newer release (e.g. mid rolling deploy). */
  newerThanBuild: number[];
}

function migrationFailed(message: string, cause?: unknown): DatabaseError {
  return new DatabaseError(message, cause, 'MIGRATION_FAILED');
}

function assertWellOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (!Number.isSafeInteger(m.version) || m.version < 1) {
      throw migrationFailed(`migration "${m.name}" has version ${m.version}; expected a positive integer`);
    }
    if (i > 0 && m.version <= migrations[i - 1].version) {
      throw migrationFailed(`migration ${m.version} "${m.name}" is out of order: versions must strictly increase`);
    }
  });
}

/**
 * Brings the schema up to date in one transaction: verifies every recorded migration against the code (an edited
 * one, or one missing from the code between known versions, stops start-up), then applies the pending ones and
 * records them. Recorded versions newer than the build's latest are tolerated, as Flyway does by default: a newer
 * release applied them, and an older instance still running during a rolling deploy, or a read-only `status`
 * (opened with no migrations), must not fail. On PostgreSQL an advisory lock makes concurrent openers wait for each
 * other instead of applying twice; on SQLite the transaction itself takes the write lock (BEGIN IMMEDIATE).
 */
export async function applyMigrations(
  db: DatabaseSession,
  migrations: readonly Migration[],
  clock: Clock = systemClock,
): Promise<MigrationOutcome> {
  assertWellOrdered(migrations);
  const dialect = db.dialect;
  return db.transaction(async (tx) => {
    if (dialect === 'postgres') {
      await tx.query('SELECT pg_advisory_xact_lock(?, hashtext(current_schema())) AS locked', [MIGRATION_LOCK_CLASS]);
    }
    await tx.execute(MIGRATIONS_TABLE_DDL[dialect]);
    const recorded = await tx.query<AppliedMigration>(
      'SELECT version, name, checksum, applied_at FROM schema_migrations ORDER BY version',
    );
    const known = new Map(migrations.map((m) => [m.version, m]));
    const latestKnown = migrations.length > 0 ? migrations[migrations.length - 1].version : 0;
    const newerThanBuild: number[] = [];
    for (const row of recorded) {
      const migration = known.get(row.version);
      if (migration === undefined) {
        if (row.version > latestKnown) {
          newerThanBuild.push(row.version);
          continue;
        }
        throw migrationFailed(
          `database has migration ${row.version} "${row.name}" that this build does not have, although it has ` +
            `later ones (up to ${latestKnown}); was it removed from the code?`,
        );
      }
      const checksum = migrationChecksum(migration, dialect);
      if (checksum !== row.checksum) {
        throw migrationFailed(
          `migration ${row.version} "${migration.name}" was edited after it was applied ` +
            `(recorded checksum ${row.checksum.slice(0, 12)}…, code ${checksum.slice(0, 12)}…); ` +
            'add a new migration instead of editing a released one',
        );
      }
    }
    const latest = recorded.length > 0 ? recorded[recorded.length - 1].version : 0;
    const pending = migrations.filter((m) => !recorded.some((row) => row.version === m.version));
    const applied: number[] = [];
    for (const migration of pending) {
      if (migration.version < latest) {
        throw migrationFailed(
          `migration ${migration.version} "${migration.name}" is pending but ${latest} is already applied`,
        );
      }
      for (const statement of migration.statements[dialect]) {
        try {
          await tx.execute(statement);
        } catch (err) {
          throw migrationFailed(
            `migration ${migration.version} "${migration.name}" failed: ${errorMessage(err)}`,
            err instanceof DatabaseError ? err.cause : undefined,
          );
        }
      }
      await tx.execute('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)', [
        migration.version,
        migration.name,
        migrationChecksum(migration, dialect),
        clock.now(),
      ]);
      applied.push(migration.version);
    }
    return { applied, newerThanBuild };
  });
}
