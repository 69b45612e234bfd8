import { ValidationError } from '@rrr/core';
import { periodReturns } from '../metrics/return-metrics';
import {
  monteCarlo,
  monteCarloOptionProblems,
  type MonteCarloOptions,
  type MonteCarloReport,
} from '../monte-carlo/monte-carlo';
import { resolveBacktestRequest, type BacktestDeps, type BacktestRequest } from './backtest-request';
import type { BacktestProgressCallback } from './backtest-progress';
import { runBacktest, type BacktestResult } from './run-backtest';

/** `rrr backtest monte-carlo …`: a backtest request plus how to resample it. */
export interface MonteCarloRequest extends BacktestRequest {
  monteCarlo?: MonteCarloOptions;
}

export interface MonteCarloResult {
  backtest: BacktestResult;
  monteCarlo: MonteCarloReport;
}

/** The Monte Carlo of an existing result: its closed trades' returns on equity, or its per-bar returns. */
export function monteCarloOfResult(
  result: Pick<BacktestResult, 'trades' | 'curve' | 'metrics' | 'settings'>,
  options: MonteCarloOptions = {},
  onProgress?: BacktestProgressCallback,
): MonteCarloReport {
  const tradeReturns = result.trades
    .filter((t) => t.pnl !== null && t.equityAtEntry > 0)
    .sort((a, b) => (a.exitTs as number) - (b.exitTs as number))
    .map((t) => (t.pnl as number) / t.equityAtEntry);
  return monteCarlo(
    {
      returns: periodReturns(result.curve.equity),
      tradeReturns,
      periodsPerYear: result.settings.periodsPerYear,
      years: result.metrics.years,
      riskFreeRate: result.settings.riskFreeRate,
    },
    options,
    (done, total) => onProgress?.({ phase: 'simulate', done, total, message: `${done} of ${total} paths` }),
  );
}

/**
 * Runs the backtest (stored like any other when deps.db is given), then `monteCarlo.runs` (default 1,000) resampled
 * histories of it: trade bootstrap by default, or a block bootstrap of its returns (block 5), seeded. The Monte Carlo
 * options are checked together with the request, before any work.
 */
export async function runMonteCarlo(
  request: MonteCarloRequest,
  deps: BacktestDeps = {},
  onProgress?: BacktestProgressCallback,
): Promise<MonteCarloResult> {
  const optionProblems = monteCarloOptionProblems(request.monteCarlo ?? {});
  try {
    resolveBacktestRequest(request, deps);
  } catch (error) {
    if (error instanceof ValidationError)
      throw new ValidationError('backtest request', [...error.problems, ...optionProblems]);
    throw error;
  }
  if (optionProblems.length > 0) throw new ValidationError('backtest request', optionProblems);
  const backtest = await runBacktest(request, deps, onProgress);
  return { backtest, monteCarlo: monteCarloOfResult(backtest, request.monteCarlo, onProgress) };
}
