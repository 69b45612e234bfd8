import { DatabaseError } from '../errors';
import type { CopyRows, DbInputValue } from './database';

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
