import type pg from 'pg';
import { loadPg } from './load-pg';
import { DatabaseError } from '../errors';
import { assertStreamBatchSize } from './assert-stream-batch-size';
import type {
  CopyOptions,
  CopyRows,
  Database,
  DatabaseTransaction,
  DbInsertRow,
  ExecuteResult,
  InsertManyOptions,
  SqlParams,
  StreamOptions,
} from './database';
import { resolveFixedColumns } from './copy-rows';
import { dbColumnKinds, type DbColumnName, type DbTableName } from './db-tables';
import { InsertPlan } from './insert-plan';
import { pgCommand, pgCopyFrom, pgInsert, pgQuery } from './postgres-statements';
import { PostgresTransaction } from './postgres-transaction';
import { runTransaction } from './run-transaction';
import { leavesPostgresSessionUsable, toDatabaseError } from './to-database-error';

export interface PostgresDatabaseOptions {
  /** `postgres://user:pass@host:port/db`; `?options=-c search_path=…` selects a schema for every connection. */
  url: string;
  /** Most connections the pool opens. */
  poolMax: number;
  /**
   * An idle pooled connection failed (server restart, network): the pool drops it and reconnects on demand. Without
   * a listener Node would crash the process on that 'error' event.
   */
  onPoolError?: (err: Error) => void;
}

const INT8_OID = 20;
const INT8_ARRAY_OID = 1016;
const NUMERIC_OID = 1700;

/** int8 as a JS number (epoch ms, counts, ids all fit); beyond ±2^53 a bigint, which stays exact. */
function parseInt8(text: string): number | bigint {
  const value = Number(text);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}

/** Type parsers for this pool only, so other pg users in the process keep pg's defaults. */
function platformTypeParsers(): pg.CustomTypesConfig {
  const types = new (loadPg().TypeOverrides)();
  // pg-types' own array parser splits the literal; only the element conversion changes.
  const parseInt8Array = loadPg().types.getTypeParser(
    INT8_ARRAY_OID as unknown as Parameters<typeof pg.types.getTypeParser>[0],
    'text',
  ) as (text: string) => (string | null)[];
  types.setTypeParser(INT8_OID, 'text', parseInt8);
  types.setTypeParser(INT8_ARRAY_OID, 'text', (text) =>
    parseInt8Array(text).map((v) => (v === null ? v : parseInt8(v))),
  );
  types.setTypeParser(NUMERIC_OID, 'text', (text) => Number.parseFloat(text));
  return types;
}

interface OpenStream {
  /** Hands the stream's connection back (destroyed), once; later calls do nothing. */
  release(err?: Error): void;
}

/**
 * PostgreSQL through a pg Pool. Plain statements take any pooled connection; a transaction owns one connection
 * from BEGIN to COMMIT, so concurrent transactions run in parallel under PostgreSQL's own isolation.
 */
export class PostgresDatabase implements Database {
  readonly dialect = 'postgres' as const;
  private readonly pool: pg.Pool;
  private readonly openStreams = new Set<OpenStream>();
  private closing = false;

  constructor(options: PostgresDatabaseOptions) {
    this.pool = new (loadPg().Pool)({
      connectionString: options.url,
      max: options.poolMax,
      types: platformTypeParsers(),
      application_name: 'rrr',
    });
    this.pool.on('error', (err) => options.onPoolError?.(err));
  }

  async query<T extends object = Record<string, unknown>>(sql: string, params: SqlParams = []): Promise<T[]> {
    this.assertOpen();
    return (await this.onPooledClient((client) => pgQuery<T>(client, sql, params))).rows;
  }

