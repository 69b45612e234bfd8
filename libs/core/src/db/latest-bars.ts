import type { Bar } from '../domain/bar';
import { ValidationError } from '../errors';
import { barRangeProblems, barRangeSql, type BarRange } from './bar-range';
import { barFromRow, BAR_ROW_COLUMNS, type BarRow } from './bar-row';
import type { DatabaseSession } from './database';

/** The newest `n` bars of one series, optionally only those opening in [from, to) (epoch ms). */
export interface LatestBarsQuery extends BarRange {
  n: number;
}

function checkLatestBarsQuery(query: LatestBarsQuery): void {
  const problems = barRangeProblems(query);
  // SQLite reads a negative LIMIT as "no limit" while PostgreSQL refuses it: only a count both read alike passes.
  if (!Number.isSafeInteger(query.n) || query.n < 0)
    problems.push({ field: 'n', message: 'must be a non-negative integer', value: query.n });
  if (problems.length > 0) throw new ValidationError('latest bars query', problems);
}

/**
 * The newest `n` bars of a series (fewer when fewer are stored in the range), returned oldest first — what a
 * strategy, a model or a quality check is warmed with. Only bars of the query's symbol and interval are read; the
 * primary key (symbol, interval, ts) serves the read backwards from `to`, so it costs `n` rows however long the
 * series is. Works on any DatabaseSession, inside a transaction too.
 */
export async function latestBars(session: DatabaseSession, query: LatestBarsQuery): Promise<Bar[]> {
  checkLatestBarsQuery(query);
  const { where, params } = barRangeSql(query);
  params.push(query.n);
  const rows = await session.query<BarRow>(
    `SELECT ${BAR_ROW_COLUMNS} FROM bars WHERE ${where} ORDER BY ts DESC LIMIT ?`,
    params,
  );
  return rows.reverse().map(barFromRow);
}
