import type { Bar, DatabaseSession } from '@rrr/core';

/** The bars of one series in a write batch: its key, time range and how many bars it holds. */
export interface BatchSeries {
  symbol: string;
  interval: string;
  firstTs: number;
  lastTs: number;
  bars: number;
}

/**
 * The series of a batch, ordered by key: batches claim their summary rows in the same order, so two PostgreSQL
 * writers of the same series wait for each other instead of deadlocking.
 */
export function batchSeries(bars: readonly Bar[]): BatchSeries[] {
  const bySeries = new Map<string, BatchSeries>();
  // A batch is nearly always one series: keep the current one at hand instead of a map key per bar.
  let current: BatchSeries | undefined;
  for (const b of bars) {
    if (current === undefined || current.symbol !== b.symbol || current.interval !== b.interval) {
      const key = `${b.symbol}|${b.interval}`;
      current = bySeries.get(key);
      if (current === undefined) {
        current = { symbol: b.symbol, interval: b.interval, firstTs: b.ts, lastTs: b.ts, bars: 0 };
        bySeries.set(key, current);
      }
    }
    current.bars++;
    if (b.ts < current.firstTs) current.firstTs = b.ts;
    if (b.ts > current.lastTs) current.lastTs = b.ts;
  }
  const series = [...bySeries.values()];
  if (series.length > 1) {
    series.sort((a, b) =>
      a.symbol === b.symbol ? compareText(a.interval, b.interval) : compareText(a.symbol, b.symbol),
    );
  }
  return series;
}

const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// CASE rather than MIN/MAX(a, b) (SQLite) or LEAST/GREATEST (PostgreSQL): one statement for both dialects.
const CLAIM =
  'INSERT INTO bar_series (symbol, interval, bar_count, first_ts, last_ts) VALUES (?, ?, 0, ?, ?) ' +
  'ON CONFLICT (symbol, interval) DO UPDATE SET ' +
  'first_ts = CASE WHEN excluded.first_ts < bar_series.first_ts THEN excluded.first_ts ELSE bar_series.first_ts END, ' +
  'last_ts = CASE WHEN excluded.last_ts > bar_series.last_ts THEN excluded.last_ts ELSE bar_series.last_ts END';

/**
 * Widens the series' summary row to the batch's range (creating it with no bars yet), before the batch is written.
 * Writing the row first takes its lock (PostgreSQL) or the database's write lock (SQLite) for the rest of the
 * transaction, so no other writer of the series can change its bars between the counts taken around this batch —
 * counted without the lock, another transaction's bars committed in between would be counted as this batch's. The
 * price, on PostgreSQL: writers of one series take turns until each commits (a long import makes other writes of
 * its series wait), and two transactions of several batches that claim the same series in opposite orders deadlock
 * (PostgreSQL aborts one with an error; neither leaves a wrong count).
 */
export async function claimSeries(session: DatabaseSession, series: BatchSeries): Promise<void> {
  await session.execute(CLAIM, [series.symbol, series.interval, series.firstTs, series.lastTs]);
}

/** Stored bars of the series within the batch's [first, last]: a range read of the primary key. */
export async function countStoredInBatchRange(session: DatabaseSession, series: BatchSeries): Promise<number> {
  const row = await session.queryOne<{ n: number }>(
    'SELECT COUNT(*) AS n FROM bars WHERE symbol = ? AND interval = ? AND ts >= ? AND ts <= ?',
    [series.symbol, series.interval, series.firstTs, series.lastTs],
  );
  return Number(row?.n ?? 0);
}

/** Adds bars that were new to a claimed series. */
export async function addBarsToSeries(session: DatabaseSession, series: BatchSeries, added: number): Promise<void> {
  if (added === 0) return;
  await session.execute('UPDATE bar_series SET bar_count = bar_count + ? WHERE symbol = ? AND interval = ?', [
    added,
    series.symbol,
    series.interval,
  ]);
}

/** Takes the series' summary row lock (as claimSeries does) before its bars are deleted. */
export async function lockSeries(session: DatabaseSession, symbol: string, interval: string): Promise<void> {
  await session.execute('UPDATE bar_series SET bar_count = bar_count WHERE symbol = ? AND interval = ?', [
    symbol,
    interval,
  ]);
}

/**
 * Takes `removed` deleted bars off a locked series: its range becomes that of the bars left (two seeks of the
 * primary key, one from each end), and a series left without bars is no longer listed.
 */
export async function removeBarsFromSeries(
  session: DatabaseSession,
  symbol: string,
  interval: string,
  removed: number,
): Promise<void> {
  if (removed === 0) return;
  const edge = 'SELECT ts FROM bars WHERE symbol = ? AND interval = ? ORDER BY ts';
  const left = await session.queryOne<{ first_ts: number | null; last_ts: number | null }>(
    `SELECT (${edge} LIMIT 1) AS first_ts, (${edge} DESC LIMIT 1) AS last_ts`,
    [symbol, interval, symbol, interval],
  );
  if (left?.first_ts === null || left?.first_ts === undefined || left.last_ts === null) {
    await session.execute('DELETE FROM bar_series WHERE symbol = ? AND interval = ?', [symbol, interval]);
    return;
  }
  await session.execute(
    'UPDATE bar_series SET bar_count = bar_count - ?, first_ts = ?, last_ts = ? WHERE symbol = ? AND interval = ?',
    [removed, Number(left.first_ts), Number(left.last_ts), symbol, interval],
  );
}
