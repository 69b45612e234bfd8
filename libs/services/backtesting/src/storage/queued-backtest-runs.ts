import type { Database } from '@rrr/core';
import { backtestRunJobs } from './backtest-run-jobs';
import { backtestRunRow, type BacktestRunRecord } from './backtest-run-store';

/** A queued run taken over from a process that is gone: its id and the request it was submitted with. */
export interface ClaimedBacktestRun {
  id: string;
  /** The request as submitted (JSON); null for a queued row stored without one, which cannot be run. */
  request: unknown;
}

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
  const claimed = await backtestRunJobs(db).claimStaleQueued(options);
  return claimed.map(({ id, request }) => ({ id, request: storedBacktestRequest(request) }));
}

/** A queued row's stored request as submitted (it is JSON text); null for a row stored without one. */
export function storedBacktestRequest(request: unknown): unknown {
  return request === null || request === undefined ? null : (JSON.parse(String(request)) as unknown);
}

/**
 * Moves a queued run to running, with the settings it now runs with, stamped at `now`. False when the run is no
 * longer queued — cancelled, or started by another process that took it over — and then nothing is written.
 */
export async function startQueuedBacktestRun(db: Database, run: BacktestRunRecord, now: number): Promise<boolean> {
  return backtestRunJobs(db).startQueued(run.id, now, {
    name: run.name,
    strategy: run.strategy,
    parameters: JSON.stringify(run.parameters),
    symbols: JSON.stringify(run.symbols),
    interval: run.interval,
    start_ts: run.startTs,
    end_ts: run.endTs,
    initial_capital: run.initialCapital,
  });
}

/** Ends a queued run as failed with `error` (a job cancelled before it started); false when it was not queued. */
export async function failQueuedBacktestRun(db: Database, id: string, error: string, now: number): Promise<boolean> {
  return backtestRunJobs(db).endQueued(id, { status: 'failed', error, now });
}

/** Hands queued runs over to whichever process adopts them next (a graceful stop), instead of their going stale. */
export async function releaseQueuedBacktestRuns(db: Database, ids: readonly string[]): Promise<void> {
  await backtestRunJobs(db).release(ids);
}

/** Deletes a queued run its submitter never heard of: the queue refused the job after the run was stored. */
export async function withdrawQueuedBacktestRun(db: Database, id: string): Promise<void> {
  await db.execute("DELETE FROM backtest_runs WHERE id = ? AND status = 'queued'", [id]);
}
