import { DatabaseError } from '../errors';
import type { DbInputValue, DbInsertRow, InsertManyOptions, SqlDialect } from './database';
import { dbColumnKinds, dbTableDefinition, type DbTableName } from './db-tables';
import { setBounded } from './set-bounded';
import type { FixedColumns } from './copy-rows';
import { columnEncoder, type ColumnEncoder, type DriverValue } from './sql-value-encoding';

/** SQLITE_MAX_VARIABLE_NUMBER of the SQLite bundled with better-sqlite3 (the default since SQLite 3.32). */
export const SQLITE_MAX_BOUND_PARAMETERS = 32_766;
/** The wire protocol's limit: a Bind message counts parameters in an Int16. */
export const POSTGRES_MAX_BOUND_PARAMETERS = 65_535;

type InputRow = Readonly<Record<string, DbInputValue>>;
/** A row given as values in the plan's column order (copyFrom's shape). */
type PositionalRow = readonly DbInputValue[];

/**
 * Statement sizes, below a full chunk, that a remainder is written in: each is prepared once and cached, so an odd
 * remainder (a 10,000-row batch leaves 1,810 rows after two full 10-column chunks) costs a few multi-row statements
 * and at most 15 single-row ones instead of one native call per row.
 */
export const REMAINDER_STATEMENT_ROWS: readonly number[] = [256, 16, 1];

function quoteIdentifier(name: string): string {
  // Only whitelisted names reach here; quoting keeps keywords such as "interval" and "cursor" harmless.
  return `"${name}"`;
}

const statementTextCache = new Map<string, string>();
const STATEMENT_TEXT_CACHE_LIMIT = 64;

/**
 * One insertMany call, validated against the schema whitelist: the column set, the encoders, the chunking and the
 * statement text for a chunk of n rows (cached, so a bulk load builds its full-chunk text once).
 */
export class InsertPlan {
  readonly columns: readonly string[];
  /** Objects keyed by column (insertMany) or arrays in column order (copyFrom), as `positional` says. */
  readonly rows: readonly InputRow[] | readonly PositionalRow[];
  readonly positional: boolean;
  /** Rows per statement so that one statement binds at most the dialect's parameter limit. */
  readonly rowsPerStatement: number;
  private readonly encoders: readonly ColumnEncoder[];
  private readonly prefix: string;
  /** Closes the VALUES list of a statement with fixed columns. */
  private readonly suffix: string;
  private readonly conflictClause: string;
  /** Values every row shares, encoded, bound once at the head of each statement (copyFrom's `fixed`). */
  private readonly fixedValues: readonly DriverValue[];

  private constructor(
    private readonly dialect: SqlDialect,
    table: string,
    columns: readonly string[],
    rows: readonly InputRow[] | readonly PositionalRow[],
    conflictClause: string,
    positional = false,
    fixed: FixedColumns = { columns: [], values: [] },
  ) {
    this.columns = columns;
    this.rows = rows;
    this.positional = positional;
    this.conflictClause = conflictClause;
    const kinds = dbColumnKinds(table, columns);
    this.encoders = columns.map((column, i) => columnEncoder(table, column, kinds[i]));
    const fixedKinds = dbColumnKinds(table, fixed.columns, 'fixed column');
    this.fixedValues = fixed.values.map((value, i) => columnEncoder(table, fixed.columns[i], fixedKinds[i])(value));
    const limit =
      (dialect === 'sqlite' ? SQLITE_MAX_BOUND_PARAMETERS : POSTGRES_MAX_BOUND_PARAMETERS) - fixed.columns.length;
    this.rowsPerStatement = Math.max(1, Math.floor(limit / Math.max(1, columns.length)));
    const target = `INSERT INTO ${quoteIdentifier(table)} (${[...fixed.columns, ...columns].map(quoteIdentifier).join(', ')})`;
    if (fixed.columns.length === 0) {
      this.prefix = `${target} VALUES `;
      this.suffix = '';
    } else {
      // SQLite names the columns of a VALUES list column1, column2 …; the shared values are bound once, first.
      const selected = [...fixed.columns.map(() => '?'), ...columns.map((_, i) => `column${i + 1}`)].join(', ');
      this.prefix = `${target} SELECT ${selected} FROM (VALUES `;
      this.suffix = ')';
    }
  }

  /** Validates table, columns and conflict handling against the whitelist; throws a DatabaseError naming the culprit. */
  static create<T extends DbTableName>(
    dialect: SqlDialect,
    table: T,
    rows: readonly DbInsertRow<T>[],
    options: InsertManyOptions<T> = {},
  ): InsertPlan {
    dbTableDefinition(table);
    const inputRows = rows as readonly InputRow[];
    const columns = collectColumns(inputRows);
    if (inputRows.length > 0 && columns.length === 0) {
      throw new DatabaseError(`insertMany into "${table}": the rows have no columns`);
    }
    dbColumnKinds(table, columns);
    const { onConflict } = options;
    if (onConflict === undefined) return new InsertPlan(dialect, table, columns, inputRows, '');

    const target = onConflict.target as readonly string[];
    dbColumnKinds(table, target, 'conflict target column');
    const targetClause = target.length > 0 ? ` (${target.map(quoteIdentifier).join(', ')})` : '';
    if (onConflict.action === 'ignore') {
      return new InsertPlan(dialect, table, columns, inputRows, ` ON CONFLICT${targetClause} DO NOTHING`);
    }
    const update = onConflict.action.update as readonly string[];
    dbColumnKinds(table, update, 'update column');
    if (target.length === 0 || update.length === 0) {
      throw new DatabaseError(`insertMany into "${table}": an upsert needs a conflict target and columns to update`);
    }
    const notInserted = update.find((column) => !columns.includes(column));
    if (notInserted !== undefined && inputRows.length > 0) {
      throw new DatabaseError(
        `insertMany into "${table}": update column "${notInserted}" is not among the rows' columns`,
      );
    }
    const assignments = update.map((c) => `${quoteIdentifier(c)} = excluded.${quoteIdentifier(c)}`).join(', ');
    return new InsertPlan(
      dialect,
      table,
      columns,
      lastRowPerKey(inputRows, target),
      ` ON CONFLICT${targetClause} DO UPDATE SET ${assignments}`,
    );
  }

