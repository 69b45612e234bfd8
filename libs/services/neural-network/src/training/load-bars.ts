import type { Bar, Database, Interval } from '@rrr/core';

interface BarRow {
  symbol: string;
  interval: string;
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  vwap: number | null;
  trades: number | null;
}

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
    `SELECT symbol, interval, ts, open, high, low, close, volume, vwap, trades FROM bars WHERE ${where.join(' AND ')} ORDER BY ts ${order}${limit}`,
    params,
  );
  if (query.newest === true) rows.reverse();
  return rows.map((r) => ({
    symbol: r.symbol,
    interval: r.interval as Interval,
    ts: r.ts,
    open: r.open,
    high: r.high,
    low: r.low,
    close: r.close,
    volume: r.volume,
    ...(r.vwap === null ? {} : { vwap: r.vwap }),
    ...(r.trades === null ? {} : { trades: r.trades }),
  }));
}