  async queryOne<T extends object = Record<string, unknown>>(
    sql: string,
    params: SqlParams = [],
  ): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }

  async execute(sql: string, params: SqlParams = []): Promise<ExecuteResult> {
    this.assertOpen();
    const result = await this.onPooledClient((client) => pgQuery(client, sql, params));
    return { rowCount: result.rowCount ?? 0 };
  }

  async insertMany<T extends DbTableName>(
    table: T,
    rows: readonly DbInsertRow<T>[],
    options?: InsertManyOptions<T>,
  ): Promise<number> {
    this.assertOpen();
    const plan = InsertPlan.create('postgres', table, rows, options);
    if (plan.rowCount === 0) return 0;
    // One statement is atomic by itself; more need a transaction around them.
    if (plan.rowCount <= plan.rowsPerStatement) return this.onPooledClient((client) => pgInsert(client, plan));
    const client = await this.connect();
    const steps = transactionSteps(client);
    try {
      return await runTransaction(steps, { end: () => undefined }, () => pgInsert(client, plan));
    } finally {
      client.release(steps.brokenBy());
    }
  }

  async copyFrom<T extends DbTableName>(
    table: T,
    columns: readonly DbColumnName<T>[],
    rows: CopyRows,
    options?: CopyOptions<T>,
  ): Promise<number> {
    this.assertOpen();
    dbColumnKinds(table, columns);
    const fixed = resolveFixedColumns(table, columns, options);
    return this.withClient((client) => pgCopyFrom(client, table, columns, rows, fixed));
  }

  async transaction<R>(fn: (tx: DatabaseTransaction) => Promise<R>): Promise<R> {
    this.assertOpen();
    const client = await this.connect();
    const steps = transactionSteps(client);
    try {
      return await runTransaction(steps, new PostgresTransaction(client, 1), fn);
    } finally {
      client.release(steps.brokenBy());
    }
  }

  /**
   * A server-side cursor (DECLARE … NO SCROLL CURSOR in a transaction, FETCH FORWARD batchSize) on a connection of
   * its own. Chosen over keyset pagination because it works for any SELECT — no unique ordering key to know, no
   * SQL rewriting — reads one consistent snapshot, and costs one round trip per batch with O(batchSize) memory on
   * both sides. The price is a pooled connection and an open transaction for as long as the consumer iterates
   * (so with poolMax 1, querying the database inside the loop would wait forever); breaking out of the loop (or
   * close()) gives them back.
   */
  stream<T extends object = Record<string, unknown>>(
    sql: string,
    params: SqlParams,
    options: StreamOptions,
  ): AsyncIterable<T[]> {
    return this.streamBatches<T>(sql, params, options.batchSize);
  }

  /** Closes open streams' connections, waits for running transactions to finish, then closes the pool. */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    for (const stream of [...this.openStreams]) stream.release(new Error('database closed while streaming'));
    this.openStreams.clear();
    await this.pool.end();
  }

  private async *streamBatches<T extends object>(
    sql: string,
    params: SqlParams,
    batchSize: number,
  ): AsyncGenerator<T[]> {
    assertStreamBatchSize(batchSize);
    this.assertOpen();
    const client = await this.connect();
    let released = false;
    const stream: OpenStream = {
      release: (err) => {
        if (released) return;
        released = true;
        this.openStreams.delete(stream);
        client.release(err);
      },
    };
    this.openStreams.add(stream);
    let finished = false;
    try {
      await pgCommand(client, 'BEGIN');
      // DECLARE wraps the statement, so a trailing semicolon would end it early.
      const statement = sql.trim().replace(/;+$/, '');
      await pgQuery(client, `DECLARE rrr_stream NO SCROLL CURSOR FOR ${statement}`, params, sql);
      const fetch = `FETCH FORWARD ${batchSize} FROM rrr_stream`;
      for (;;) {
        if (released) throw new DatabaseError('postgres: the database was closed while streaming');
        const { rows } = await pgQuery<T>(client, fetch, []);
        if (rows.length > 0) yield rows;
        if (rows.length < batchSize) break;
      }
      await pgCommand(client, 'COMMIT');
      finished = true;
    } finally {
      if (!finished && !released) {
        // Early exit or failure: ROLLBACK closes the cursor; if even that fails, the connection is discarded.
        try {
          await pgCommand(client, 'ROLLBACK');
        } catch (err) {
          stream.release(err instanceof Error ? err : new Error(String(err)));
        }
      }
      stream.release();
    }
  }

  /**
   * One statement on a pooled connection that goes back to the pool after an SQL error — pg's own pool.query
   * destroys the connection after any error, so every rejected insert cost a reconnect — and is discarded only when
   * the session itself failed (see leavesPostgresSessionUsable).
   */
  private async onPooledClient<R>(work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await this.connect();
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (err) {
      if (!leavesPostgresSessionUsable(err)) broken = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(broken);
    }
  }

  private async withClient<R>(work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await this.connect();
    let failure: Error | undefined;
    try {
      return await work(client);
    } catch (err) {
      // After a failed COPY or a broken connection the session state is unknown: discard the connection.
      failure = err instanceof Error ? err : new Error(String(err));
      throw err;
    } finally {
      client.release(failure);
    }
  }

  private async connect(): Promise<pg.PoolClient> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (err) {
      throw toDatabaseError(err, 'CONNECT', 'postgres');
    }
    // The pool listens for errors on idle connections only. A server that ends a checked-out session between two
    // statements (restart, pg_terminate_backend) emits 'error' on the client, which would crash the process without
    // a listener; the error is kept instead, the next statement fails, and release discards the connection.
    let lost: Error | undefined;
    const onError = (err: Error): void => {
      lost ??= err;
    };
    client.on('error', onError);
    const release = client.release;
    client.release = (err?: Error | boolean) => {
      client.removeListener('error', onError);
      release(err || lost);
    };
    return client;
  }

  private assertOpen(): void {
    if (this.closing) throw new DatabaseError('postgres: the database is closed');
  }
}

/** BEGIN/COMMIT/ROLLBACK on one client, remembering a failed ROLLBACK so the client is destroyed, not reused. */
function transactionSteps(client: pg.PoolClient) {
  let broken: Error | undefined;
  return {
    begin: () => pgCommand(client, 'BEGIN'),
    commit: () => pgCommand(client, 'COMMIT'),
    rollback: async () => {
      try {
        await pgCommand(client, 'ROLLBACK');
      } catch (err) {
        broken = err instanceof Error ? err : new Error(String(err));
        throw err;
      }
    },
    brokenBy: () => broken,
  };
}