  /**
   * Plain inserts of rows already in column order (copyFrom on SQLite): no object per row, no key lookups. The
   * caller has checked each row's width.
   */
  static positional<T extends DbTableName>(
    dialect: 'sqlite',
    table: T,
    columns: readonly string[],
    rows: readonly PositionalRow[],
    fixed?: FixedColumns,
  ): InsertPlan {
    dbTableDefinition(table);
    return new InsertPlan(dialect, table, columns, rows, '', true, fixed);
  }

  get rowCount(): number {
    return this.rows.length;
  }

  /** The statement text for `rowCount` rows. */
  sql(rowCount: number): string {
    const cacheable = rowCount === this.rowsPerStatement || REMAINDER_STATEMENT_ROWS.includes(rowCount);
    const key = `${this.dialect}\u0000${this.prefix}\u0000${this.conflictClause}\u0000${rowCount}`;
    if (cacheable) {
      const cached = statementTextCache.get(key);
      if (cached !== undefined) return cached;
    }
    const text = this.prefix + this.valuesList(rowCount) + this.suffix + this.conflictClause;
    if (cacheable) setBounded(statementTextCache, key, text, STATEMENT_TEXT_CACHE_LIMIT);
    return text;
  }

  /** The bound values of rows [start, end), row-major in column order, after the fixed values if any. */
  values(start: number, end: number): DriverValue[] {
    const { columns, encoders, fixedValues } = this;
    const width = columns.length;
    const out = new Array<DriverValue>(fixedValues.length + (end - start) * width);
    let k = 0;
    for (; k < fixedValues.length; k++) out[k] = fixedValues[k];
    if (this.positional) {
      const rows = this.rows as readonly PositionalRow[];
      for (let r = start; r < end; r++) {
        const row = rows[r];
        for (let c = 0; c < width; c++) out[k++] = encoders[c](row[c]);
      }
      return out;
    }
    const rows = this.rows as readonly InputRow[];
    for (let r = start; r < end; r++) {
      const row = rows[r];
      for (let c = 0; c < width; c++) out[k++] = encoders[c](row[columns[c]]);
    }
    return out;
  }

  private valuesList(rowCount: number): string {
    const width = this.columns.length;
    if (this.dialect === 'sqlite') {
      const tuple = `(${new Array<string>(width).fill('?').join(',')})`;
      return new Array<string>(rowCount).fill(tuple).join(',');
    }
    const tuples = new Array<string>(rowCount);
    let n = 0;
    for (let r = 0; r < rowCount; r++) {
      const slots = new Array<string>(width);
      for (let c = 0; c < width; c++) slots[c] = `$${++n}`;
      tuples[r] = `(${slots.join(',')})`;
    }
    return tuples.join(',');
  }
}

/** The union of the rows' keys in first-seen order; rows shaped like their predecessor cost one comparison pass. */
function collectColumns(rows: readonly InputRow[]): string[] {
  const columns: string[] = [];
  const seen = new Set<string>();
  let previous: string[] = [];
  for (const row of rows) {
    const keys = Object.keys(row);
    if (keys.length === previous.length && keys.every((key, i) => key === previous[i])) continue;
    for (const key of keys) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    previous = keys;
  }
  return columns;
}

/**
 * A conflict-key value as the database compares it: booleans as 0/1 and Dates as epoch ms (how they are stored),
 * blobs and JSON values by content. Primitives are their own key, so a key costs no allocation.
 */
function keyValue(value: DbInputValue): unknown {
  switch (typeof value) {
    case 'number':
    case 'string':
    case 'bigint':
      return value;
    case 'boolean':
      return value ? 1 : 0;
  }
  if (value instanceof Date) return value.getTime();
  if (value instanceof Uint8Array)
    return `\u0000blob:${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  return `\u0000json:${JSON.stringify(value)}`;
}

/**
 * Keeps the last row for each conflict key. PostgreSQL refuses an upsert that touches one row twice in a
 * statement, and SQLite would count it twice; last-wins matches applying the rows one after another. Keys are
 * looked up in nested maps, one level per target column, so no per-row key string is built.
 */
function lastRowPerKey(rows: readonly InputRow[], target: readonly string[]): readonly InputRow[] {
  const root = new Map<unknown, unknown>();
  const leafLevel = target.length - 1;
  let superseded: Uint8Array | undefined;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    let level = root;
    let keyed = true;
    for (let c = 0; c < leafLevel; c++) {
      const value = row[target[c]];
      // A NULL in a unique key never conflicts (NULLs are distinct), so such rows are all kept.
      if (value === null || value === undefined) {
        keyed = false;
        break;
      }
      const key = keyValue(value);
      let next = level.get(key) as Map<unknown, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(key, next);
      }
      level = next;
    }
    const leaf = row[target[leafLevel]];
    if (!keyed || leaf === null || leaf === undefined) continue;
    const key = keyValue(leaf);
    const earlier = level.get(key) as number | undefined;
    if (earlier !== undefined) (superseded ??= new Uint8Array(rows.length))[earlier] = 1;
    level.set(key, i);
  }
  if (superseded === undefined) return rows;
  const kept = superseded;
  return rows.filter((_, i) => kept[i] === 0);
}
