import { barFromRow, BAR_ROW_COLUMNS, type Bar, type BarRow, type Database, type Interval } from '@rrr/core';

/** Stored bars of one series in time order, optionally limited to open times within [from, to]. */
export async function loadBarsFromDatabase(
  db: Database,
  query: { symbol: string; interval: Interval; from?: number; to?: number; limit?: number; newest?: boolean },
): Promise<Bar[]> {
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
  // `newest` + `limit` reads the most recent bars (live warm-up), returned oldest first like every other read.
  const order = query.newest === true ? 'DESC' : 'ASC';
  const limit = query.limit === undefined ? '' : ` LIMIT ${Math.max(0, Math.trunc(query.limit))}`;
  const rows = await db.query<BarRow>(
    `SELECT ${BAR_ROW_COLUMNS} FROM bars WHERE ${where.join(' AND ')} ORDER BY ts ${order}${limit}`,
    params,
  );
  if (query.newest === true) rows.reverse();
  return rows.map(barFromRow);
}
