import { INTERVALS, isInterval, type Interval } from '../domain/interval';
import type { FieldProblem } from '../errors';

/** One series of the `bars` table, optionally only the bars opening in [from, to) (epoch ms). */
export interface BarRange {
  symbol: string;
  interval: Interval;
  /** Earliest open time read, inclusive. */
  from?: number;
  /** Open times read are before this one (exclusive). */
  to?: number;
}

/** What is wrong with a range, field by field (empty when it can be read). */
export function barRangeProblems(range: BarRange): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (typeof range.symbol !== 'string' || range.symbol === '')
    problems.push({ field: 'symbol', message: 'is required', value: range.symbol });
  if (!isInterval(range.interval))
    problems.push({ field: 'interval', message: `must be one of ${INTERVALS.join(', ')}`, value: range.interval });
  for (const field of ['from', 'to'] as const) {
    const value = range[field];
    if (value !== undefined && !Number.isSafeInteger(value))
      problems.push({ field, message: 'must be epoch milliseconds', value });
  }
  return problems;
}

/** The WHERE clause (served by the bars primary key) and its parameters selecting a range's bars. */
export function barRangeSql(range: BarRange): { where: string; params: (string | number)[] } {
  const params: (string | number)[] = [range.symbol, range.interval];
  let where = 'symbol = ? AND interval = ?';
  if (range.from !== undefined) {
    where += ' AND ts >= ?';
    params.push(range.from);
  }
  if (range.to !== undefined) {
    where += ' AND ts < ?';
    params.push(range.to);
  }
  return { where, params };
}
