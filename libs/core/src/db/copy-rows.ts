import { DatabaseError } from '../errors';
import type { CopyRows, DbInputValue } from './database';

/** Yields copyFrom's rows, checking each has one value per column (a short row would shift every later field). */
export async function* checkedCopyRows(
  table: string,
  columns: readonly string[],
  rows: CopyRows,
): AsyncGenerator<readonly DbInputValue[]> {
  let index = 0;
  for await (const row of rows) {
    if (row.length !== columns.length) {
      throw new DatabaseError(
        `copyFrom into "${table}": row ${index} has ${row.length} values for ${columns.length} columns`,
      );
    }
    index++;
    yield row;
  }
}
