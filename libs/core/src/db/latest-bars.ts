import type { Bar } from '../domain/bar';
import { INTERVALS, isInterval, type Interval } from '../domain/interval';
import { ValidationError, type FieldProblem } from '../errors';
import { barFromRow, BAR_ROW_COLUMNS, type BarRow } from './bar-row';
import type { DatabaseSession } from './database';

/** The newest `n` bars of one series, optionally only those opening in [from, to) (epoch ms). */
export interface LatestBarsQuery {
  symbol: string;
  interval: Interval;
  n: number;
  /** Earliest open time read, inclusive. */
  from?: number;
  /** Open times read are before this one (exclusive): the bar opening at `to` is not read. */
  to?: number;
}

function checkLatestBarsQuery(query: LatestBarsQuery): void {
  const problems: FieldProblem[] = [];
  if (typeof query.symbol !== 'string' || query.symbol === '')
    problems.push({ field: 'symbol', message: 'is required', value: query.symbol });
  if (!isInterval(query.interval))
    problems.push({ field: 'interval', message: `must be one of ${INTERVALS.join(', ')}`, value: query.interval });
  // SQLite reads a negative LIMIT as "no limit" while PostgreSQL refuses it: only a count both read alike passes.
  if (!Number.isSafeInteger(query.n) || query.n < 0)
    problems.push({ field: 'n', message: 'must be a non-negative integer', value: query.n });
  for (const field of ['from', 'to'] as const) {
    const value = query[field];
    if (value !== undefined && !Number.isSafeInteger(value))
      problems.push({ field, message: 'must be epoch milliseconds', value });
  }
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
  const params: (string | number)[] = [query.symbol, query.interval];
  let where = 'symbol = ? AND interval = ?';
  if (query.from !== undefined) {
    where += ' AND ts >= ?';
    params.push(query.from);
  }
  if (query.to !== undefined) {
    where += ' AND ts < ?';
    params.push(query.to);
  }
  params.push(query.n);
  const rows = await session.query<BarRow>(
    `SELECT ${BAR_ROW_COLUMNS} FROM bars WHERE ${where} ORDER BY ts DESC LIMIT ?`,
    params,
  );
  return rows.reverse().map(barFromRow);
}
