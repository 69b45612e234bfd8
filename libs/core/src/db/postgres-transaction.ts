import type pg from 'pg';
import { DatabaseError } from '../errors';
import type {
  CopyOptions,
  CopyRows,
  DatabaseTransaction,
  DbInsertRow,
  ExecuteResult,
  InsertManyOptions,
  SqlParams,
} from './database';
import { resolveFixedColumns } from './copy-rows';
import { dbColumnKinds, type DbColumnName, type DbTableName } from './db-tables';
import { InsertPlan } from './insert-plan';
import { pgCommand, pgCopyFrom, pgInsert, pgQuery } from './postgres-statements';
import { runTransaction } from './run-transaction';
import { SessionGate } from './session-gate';

/**
 * An open PostgreSQL transaction on one checked-out client, at depth ≥ 1 (deeper levels are savepoints).
 * Its gate keeps statements of concurrent branches of the callback out of an open savepoint.
 */
export class PostgresTransaction implements DatabaseTransaction {
  readonly dialect = 'postgres' as const;
  private readonly gate = new SessionGate();
  private ended = false;

  constructor(
    private readonly client: pg.PoolClient,
    private readonly depth: number,
  ) {}

  async query<T extends object = Record<string, unknown>>(sql: string, params: SqlParams = []): Promise<T[]> {
    this.assertUsable();
    const result = await this.gate.shared(() => pgQuery<T>(this.client, sql, params));
    return result.rows;
  }

  async queryOne<T extends object = Record<string, unknown>>(
    sql: string,
    params: SqlParams = [],
  ): Promise<T | undefined> {
    return (await this.query<T>(sql, params))[0];
  }

  async execute(sql: string, params: SqlParams = []): Promise<ExecuteResult> {
    this.assertUsable();
    const result = await this.gate.shared(() => pgQuery(this.client, sql, params));
    return { rowCount: result.rowCount ?? 0 };
  }

  /** In a savepoint, so a failed batch leaves the surrounding transaction as it was (as on SQLite). */
  async insertMany<T extends DbTableName>(
    table: T,
    rows: readonly DbInsertRow<T>[],
    options?: InsertManyOptions<T>,
  ): Promise<number> {
    this.assertUsable();
    const plan = InsertPlan.create('postgres', table, rows, options);
    if (plan.rowCount === 0) return 0;
    return this.inSavepoint(() => pgInsert(this.client, plan));
  }

  async copyFrom<T extends DbTableName>(
    table: T,
    columns: readonly DbColumnName<T>[],
    rows: CopyRows,
    options?: CopyOptions<T>,
  ): Promise<number> {
    this.assertUsable();
    dbColumnKinds(table, columns);
    const fixed = resolveFixedColumns(table, columns, options);
    return this.inSavepoint(() => pgCopyFrom(this.client, table, columns, rows, fixed));
  }

  async transaction<R>(fn: (tx: DatabaseTransaction) => Promise<R>): Promise<R> {
    this.assertUsable();
    return this.gate.exclusive(() => {
      this.assertUsable();
      const depth = this.depth + 1;
      return runTransaction(savepointSteps(this.client, depth), new PostgresTransaction(this.client, depth), fn);
    });
  }

  end(): void {
    this.ended = true;
  }

  private inSavepoint<R>(work: () => Promise<R>): Promise<R> {
    return this.gate.exclusive(() => {
      this.assertUsable();
      // A failed rollback surfaces when the outer transaction ends; runTransaction rethrows the original error.
      return runTransaction(savepointSteps(this.client, this.depth + 1), { end: () => undefined }, work);
    });
  }

  private assertUsable(): void {
    if (this.ended) {
      throw new DatabaseError('transaction handle used after its transaction ended (a statement was not awaited?)');
    }
  }
}

function savepointSteps(client: pg.PoolClient, depth: number) {
  const name = `rrr_savepoint_${depth}`;
  return {
    begin: () => pgCommand(client, `SAVEPOINT ${name}`),
    commit: () => pgCommand(client, `RELEASE SAVEPOINT ${name}`),
    rollback: async () => {
      await pgCommand(client, `ROLLBACK TO SAVEPOINT ${name}`);
      await pgCommand(client, `RELEASE SAVEPOINT ${name}`);
    },
  };
}
