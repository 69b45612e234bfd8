import { DatabaseError, errorMessage } from '../errors';
import type { SqlDialect } from './database';

/** What a wrapped driver error keeps: enough to react to (codes, constraint), never the statement's values. */
export interface DatabaseErrorCause {
  dialect: SqlDialect;
  /** SQLSTATE on PostgreSQL (e.g. 23505), the extended result code on SQLite (e.g. SQLITE_CONSTRAINT_UNIQUE). */
  driverCode?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

const MAX_SQL_WORDS = 3;
const MAX_SQL_CHARS = 60;

/**
 * The statement's first words ("INSERT INTO bars"): enough to find the call site in a log, short enough never to
 * reach the values of a statement that (wrongly) inlined them.
 */
export function describeSql(sql: string): string {
  const withoutComments = sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');
  const words = withoutComments.trim().split(/\s+/).slice(0, MAX_SQL_WORDS).join(' ');
  const short = words.length > MAX_SQL_CHARS ? `${words.slice(0, MAX_SQL_CHARS)}…` : words;
  return short.replace(/\(.*$/, '').trim() || '(empty statement)';
}

/**
 * PostgreSQL echoes a rejected input value in some messages (`invalid input syntax for type bigint: "…"`); the
 * value may be a secret, so it is cut. Its `detail` (`Key (x)=(…)`) is dropped altogether.
 */
function redactPostgresMessage(message: string): string {
  return message.replace(/(invalid input (?:syntax|value) for (?:type|enum) [^:]+):.*$/s, '$1: <redacted>');
}

interface DriverErrorShape {
  message?: unknown;
  code?: unknown;
  constraint?: unknown;
  table?: unknown;
  column?: unknown;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** Wraps a driver error as a DatabaseError naming the statement, without its parameter values. */
export function toDatabaseError(err: unknown, sql: string, dialect: SqlDialect): DatabaseError {
  if (err instanceof DatabaseError) return err;
  const shape: DriverErrorShape = typeof err === 'object' && err !== null ? (err as DriverErrorShape) : {};
  const raw = errorMessage(err);
  const message = dialect === 'postgres' ? redactPostgresMessage(raw) : raw;
  const cause: DatabaseErrorCause = {
    dialect,
    driverCode: optionalString(shape.code),
    constraint: optionalString(shape.constraint),
    table: optionalString(shape.table),
    column: optionalString(shape.column),
  };
  return new DatabaseError(`${dialect}: ${describeSql(sql)} failed: ${message}`, cause);
}

function causeOf(err: unknown): DatabaseErrorCause | undefined {
  if (!(err instanceof DatabaseError)) return undefined;
  const cause = (err as Error).cause;
  return typeof cause === 'object' && cause !== null && 'dialect' in cause ? (cause as DatabaseErrorCause) : undefined;
}

/** True when a statement failed on a unique or primary key (e.g. a duplicate client_order_id), in either dialect. */
export function isUniqueViolation(err: unknown): boolean {
  const code = causeOf(err)?.driverCode;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True when a statement failed on a foreign key, in either dialect. */
export function isForeignKeyViolation(err: unknown): boolean {
  const code = causeOf(err)?.driverCode;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/** SQLSTATE classes after which a session is not trusted: connection exception, operator intervention, internal. */
const SESSION_ENDING_SQLSTATE = /^(08|57P|XX)/;

/**
 * Whether a PostgreSQL connection may serve the next statement after `err` failed one outside a transaction: yes when
 * the server answered with an SQL error (a constraint, a syntax error, a bad value: the session is idle again), no
 * for a lost or ended session and for anything that is not the server's answer.
 */
export function leavesPostgresSessionUsable(err: unknown): boolean {
  const code = causeOf(err)?.driverCode;
  return code !== undefined && /^[0-9A-Z]{5}$/.test(code) && !SESSION_ENDING_SQLSTATE.test(code);
}
