import type BetterSqlite3 from 'better-sqlite3';
import type { ExecuteResult, SqlParams } from './database';
import { REMAINDER_STATEMENT_ROWS, type InsertPlan } from './insert-plan';
import { setBounded } from './set-bounded';
import { encodeSqlParams, type DriverValue } from './sql-value-encoding';
import { toDatabaseError } from './to-database-error';

type Statement = BetterSqlite3.Statement<DriverValue[][], Record<string, unknown>>;

const STATEMENT_CACHE_LIMIT = 256;

/**
 * The synchronous primitives over one better-sqlite3 connection: a bounded cache of prepared statements, error
 * wrapping, and transaction levels (depth 1 is BEGIN IMMEDIATE, deeper levels are savepoints). Callers serialise
 * access through their SessionGate; nothing here awaits.
 */
export class SqliteConnection {
  private readonly statements = new Map<string, Statement>();
  /** Runs after each outermost COMMIT, outside any transaction (the background checkpointer's hand-over). */
  afterCommit: (() => void) | undefined;

  constructor(readonly handle: BetterSqlite3.Database) {}

  all<T>(sql: string, params: SqlParams): T[] {
    try {
      const statement = this.prepare(sql);
      const values = encodeSqlParams(params);
      if (statement.reader) return statement.all(values) as T[];
      statement.run(values);
      return [];
    } catch (err) {
      throw toDatabaseError(err, sql, 'sqlite');
    }
  }

  get<T>(sql: string, params: SqlParams): T | undefined {
    try {
      const statement = this.prepare(sql);
      const values = encodeSqlParams(params);
      if (statement.reader) return statement.get(values) as T | undefined;
      statement.run(values);
      return undefined;
    } catch (err) {
      throw toDatabaseError(err, sql, 'sqlite');
    }
  }

  run(sql: string, params: SqlParams): ExecuteResult {
    try {
      const statement = this.prepare(sql);
      const values = encodeSqlParams(params);
      // A RETURNING statement is a reader; run() would still apply it, but its rows are the honest count.
      if (statement.reader) return { rowCount: statement.all(values).length };
      return { rowCount: statement.run(values).changes };
    } catch (err) {
      throw toDatabaseError(err, sql, 'sqlite');
    }
  }

  /**
   * Writes the plan's rows: full chunks through one cached multi-row statement (one native call per chunk), the
   * remainder through cached statements of REMAINDER_STATEMENT_ROWS sizes (cheaper than preparing a statement for an
   * odd size, and than a native call per row). The caller provides the surrounding transaction level.
   */
  insert(plan: InsertPlan): number {
    const total = plan.rowCount;
    let written = 0;
    let next = 0;
    let sql = '';
    try {
      for (const size of [plan.rowsPerStatement, ...REMAINDER_STATEMENT_ROWS]) {
        if (size > plan.rowsPerStatement || next + size > total) continue;
        sql = plan.sql(size);
        const statement = this.prepare(sql);
        for (; next + size <= total; next += size) written += statement.run(plan.values(next, next + size)).changes;
      }
    } catch (err) {
      throw toDatabaseError(err, sql, 'sqlite');
    }
    return written;
  }

  begin(depth: number): void {
    this.exec(depth === 1 ? 'BEGIN IMMEDIATE' : `SAVEPOINT rrr_savepoint_${depth}`);
  }

  commit(depth: number): void {
    this.exec(depth === 1 ? 'COMMIT' : `RELEASE rrr_savepoint_${depth}`);
    if (depth === 1) this.afterCommit?.();
  }

  rollback(depth: number): void {
    // SQLite rolls a transaction back by itself after some errors (SQLITE_FULL, SQLITE_IOERR…).
    if (!this.handle.inTransaction) return;
    if (depth === 1) {
      this.exec('ROLLBACK');
    } else {
      this.exec(`ROLLBACK TO rrr_savepoint_${depth}`);
      this.exec(`RELEASE rrr_savepoint_${depth}`);
    }
  }

  /** Runs `fn` as one transaction level, synchronously: nothing else can interleave. */
  atomically<R>(depth: number, fn: () => R): R {
    this.begin(depth);
    try {
      const result = fn();
      this.commit(depth);
      return result;
    } catch (err) {
      this.rollback(depth);
      throw err;
    }
  }

  prepare(sql: string): Statement {
    const cached = this.statements.get(sql);
    if (cached !== undefined) return cached;
    const statement = this.handle.prepare<DriverValue[][], Record<string, unknown>>(sql);
    setBounded(this.statements, sql, statement, STATEMENT_CACHE_LIMIT);
    return statement;
  }

  close(): void {
    this.statements.clear();
    if (this.handle.open) this.handle.close();
  }

  private exec(sql: string): void {
    try {
      this.prepare(sql).run([]);
    } catch (err) {
      throw toDatabaseError(err, sql, 'sqlite');
    }
  }
}
