import type { DbColumnName, DbTableName } from './db-tables';

export type SqlDialect = 'sqlite' | 'postgres';

/**
 * A value bound to a `?` placeholder. Booleans are stored as 0/1 and Dates as epoch milliseconds in both dialects,
 * so rows read back the same whichever database is behind the interface.
 */
export type SqlValue = string | number | bigint | boolean | null | undefined | Date | Uint8Array;
export type SqlParams = readonly SqlValue[];

/** A value for insertMany/copyFrom: JSON columns also take objects and arrays (serialised with JSON.stringify). */
export type DbInputValue = SqlValue | Record<string, unknown> | readonly unknown[];

/** One row for insertMany, keyed by the table's column names (snake_case, as in the schema). */
export type DbInsertRow<T extends DbTableName = DbTableName> = { readonly [C in DbColumnName<T>]?: DbInputValue };

export interface ExecuteResult {
  /** Rows inserted, updated or deleted by the statement. */
  rowCount: number;
}

/** What to do when an inserted row collides with an existing one on `target` (a unique key). */
export interface OnConflict<T extends DbTableName = DbTableName> {
  /** The unique key's columns; may be empty only with `action: 'ignore'` (then any unique key applies). */
  target: readonly DbColumnName<T>[];
  /** 'ignore' keeps the stored row; `{ update }` overwrites those columns with the incoming values. */
  action: 'ignore' | { update: readonly DbColumnName<T>[] };
}

export interface InsertManyOptions<T extends DbTableName = DbTableName> {
  onConflict?: OnConflict<T>;
}

export interface StreamOptions {
  /** Rows per yielded batch (and per round trip on PostgreSQL). */
  batchSize: number;
}

export interface CopyOptions<T extends DbTableName = DbTableName> {
  /**
   * Values every row shares (one series' symbol and interval, say): the rows hold only the other columns, in
   * `columns` order. On SQLite they are bound once per statement instead of once per row; PostgreSQL's COPY stream
   * repeats them.
   */
  fixed?: Partial<Record<DbColumnName<T>, DbInputValue>>;
}

/** Row arrays in the order of copyFrom's `columns`; an async source lets a backfill stream without buffering. */
export type CopyRows = Iterable<readonly DbInputValue[]> | AsyncIterable<readonly DbInputValue[]>;

/**
 * The query surface shared by a database and an open transaction. SQL uses `?` placeholders in both dialects and
 * holds exactly one statement; values travel as bound parameters, never spliced into the text.
 */
export interface DatabaseSession {
  readonly dialect: SqlDialect;
  query<T extends object = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T[]>;
  /** The first row, or undefined when there is none. */
  queryOne<T extends object = Record<string, unknown>>(sql: string, params?: SqlParams): Promise<T | undefined>;
  execute(sql: string, params?: SqlParams): Promise<ExecuteResult>;
  /**
   * Commits when `fn` resolves, rolls back when it throws (rethrowing the original error). Called on a transaction
   * it opens a savepoint, so an inner failure undoes only the inner work.
   */
  transaction<R>(fn: (tx: DatabaseTransaction) => Promise<R>): Promise<R>;
  /**
   * Batch insert/upsert of whitelisted columns, all-or-nothing, chunked under the driver's bound-parameter limit.
   * The column set is the union of the rows' keys (a missing key is NULL). Returns the rows written (inserted or
   * updated; rows skipped by 'ignore' do not count).
   */
  insertMany<T extends DbTableName>(
    table: T,
    rows: readonly DbInsertRow<T>[],
    options?: InsertManyOptions<T>,
  ): Promise<number>;
  /** Bulk load (PostgreSQL COPY FROM STDIN; insertMany on SQLite), all-or-nothing. Returns the rows loaded. */
  copyFrom<T extends DbTableName>(
    table: T,
    columns: readonly DbColumnName<T>[],
    rows: CopyRows,
    options?: CopyOptions<T>,
  ): Promise<number>;
}

/** The handle a transaction callback receives; unusable once the callback has settled. */
export type DatabaseTransaction = DatabaseSession;

export interface Database extends DatabaseSession {
  /**
   * Reads a query's result in batches without holding it all in memory; breaking out of the loop releases the
   * underlying cursor. Reads committed data only (never an open transaction's writes).
   */
  stream<T extends object = Record<string, unknown>>(
    sql: string,
    params: SqlParams,
    options: StreamOptions,
  ): AsyncIterable<T[]>;
  /** Waits for running transactions, closes open streams and the connection(s). Idempotent. */
  close(): Promise<void>;
}
