import type { Database } from '@rrr/core';
import { backtestRunRow, type BacktestRunRecord } from './backtest-run-store';

/**
 * The heartbeat of a queued run its owner handed over on a graceful stop: older than any stale limit, so the next
 * process to look adopts it without waiting for the heartbeat to go stale.
 */
const RELEASED_HEARTBEAT = 0;

/** A queued run taken over from a process that is gone: its id and the request it was submitted with. */
export interface ClaimedBacktestRun {
  id: string;
  /** The request as submitted (JSON); null for a queued row stored without one, which cannot be run. */
  request: unknown;
}

const idList = (ids: readonly string[]): string => ids.map(() => '?').join(', ');

/**
 * Stores a run as `queued` with the request that asked for it (JSON, so another process can run it if this one dies
 * first), stamped alive at `now`; its owner keeps stamping it (stampBacktestRuns) while it holds it.
 */
export async function insertQueuedBacktestRun(
  db: Database,
  run: BacktestRunRecord,
  request: object,
  now: number,
): Promise<void> {
  await db.insertMany('backtest_runs', [
    { ...backtestRunRow({ ...run, status: 'queued' }, now), request: request as Record<string, unknown> },
  ]);
}

/**
 * Takes over up to `limit` queued runs not stamped since `staleBefore` — their process died or handed them over —
 * oldest submitted first. Each is claimed with one conditional UPDATE that stamps it at `now`, so of several
 * processes sharing the database exactly one wins each run. Returns the runs this call won.
 */
export async function claimStaleQueuedBacktestRuns(
  db: Database,
  options: { staleBefore: number; now: number; limit: number },
): Promise<ClaimedBacktestRun[]> {
  const { staleBefore, now, limit } = options;
  if (limit <= 0) return [];
  const candidates = await db.query<{ id: string; request: string | null }>(
    "SELECT id, request FROM backtest_runs WHERE status = 'queued' AND heartbeat_at < ? ORDER BY created_at, id LIMIT ?",
    [staleBefore, limit],
  );
  const claimed: ClaimedBacktestRun[] = [];
  for (const { id, request } of candidates) {
    const { rowCount } = await db.execute(
      "UPDATE backtest_runs SET heartbeat_at = ? WHERE id = ? AND status = 'queued' AND heartbeat_at < ?",
      [now, id, staleBefore],
    );
    if (rowCount > 0) claimed.push({ id, request: request === null ? null : (JSON.parse(request) as unknown) });
  }
  return claimed;
}

/**
 * Moves a queued run to running, with the settings it now runs with, stamped at `now`. False when the run is no
 * longer queued — cancelled, or started by another process that took it over — and then nothing is written.
 */
export async function startQueuedBacktestRun(db: Database, run: BacktestRunRecord, now: number): Promise<boolean> {
  const { rowCount } = await db.execute(
    'UPDATE backtest_runs SET name = ?, strategy = ?, parameters = ?, symbols = ?, interval = ?, start_ts = ?, ' +
      "end_ts = ?, initial_capital = ?, status = 'running', heartbeat_at = ? WHERE id = ? AND status = 'queued'",
    [
      run.name,
      run.strategy,
      JSON.stringify(run.parameters),
      JSON.stringify(run.symbols),
      run.interval,
      run.startTs,
      run.endTs,
      run.initialCapital,
      now,
      run.id,
    ],
  );
  return rowCount > 0;
}

/** Ends a queued run as failed with `error` (a job cancelled before it started); false when it was not queued. */
export async function failQueuedBacktestRun(db: Database, id: string, error: string, now: number): Promise<boolean> {
  const { rowCount } = await db.execute(
    "UPDATE backtest_runs SET status = 'failed', error = ?, finished_at = ? WHERE id = ? AND status = 'queued'",
    [error, now, id],
  );
  return rowCount > 0;
}

/** Hands queued runs over to whichever process adopts them next (a graceful stop), instead of their going stale. */
export async function releaseQueuedBacktestRuns(db: Database, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await db.execute(`UPDATE backtest_runs SET heartbeat_at = ? WHERE status = 'queued' AND id IN (${idList(ids)})`, [
    RELEASED_HEARTBEAT,
    ...ids,
  ]);
}

/** Deletes a queued run its submitter never heard of: the queue refused the job after the run was stored. */
export async function withdrawQueuedBacktestRun(db: Database, id: string): Promise<void> {
  await db.execute("DELETE FROM backtest_runs WHERE id = ? AND status = 'queued'", [id]);
}
