import { randomUUID } from 'node:crypto';
import { errorMessage, JobClaimLostError, type Bar } from '@rrr/core';
import { defaultBarLoader } from '../data/bar-loader';
import { completeBacktestRun, failBacktestRun, insertBacktestRun } from '../storage/backtest-run-store';
import { startQueuedBacktestRun } from '../storage/queued-backtest-runs';
import { pendingBacktestRunRecord } from './backtest-run-record';
import { checkDataCoverage, resolveBacktestRequest, type BacktestDeps, type BacktestRequest } from './backtest-request';
import type { BacktestProgressCallback } from './backtest-progress';
import {
  loadBacktestBars,
  settingsOf,
  simulateBacktest,
  type BacktestSettings,
  type SimulationOutcome,
} from './simulate-backtest';

/** A finished run: what it was asked, what happened, and the bars it ran on (for reports). */
export interface BacktestResult extends SimulationOutcome {
  id: string;
  name: string | null;
  settings: BacktestSettings;
  /** The traded bars of each symbol (the requested range, without warm-up history). */
  bars: Record<string, Bar[]>;
  createdAt: number;
  finishedAt: number;
  /** Whether the run was saved to backtest_runs / backtest_trades. */
  stored: boolean;
}

/**
 * Runs one backtest, as `rrr backtest --strategy … --symbol … [--from … --to …] [--param k=v …]` asks.
 *
 * 1. Checks the whole request before any work — unknown strategy or parameter, bad types or bounds, fast ≥ slow, a
 *    range outside the data — and throws one ValidationError listing every problem by field.
 * 2. Loads the bars (the database's when it holds the series, else the bundled datasets), plus warm-up history.
 * 3. Replays them through the trading engine (see runEventBacktest), reporting `run` progress per 1,000 bars.
 * 4. Computes the metrics for the strategy and for buy-and-hold, and saves the run and its round trips when a
 *    database is given (status running → completed, or failed with the error). A run the backtesting service stored
 *    as queued (`deps.storedQueued`) is moved to running instead of inserted.
 */
export async function runBacktest(
  request: BacktestRequest,
  deps: BacktestDeps = {},
  onProgress?: BacktestProgressCallback,
): Promise<BacktestResult> {
  const now = deps.now ?? Date.now;
  const loader = deps.loader ?? defaultBarLoader(deps.db);
  const resolved = await checkDataCoverage(resolveBacktestRequest(request, deps), loader);
  const settings = settingsOf(resolved);
  const strategy = resolved.strategy.definition.create(resolved.strategy.parameters, {
    symbols: settings.symbols,
    allowShort: settings.allowShort,
    ...(deps.predict === undefined ? {} : { predict: deps.predict }),
  });
  onProgress?.({
    phase: 'load',
    done: 0,
    total: settings.symbols.length,
    message: `loading ${settings.symbols.join(', ')}`,
  });
  const bars = await loadBacktestBars(settings, loader, strategy.warmupBars);
  const total = settings.symbols.reduce((n, s) => n + bars.range[s].length + bars.warmup[s].length, 0);
  onProgress?.({
    phase: 'load',
    done: settings.symbols.length,
    total: settings.symbols.length,
    message: `${total} bars`,
  });

  const id = deps.newId?.() ?? randomUUID();
  const createdAt = now();
  const db = deps.db;
  if (db !== undefined) {
    const record = pendingBacktestRunRecord(id, resolved, 'running', createdAt);
    if (deps.storedQueued === true) {
      if (!(await startQueuedBacktestRun(db, record, createdAt))) {
        // Cancelled, or taken over and started by another process: a ConflictError the job queue drops silently.
        throw new JobClaimLostError('backtest run', id);
      }
    } else await insertBacktestRun(db, record);
  }
  let outcome: SimulationOutcome;
  try {
    outcome = await simulateBacktest(settings, bars, {
      ...(deps.predict === undefined ? {} : { predict: deps.predict }),
      ...(deps.signal === undefined ? {} : { signal: deps.signal }),
      ...(deps.yieldEvery === undefined ? {} : { yieldEvery: deps.yieldEvery }),
      onBars: (done) => onProgress?.({ phase: 'run', done, total, message: `${done} of ${total} bars` }),
    });
  } catch (error) {
    if (db !== undefined) await failBacktestRun(db, id, errorMessage(error), now());
    throw error;
  }
  const finishedAt = now();
  if (db !== undefined) {
    onProgress?.({ phase: 'store', done: 0, total: 1, message: `saving run ${id}` });
    await completeBacktestRun(db, id, {
      finalEquity: outcome.curve.equity[outcome.curve.equity.length - 1],
      metrics: {
        strategy: outcome.metrics,
        benchmark: outcome.benchmark,
        settings: { ...settings },
        equity: { ts: outcome.curve.ts, equity: outcome.curve.equity },
      },
      trades: outcome.trades,
      finishedAt,
    });
  }
  onProgress?.({ phase: 'done', done: 1, total: 1, message: `run ${id} finished` });
  return {
    ...outcome,
    id,
    name: resolved.name,
    settings,
    bars: bars.range,
    createdAt,
    finishedAt,
    stored: db !== undefined,
  };
}
