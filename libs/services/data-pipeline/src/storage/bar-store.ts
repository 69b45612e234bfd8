import {
  barFromRow,
  barRangeProblems,
  barRangeSql,
  barToRow,
  BAR_ROW_COLUMNS,
  ValidationError,
  isUniqueViolation,
  latestBars,
  type Bar,
  type BarRange,
  type BarRow,
  type Database,
  type DatabaseSession,
  type Interval,
} from '@rrr/core';
import {
  addBarsToSeries,
  batchSeries,
  claimSeries,
  countStoredInBatchRange,
  lockSeries,
  removeBarsFromSeries,
} from './bar-series-summary';

/** One series over a time range [from, to) of open times in epoch ms; open sides read everything (core's BarRange). */
export type BarQuery = BarRange;

export interface BarPage {
  bars: Bar[];
  /** Pass as `from` for the next page; absent on the last page. */
  nextFrom?: number;
}

/** A stored series and the range it covers. */
export interface StoredSeries {
  symbol: string;
  interval: Interval;
  bars: number;
  firstTs: number;
  lastTs: number;
}

const UPSERT = {
  onConflict: {
    target: ['symbol', 'interval', 'ts'],
    action: { update: ['open', 'high', 'low', 'close', 'volume', 'vwap', 'trades'] },
  },
} as const;
const SERIES_COLUMNS = ['symbol', 'interval'] as const;
const VALUE_COLUMNS = ['ts', 'open', 'high', 'low', 'close', 'volume'] as const;
export const MAX_PAGE_SIZE = 10_000;

function checkQuery(query: BarQuery, limit?: number): void {
  const problems = barRangeProblems(query);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE)) {
    problems.push({ field: 'limit', message: `must be an integer in [1, ${MAX_PAGE_SIZE}]`, value: limit });
  }
  if (problems.length > 0) throw new ValidationError('bar query', problems);
}

/**
 * Bars in core's `bars` table: idempotent batched upserts (the last write for a (symbol, interval, ts) wins), and
 * reads by series and range, paged by key (no OFFSET, so page n costs what page 1 does) or streamed in batches. Every
 * write also keeps the series' row in `bar_series` (bar count, first and last open time) exact, in its transaction:
 * write bars through this class, or the listing of series drifts from the bars.
 */
export class BarStore {
  constructor(private readonly db: Database) {}

  /**
   * Inserts or overwrites `bars`, all or nothing; `session` puts it inside a caller's transaction. A batch whose
   * series ranges hold no bar yet (a first load, a backfill moving forward) is bulk-inserted: COPY on PostgreSQL, a
   * plain multi-row INSERT on SQLite, both cheaper than an upsert. Anything else — or a bulk insert that meets a row
   * after all (a concurrent writer, duplicates inside the batch) — goes through the upsert, where the last write wins.
   *
   * Each series' `bar_series` row changes in the same transaction, claimed before the write (see claimSeries). Its
   * bar count grows by the bars that were new: the stored bars in the batch's range are counted before the write
   * and, when the batch went through the upsert, again after it (a bulk insert that succeeded added every bar of the
   * batch). The count before the write doubles as the emptiness check, so a first load pays two one-row statements
   * per series and batch more than the bulk insert alone (about 20 µs a batch on SQLite).
   */
  async upsert(bars: readonly Bar[], session: DatabaseSession = this.db): Promise<number> {
    if (bars.length === 0) return 0;
    const series = batchSeries(bars);
    return session.transaction(async (tx) => {
      const before: number[] = [];
      for (const s of series) {
        await claimSeries(tx, s);
        before.push(await countStoredInBatchRange(tx, s));
      }
      if (before.every((n) => n === 0)) {
        try {
          // copyFrom is all-or-nothing inside the transaction (its own savepoint): a unique violation leaves the
          // transaction usable for the upsert below.
          const written = await this.insertNew(bars, tx);
          for (const s of series) await addBarsToSeries(tx, s, s.bars);
          return written;
        } catch (err) {
          if (!isUniqueViolation(err)) throw err;
        }
      }
      const written = await tx.insertMany('bars', bars.map(barToRow), UPSERT);
      for (let i = 0; i < series.length; i++) {
        await addBarsToSeries(tx, series[i], (await countStoredInBatchRange(tx, series[i])) - before[i]);
      }
      return written;
    });
  }

