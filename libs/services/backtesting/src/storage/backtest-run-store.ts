import { NotFoundError, type Database, type DbInsertRow } from '@rrr/core';
import type { RoundTrip, TradeDirection, TradeExitReason } from '../engine/round-trip-ledger';
import type { PerformanceMetrics } from '../metrics/performance-metrics';
import { backtestRunJobs } from './backtest-run-jobs';

/** `queued`: stored by the backtesting service as it was submitted, waiting for a slot (see queued-backtest-runs). */
export type BacktestRunStatus = 'queued' | 'running' | 'completed' | 'failed';

/** The row of backtest_runs as the backtester writes it. */
export interface BacktestRunRecord {
  id: string;
  name: string | null;
  /** Strategy name, e.g. `sma-cross`. */
  strategy: string;
  /** The strategy's typed parameters, e.g. `{ fast: 20, slow: 50 }`. */
  parameters: Record<string, unknown>;
  symbols: string[];
  interval: string;
  /** Requested range [startTs, endTs) of bar open times. */
  startTs: number;
  endTs: number;
  initialCapital: number;
  finalEquity: number | null;
  /** `{ strategy, benchmark, settings }`: both metric sets and the execution settings (costs, fills, sizing…). */
  metrics: StoredRunMetrics | null;
  status: BacktestRunStatus;
  error: string | null;
  createdAt: number;
  finishedAt: number | null;
}

export interface StoredRunMetrics {
  strategy: PerformanceMetrics;
  benchmark: PerformanceMetrics;
  settings: Record<string, unknown>;
  /**
   * The strategy's equity curve as parallel columns (one point per bar close, as EquityCurve). Kept in the metrics
   * document because backtest_runs has no column for it; runs stored before it was added have none.
   */
  equity?: { ts: number[]; equity: number[] };
}

/** A row of backtest_trades: one round trip. `return_pct` is stored in percent (5 = +5 %). */
export interface StoredTrade {
  symbol: string;
  direction: TradeDirection;
  quantity: number;
  entryTs: number;
  entryPrice: number;
  exitTs: number | null;
  exitPrice: number | null;
  pnl: number | null;
  returnPct: number | null;
  fees: number;
  exitReason: TradeExitReason;
}

/** The row of a run as it is first written; `heartbeatAt` null for a run nobody stamps (the CLI's). */
export function backtestRunRow(run: BacktestRunRecord, heartbeatAt: number | null): DbInsertRow<'backtest_runs'> {
  return {
    id: run.id,
    name: run.name,
    strategy: run.strategy,
    parameters: run.parameters,
    symbols: run.symbols,
    interval: run.interval,
    start_ts: run.startTs,
    end_ts: run.endTs,
    initial_capital: run.initialCapital,
    final_equity: run.finalEquity,
    metrics: run.metrics === null ? null : (run.metrics as unknown as Record<string, unknown>),
    status: run.status,
    error: run.error,
    created_at: run.createdAt,
    finished_at: run.finishedAt,
    heartbeat_at: heartbeatAt,
  };
}

/**
 * Inserts the run as `running` (so a long run is visible while it works). `heartbeatAt`: the run's owner will keep
 * stamping it alive (stampBacktestRuns), so it can be told from a run whose process died; a CLI run has none.
 */
export async function insertBacktestRun(db: Database, run: BacktestRunRecord, heartbeatAt?: number): Promise<void> {
  await db.insertMany('backtest_runs', [backtestRunRow(run, heartbeatAt ?? null)]);
}

/** Stamps the owner's queued and running runs alive at `now`. */
export async function stampBacktestRuns(db: Database, ids: readonly string[], now: number): Promise<void> {
  await backtestRunJobs(db).stamp(ids, now);
}

/**
 * Ends as failed (interrupted) every running run whose heartbeat is older than `staleBefore`: their process died.
 * Runs without a heartbeat (the CLI's) are left alone, and so are queued runs: another process takes those over
 * (claimStaleQueuedBacktestRuns). Returns how many were ended.
 */
export async function interruptStaleBacktestRuns(db: Database, staleBefore: number, now: number): Promise<number> {
  return backtestRunJobs(db).interruptStaleRunning(staleBefore, now);
}

/** Completes a run: its metrics, final equity and every round trip, in one transaction. */
export async function completeBacktestRun(
  db: Database,
  id: string,
  outcome: { finalEquity: number; metrics: StoredRunMetrics; trades: readonly RoundTrip[]; finishedAt: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    const updated = await tx.execute(
      'UPDATE backtest_runs SET final_equity = ?, metrics = ?, status = ?, error = NULL, finished_at = ? WHERE id = ?',
      [outcome.finalEquity, JSON.stringify(outcome.metrics), 'completed', outcome.finishedAt, id],
    );
    if (updated.rowCount === 0) throw new NotFoundError('backtest run', id);
    await tx.execute('DELETE FROM backtest_trades WHERE run_id = ?', [id]);
    await tx.insertMany(
      'backtest_trades',
      outcome.trades.map((t) => ({
        run_id: id,
        symbol: t.symbol,
        side: t.direction,
        quantity: t.quantity,
        entry_ts: t.entryTs,
        entry_price: t.entryPrice,
        exit_ts: t.exitTs,
        exit_price: t.exitPrice,
        pnl: t.pnl,
        return_pct: t.returnFraction === null ? null : t.returnFraction * 100,
        fees: t.fees,
        exit_reason: t.exitReason,
      })),
    );
  });
}

