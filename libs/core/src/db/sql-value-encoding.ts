import { DatabaseError } from '../errors';
import type { DbInputValue, SqlValue } from './database';
import type { DbColumnKind } from './db-tables';

/** What the drivers receive: both take these as-is. */
export type DriverValue = string | number | bigint | null | Uint8Array;

function describeType(value: unknown): string {
  return Object.prototype.toString.call(value).slice(8, -1);
}

/**
 * Normalises one bound value so both dialects store the same thing: booleans as 0/1 (the schema's boolean columns
 * are integers in both), Dates as epoch milliseconds, undefined as NULL.
 */
export function encodeSqlValue(value: SqlValue): DriverValue {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'bigint':
      return value;
    case 'boolean':
      return value ? 1 : 0;
    case 'undefined':
      return null;
    default:
      if (value === null || Buffer.isBuffer(value)) return value;
      // Both drivers bind Buffers as BLOB/bytea; pg would JSON-encode any other Uint8Array.
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      if (value instanceof Date) return value.getTime();
      throw new DatabaseError(`cannot bind a value of type ${describeType(value)}`);
  }
}

export function encodeSqlParams(params: readonly SqlValue[]): DriverValue[] {
  const out = new Array<DriverValue>(params.length);
  for (let i = 0; i < params.length; i++) out[i] = encodeSqlValue(params[i]);
  return out;
}

export type ColumnEncoder = (value: DbInputValue) => DriverValue;

/**
 * The encoder for one whitelisted column: JSON columns serialise objects and arrays (a string is taken as JSON text
 * already); any other column takes plain values only, and a wrong one is reported with the column's name.
 */
export function columnEncoder(table: string, column: string, kind: DbColumnKind): ColumnEncoder {
  const reject = (value: unknown): never => {
    throw new DatabaseError(`cannot store a value of type ${describeType(value)} in ${table}.${column} (${kind})`);
  };
  if (kind === 'json') {
    return (value) => {
      if (typeof value === 'string' || value === null || value === undefined) return value ?? null;
      if (typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
        return JSON.stringify(value);
      }
      return encodeSqlValue(value);
    };
  }
  return (value) => {
    // Numbers and strings are nearly every value of a bulk load: keep their path branch-free.
    if (typeof value === 'number' || typeof value === 'string') return value;
    if (value !== null && typeof value === 'object' && !(value instanceof Date) && !(value instanceof Uint8Array)) {
      return reject(value);
    }
    return encodeSqlValue(value as SqlValue);
  };
}