  /**
   * Deletes the bars of a series in [from, to) (all of them when both are open), keeping its `bar_series` row
   * exact; returns how many were deleted.
   */
  async delete(query: BarQuery, session: DatabaseSession = this.db): Promise<number> {
    checkQuery(query);
    const { where, params } = barRangeSql(query);
    return session.transaction(async (tx) => {
      await lockSeries(tx, query.symbol, query.interval);
      const { rowCount } = await tx.execute(`DELETE FROM bars WHERE ${where}`, params);
      await removeBarsFromSeries(tx, query.symbol, query.interval, rowCount);
      return rowCount;
    });
  }

  /** Plain inserts in column order: COPY on PostgreSQL, multi-row INSERTs on SQLite. */
  private async insertNew(bars: readonly Bar[], session: DatabaseSession): Promise<number> {
    const withVwap = bars.some((b) => b.vwap !== undefined);
    const withTrades = bars.some((b) => b.trades !== undefined);
    // A batch is nearly always one series: its symbol and interval are then bound once per statement, not per row.
    const { symbol, interval } = bars[0];
    const oneSeries = bars.every((b) => b.symbol === symbol && b.interval === interval);
    const columns = [
      ...(oneSeries ? [] : SERIES_COLUMNS),
      ...VALUE_COLUMNS,
      ...(withVwap ? (['vwap'] as const) : []),
      ...(withTrades ? (['trades'] as const) : []),
    ];
    const values = new Array<(string | number | null)[]>(bars.length);
    for (let i = 0; i < bars.length; i++) {
      const b = bars[i];
      const row: (string | number | null)[] = oneSeries
        ? [b.ts, b.open, b.high, b.low, b.close, b.volume]
        : [b.symbol, b.interval, b.ts, b.open, b.high, b.low, b.close, b.volume];
      if (withVwap) row.push(b.vwap ?? null);
      if (withTrades) row.push(b.trades ?? null);
      values[i] = row;
    }
    return session.copyFrom('bars', columns, values, oneSeries ? { fixed: { symbol, interval } } : {});
  }

  /** One page of a series in time order. */
  async page(query: BarQuery & { limit?: number }): Promise<BarPage> {
    const limit = query.limit ?? 1_000;
    checkQuery(query, limit);
    const { where, params } = barRangeSql(query);
    const rows = await this.db.query<BarRow>(`SELECT ${BAR_ROW_COLUMNS} FROM bars WHERE ${where} ORDER BY ts LIMIT ?`, [
      ...params,
      limit,
    ]);
    const bars = rows.map(barFromRow);
    return bars.length === limit ? { bars, nextFrom: bars[bars.length - 1].ts + 1 } : { bars };
  }

  /** A series in time order, `batchSize` bars at a time, without holding it all in memory. */
  async *stream(query: BarQuery, batchSize = 5_000): AsyncGenerator<Bar[]> {
    checkQuery(query);
    const { where, params } = barRangeSql(query);
    for await (const rows of this.db.stream<BarRow>(
      `SELECT ${BAR_ROW_COLUMNS} FROM bars WHERE ${where} ORDER BY ts`,
      params,
      { batchSize },
    )) {
      yield rows.map(barFromRow);
    }
  }

  /** The newest `n` bars of a series in [from, to) (open sides read everything), oldest first: core's latestBars. */
  async latest(query: BarQuery & { n: number }, session: DatabaseSession = this.db): Promise<Bar[]> {
    return latestBars(session, query);
  }

  async count(query: BarQuery, session: DatabaseSession = this.db): Promise<number> {
    checkQuery(query);
    const { where, params } = barRangeSql(query);
    const row = await session.queryOne<{ n: number }>(`SELECT COUNT(*) AS n FROM bars WHERE ${where}`, params);
    return Number(row?.n ?? 0);
  }

  /**
   * Every stored series (optionally of one symbol) with its bar count and time range: the `bar_series` rows the
   * writers keep, so the listing costs one row per series however many bars are stored.
   */
  async series(symbol?: string): Promise<StoredSeries[]> {
    const rows = await this.db.query<{
      symbol: string;
      interval: Interval;
      bar_count: number;
      first_ts: number;
      last_ts: number;
    }>(
      'SELECT symbol, interval, bar_count, first_ts, last_ts FROM bar_series' +
        (symbol === undefined ? '' : ' WHERE symbol = ?') +
        ' ORDER BY symbol, interval',
      symbol === undefined ? [] : [symbol],
    );
    return rows.map((r) => ({
      symbol: r.symbol,
      interval: r.interval,
      bars: Number(r.bar_count),
      firstTs: Number(r.first_ts),
      lastTs: Number(r.last_ts),
    }));
  }
}
