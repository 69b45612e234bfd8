import { createHash } from 'node:crypto';
import type { SqlDialect } from '../database';

/**
 * One schema version. Statements run in order inside the migration transaction, one statement per string (no
 * multi-statement scripts, no placeholders). Once released a migration is frozen: its checksum is recorded when
 * applied and start-up refuses a database whose recorded checksum no longer matches the code.
 */
export interface Migration {
  /** Positive integer; migrations apply in ascending order. */
  readonly version: number;
  /** kebab-case description, e.g. `platform-schema`. */
  readonly name: string;
  readonly statements: Readonly<Record<SqlDialect, readonly string[]>>;
}

/** SHA-256 of the dialect's statements, insensitive to line-ending style so a checkout on Windows does not differ. */
export function migrationChecksum(migration: Migration, dialect: SqlDialect): string {
  const text = migration.statements[dialect].map((s) => s.replace(/\r\n?/g, '\n').trim()).join('\n;\n');
  return createHash('sha256').update(text).digest('hex');
}