/** Marks a run failed with the error's message. */
export async function failBacktestRun(db: Database, id: string, error: string, finishedAt: number): Promise<void> {
  await db.execute('UPDATE backtest_runs SET status = ?, error = ?, finished_at = ? WHERE id = ?', [
    'failed',
    error,
    finishedAt,
    id,
  ]);
}

interface RunRow {
  id: string;
  name: string | null;
  strategy: string;
  parameters: string;
  symbols: string;
  interval: string;
  start_ts: number | string;
  end_ts: number | string;
  initial_capital: number;
  final_equity: number | null;
  metrics: string | null;
  status: BacktestRunStatus;
  error: string | null;
  created_at: number | string;
  finished_at: number | string | null;
}

interface TradeRow {
  symbol: string;
  side: TradeDirection;
  quantity: number;
  entry_ts: number | string;
  entry_price: number;
  exit_ts: number | string | null;
  exit_price: number | null;
  pnl: number | null;
  return_pct: number | null;
  fees: number;
  exit_reason: TradeExitReason;
}

const RUN_COLUMNS =
  'id, name, strategy, parameters, symbols, interval, start_ts, end_ts, initial_capital, final_equity, metrics, status, error, created_at, finished_at';

// PostgreSQL hands BIGINT columns back as strings.
const int = (v: number | string): number => Number(v);
const intOrNull = (v: number | string | null): number | null => (v === null ? null : Number(v));

function toRecord(row: RunRow): BacktestRunRecord {
  return {
    id: row.id,
    name: row.name,
    strategy: row.strategy,
    parameters: JSON.parse(row.parameters) as Record<string, unknown>,
    symbols: JSON.parse(row.symbols) as string[],
    interval: row.interval,
    startTs: int(row.start_ts),
    endTs: int(row.end_ts),
    initialCapital: row.initial_capital,
    finalEquity: row.final_equity,
    metrics: row.metrics === null ? null : (JSON.parse(row.metrics) as StoredRunMetrics),
    status: row.status,
    error: row.error,
    createdAt: int(row.created_at),
    finishedAt: intOrNull(row.finished_at),
  };
}

/** A stored run and its round trips (in entry order); NotFoundError for an unknown id. */
export async function loadBacktestRun(
  db: Database,
  id: string,
): Promise<{ run: BacktestRunRecord; trades: StoredTrade[] }> {
  const row = await db.queryOne<RunRow>(`SELECT ${RUN_COLUMNS} FROM backtest_runs WHERE id = ?`, [id]);
  if (row === undefined) throw new NotFoundError('backtest run', id);
  const trades = await db.query<TradeRow>(
    'SELECT symbol, side, quantity, entry_ts, entry_price, exit_ts, exit_price, pnl, return_pct, fees, exit_reason ' +
      'FROM backtest_trades WHERE run_id = ? ORDER BY entry_ts, id',
    [id],
  );
  return {
    run: toRecord(row),
    trades: trades.map((t) => ({
      symbol: t.symbol,
      direction: t.side,
      quantity: t.quantity,
      entryTs: int(t.entry_ts),
      entryPrice: t.entry_price,
      exitTs: intOrNull(t.exit_ts),
      exitPrice: t.exit_price,
      pnl: t.pnl,
      returnPct: t.return_pct,
      fees: t.fees,
      exitReason: t.exit_reason,
    })),
  };
}

/** Stored runs, newest first, optionally of one strategy; their metrics without the equity curve (loadBacktestRun has it). */
export async function listBacktestRuns(
  db: Database,
  filter: { strategy?: string; limit?: number } = {},
): Promise<BacktestRunRecord[]> {
  const limit = Math.max(1, Math.min(filter.limit ?? 50, 1_000));
  // A curve is a few hundred kilobytes per daily run, far more intraday: the database drops it before it is sent.
  const metrics =
    db.dialect === 'postgres'
      ? `(metrics::jsonb - 'equity')::text AS metrics`
      : `json_remove(metrics, '$.equity') AS metrics`;
  const columns = RUN_COLUMNS.replace('metrics', metrics);
  const rows =
    filter.strategy === undefined
      ? await db.query<RunRow>(`SELECT ${columns} FROM backtest_runs ORDER BY created_at DESC, id LIMIT ?`, [limit])
      : await db.query<RunRow>(
          `SELECT ${columns} FROM backtest_runs WHERE strategy = ? ORDER BY created_at DESC, id LIMIT ?`,
          [filter.strategy, limit],
        );
  return rows.map(toRecord);
}
