import { DatabaseError } from '../errors';
import type {
  CopyOptions,
  CopyRows,
  DatabaseTransaction,
  DbInputValue,
  DbInsertRow,
  ExecuteResult,
  InsertManyOptions,
  SqlParams,
} from './database';
import { checkCopyRowWidth, resolveFixedColumns, type FixedColumns } from './copy-rows';
import { dbColumnKinds, type DbColumnName, type DbTableName } from './db-tables';
import { InsertPlan } from './insert-plan';
import { runTransaction } from './run-transaction';
import { SessionGate } from './session-gate';
import type { SqliteConnection } from './sqlite-connection';

/** Rows per insertMany when copyFrom falls back to inserts: bounds memory for a streamed source. */
const COPY_FALLBACK_BATCH_ROWS = 10_000;

/**
 * The query surface over the shared better-sqlite3 connection, at one transaction depth (0 = the database itself,
 * 1 = a transaction, deeper = savepoints). Every statement passes this level's gate, so work issued while a child
 * transaction is open waits for it instead of silently joining it.
 */
export class SqliteSession implements DatabaseTransaction {
  readonly dialect = 'sqlite' as const;
  protected readonly gate = new SessionGate();
  private ended = false;

  constructor(
    protected readonly connection: SqliteConnection,
    protected readonly depth: number,
  ) {}

  async query<T extends object = Record<string, unknown>>(sql: string, params: SqlParams = []): Promise<T[]> {
    this.assertUsable();
    return this.gate.shared(() => {
      this.assertUsable();
      return this.connection.all<T>(sql, params);
    });
  }

  async queryOne<T extends object = Record<string, unknown>>(
    sql: string,
    params: SqlParams = [],
  ): Promise<T | undefined> {
    this.assertUsable();
    return this.gate.shared(() => {
      this.assertUsable();
      return this.connection.get<T>(sql, params);
    });
  }

  async execute(sql: string, params: SqlParams = []): Promise<ExecuteResult> {
    this.assertUsable();
    return this.gate.shared(() => {
      this.assertUsable();
      return this.connection.run(sql, params);
    });
  }

  async insertMany<T extends DbTableName>(
    table: T,
    rows: readonly DbInsertRow<T>[],
    options?: InsertManyOptions<T>,
  ): Promise<number> {
    this.assertUsable();
    const plan = InsertPlan.create('sqlite', table, rows, options);
    if (plan.rowCount === 0) return 0;
    return this.gate.shared(() => {
      this.assertUsable();
      return this.connection.atomically(this.depth + 1, () => this.connection.insert(plan));
    });
  }

  /**
   * SQLite has no COPY: the rows go through multi-row INSERTs in column order, all or nothing. An array is written
   * in one synchronous step, like insertMany; a streamed source in batches inside one transaction.
   */
  async copyFrom<T extends DbTableName>(
    table: T,
    columns: readonly DbColumnName<T>[],
    rows: CopyRows,
    options?: CopyOptions<T>,
  ): Promise<number> {
    this.assertUsable();
    dbColumnKinds(table, columns);
    const fixed = resolveFixedColumns(table, columns, options);
    if (Array.isArray(rows)) {
      return this.copyArray(table, columns, rows as readonly (readonly DbInputValue[])[], 0, fixed);
    }
    return this.transaction(async (tx) => {
      const session = tx as SqliteSession;
      let written = 0;
      let batchStart = 0;
      let batch: (readonly DbInputValue[])[] = [];
      for await (const values of rows) {
        batch.push(values);
        if (batch.length >= COPY_FALLBACK_BATCH_ROWS) {
          written += await session.copyArray(table, columns, batch, batchStart, fixed);
          batchStart += batch.length;
          batch = [];
        }
      }
      if (batch.length > 0) written += await session.copyArray(table, columns, batch, batchStart, fixed);
      return written;
    });
  }

  async transaction<R>(fn: (tx: DatabaseTransaction) => Promise<R>): Promise<R> {
    this.assertUsable();
    return this.gate.exclusive(() => {
      this.assertUsable();
      const depth = this.depth + 1;
      const { connection } = this;
      return runTransaction(
        {
          begin: () => connection.begin(depth),
          commit: () => connection.commit(depth),
          rollback: () => connection.rollback(depth),
        },
        new SqliteSession(connection, depth),
        fn,
      );
    });
  }

  /** `firstIndex`: the position of rows[0] in the whole copy, for error messages. */
  private async copyArray(
    table: DbTableName,
    columns: readonly string[],
    rows: readonly (readonly DbInputValue[])[],
    firstIndex: number,
    fixed: FixedColumns,
  ): Promise<number> {
    for (let i = 0; i < rows.length; i++) checkCopyRowWidth(table, columns, rows[i], firstIndex + i);
    const plan = InsertPlan.positional('sqlite', table, columns, rows, fixed);
    if (plan.rowCount === 0) return 0;
    return this.gate.shared(() => {
      this.assertUsable();
      return this.connection.atomically(this.depth + 1, () => this.connection.insert(plan));
    });
  }

  /** Called when this level's transaction callback has settled: later use is a bug (a forgotten await). */
  end(): void {
    this.ended = true;
  }

  protected assertUsable(): void {
    if (this.ended) {
      throw new DatabaseError('transaction handle used after its transaction ended (a statement was not awaited?)');
    }
  }
}
