import type { OptimizationJob, PortfolioRun } from '../api/wire-types';
import { DASH } from '../ui/format';

/**
 * The run a job is summed up by: the winner's (mean-variance's when it ran alone or no selection held k assets), or
 * the first run reported when nothing won; undefined until the job has a result.
 */
export function headlineRun(job: OptimizationJob): PortfolioRun | undefined {
  const runs = job.result?.runs ?? [];
  return runs.find((run) => run.method === job.result?.winner.method) ?? runs[0];
}

/**
 * Expected return over volatility, both annualised, with a risk-free rate of 0 (the API reports no rate); null
 * without volatility.
 */
export function sharpeRatio(expectedReturn: number, volatility: number): number | null {
  return volatility > 0 && Number.isFinite(expectedReturn) ? expectedReturn / volatility : null;
}

/** A symbol's annualised volatility: the square root of its covariance diagonal entry. */
export function assetVolatility(job: OptimizationJob, index: number): number {
  return Math.sqrt(job.inputs.covariance[index]?.[index] ?? Number.NaN);
}

/** The sum of a run's weights: 1 for a fully invested portfolio (every method here is). */
export function weightSum(run: PortfolioRun): number {
  return run.holdings.reduce((sum, holding) => sum + holding.weight, 0);
}

const twoDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fourDecimals = new Intl.NumberFormat('en-US', { minimumFractionDigits: 4, maximumFractionDigits: 4 });

/** An objective (μᵀw − λ·wᵀΣw) with four fixed decimals, so the runs compare at a glance. */
export function formatObjective(value: number | null | undefined): string {
  return typeof value === 'number' && Number.isFinite(value) ? fourDecimals.format(value) : DASH;
}

/** A Sharpe ratio with two fixed decimals (0.00, not 0), so a column of them lines up; — when there is none. */
export function formatSharpe(value: number | null | undefined): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return DASH;
  // -0.0004 would print as "-0.00".
  return twoDecimals.format(Math.abs(value) < 0.005 ? 0 : value);
}

/** `AAPL, SPX, WAVE01, WAVE02 +16`: the first `shown` symbols named, the rest counted. */
export function namedSymbols(symbols: readonly string[], shown = 4): string {
  return symbols.length <= shown
    ? symbols.join(', ')
    : `${symbols.slice(0, shown).join(', ')} +${symbols.length - shown}`;
}
