import { DatabaseError } from '../errors';
import type { CopyOptions, CopyRows, DbInputValue } from './database';
import { dbColumnKinds } from './db-tables';

/** copyFrom's shared values, checked: whitelisted columns of the table that the rows do not also carry. */
export interface FixedColumns {
  columns: string[];
  values: DbInputValue[];
}

export function resolveFixedColumns(
  table: string,
  columns: readonly string[],
  options: CopyOptions | undefined,
): FixedColumns {
  const entries = Object.entries(options?.fixed ?? {}) as [string, DbInputValue][];
  const fixed = { columns: entries.map(([column]) => column), values: entries.map(([, value]) => value) };
  dbColumnKinds(table, fixed.columns, 'fixed column');
  const twice = fixed.columns.find((column) => columns.includes(column));
  if (twice !== undefined) {
    throw new DatabaseError(`copyFrom into "${table}": column "${twice}" is both fixed and in the rows' columns`);
  }
  return fixed;
}

/** A short row would shift every later field: copyFrom refuses a row without one value per column. */
export function checkCopyRowWidth(
  table: string,
  columns: readonly string[],
  row: readonly DbInputValue[],
  index: number,
): void {
  if (row.length !== columns.length) {
    throw new DatabaseError(
      `copyFrom into "${table}": row ${index} has ${row.length} values for ${columns.length} columns`,
    );
  }
}

/** Yields copyFrom's rows, checking each has one value per column. */
export async function* checkedCopyRows(
  table: string,
  columns: readonly string[],
  rows: CopyRows,
): AsyncGenerator<readonly DbInputValue[]> {
  let index = 0;
  for await (const row of rows) {
    checkCopyRowWidth(table, columns, row, index++);
    yield row;
  }
}
