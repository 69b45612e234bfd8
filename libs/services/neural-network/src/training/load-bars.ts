import {
  barFromRow,
  BAR_ROW_COLUMNS,
  latestBars,
  type Bar,
  type BarRow,
  type Database,
  type Interval,
} from '@rrr/core';

/** Stored bars of one series in time order, optionally limited to open times within [from, to]. */
export async function loadBarsFromDatabase(
  db: Database,
  query: { symbol: string; interval: Interval; from?: number; to?: number; limit?: number; newest?: boolean },
): Promise<Bar[]> {
  if (query.newest === true && query.limit !== undefined) {
    // The most recent bars (live warm-up), returned oldest first like every other read. Open times are integer
    // milliseconds, so the inclusive `to` here is latestBars' exclusive bound one millisecond later.
    return latestBars(db, {
      symbol: query.symbol,
      interval: query.interval,
      n: Math.max(0, Math.trunc(query.limit)),
      from: query.from,
      to: query.to === undefined ? undefined : query.to + 1,
    });
  }
  const where = ['symbol = ?', 'interval = ?'];
  const params: (string | number)[] = [query.symbol, query.interval];
  if (query.from !== undefined) {
    where.push('ts >= ?');
    params.push(query.from);
  }
  if (query.to !== undefined) {
    where.push('ts <= ?');
    params.push(query.to);
  }
  const limit = query.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.trunc(query.limit))}`;
  const rows = await db.query<BarRow>(
    `SELECT ${BAR_ROW_COLUMNS} FROM bars WHERE ${where.join(' AND ')} ORDER BY ts${limit}`,
    params,
  );
  return rows.map(barFromRow);
}
