import { annualisedVolatility, historicalVar } from '@rrr/risk-management';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { quantileType7 } from './quantile';

/*
 * Return-based metrics. Conventions, shared by every function here:
 * - a return series holds simple returns per period, r_i = E_i / E_{i−1} − 1, as fractions (0.01 = +1 %);
 * - standard deviations are SAMPLE deviations (n − 1 denominator), as risk-management's volatility uses;
 * - annualisation multiplies a per-period mean-over-deviation ratio by √P, P = periods per year;
 * - the annual risk-free rate rf becomes a per-period rate geometrically: (1 + rf)^(1/P) − 1;
 * - a figure that is undefined for the input (no deviation, no losing period…) is null, never ±Infinity or NaN,
 *   so results survive JSON.
 */

/** Simple returns between consecutive equity values; a period that starts at or below zero equity returns 0. */
export function periodReturns(equity: readonly number[]): number[] {
  const returns = new Array<number>(Math.max(0, equity.length - 1));
  for (let i = 1; i < equity.length; i += 1) {
    const previous = equity[i - 1];
    returns[i - 1] = previous > 0 ? equity[i] / previous - 1 : 0;
  }
  return returns;
}

/** E_last / E_first − 1; null for fewer than one value or a non-positive start. */
export function totalReturn(equity: readonly number[]): number | null {
  if (equity.length === 0 || !(equity[0] > 0)) return null;
  return equity[equity.length - 1] / equity[0] - 1;
}

/**
 * Compound annual growth rate over `years` calendar years: (E_last / E_first)^(1/years) − 1; −1 once equity is gone;
 * null when no time has passed.
 */
export function compoundAnnualGrowthRate(first: number, last: number, years: number): number | null {
  if (!(years > 0) || !(first > 0)) return null;
  if (last <= 0) return -1;
  return (last / first) ** (1 / years) - 1;
}

/** The per-period rate equivalent to an annual rate compounded `periodsPerYear` times: (1 + annual)^(1/P) − 1. */
export function perPeriodRate(annualRate: number, periodsPerYear: number): number {
  return (1 + annualRate) ** (1 / periodsPerYear) - 1;
}

/** Sample standard deviation of the returns × √P; null for fewer than two returns. */
export function annualVolatility(returns: readonly number[], periodsPerYear: number): number | null {
  if (returns.length < 2) return null;
  return annualisedVolatility([...returns], periodsPerYear);
}

/**
 * Sharpe ratio: (mean(r) − rf_p) / sd(r) × √P with the sample deviation of r; null for fewer than two returns or a
 * flat series.
 */
export function sharpeRatio(returns: readonly number[], periodsPerYear: number, riskFreeRate = 0): number | null {
  if (returns.length < 2) return null;
  const sd = sampleStandardDeviation(returns as number[]);
  if (!(sd > 0)) return null;
  return ((mean(returns as number[]) - perPeriodRate(riskFreeRate, periodsPerYear)) / sd) * Math.sqrt(periodsPerYear);
}

/**
 * Downside deviation below the per-period target: √(Σ min(0, r_i − target)² / n), over ALL n periods (periods above
 * the target count as zero shortfall, as in Sortino & Price), not only the losing ones.
 */
export function downsideDeviation(returns: readonly number[], target = 0): number {
  if (returns.length === 0) return 0;
  let sum = 0;
  for (const r of returns) {
    const shortfall = Math.min(0, r - target);
    sum += shortfall * shortfall;
  }
  return Math.sqrt(sum / returns.length);
}

/** Sortino ratio: (mean(r) − rf_p) / downsideDeviation(r, rf_p) × √P; null without returns or without any shortfall. */
export function sortinoRatio(returns: readonly number[], periodsPerYear: number, riskFreeRate = 0): number | null {
  if (returns.length === 0) return null;
  const target = perPeriodRate(riskFreeRate, periodsPerYear);
  const dd = downsideDeviation(returns, target);
  if (!(dd > 0)) return null;
  return ((mean(returns as number[]) - target) / dd) * Math.sqrt(periodsPerYear);
}

/** Omega ratio at a per-period threshold τ: Σ max(r − τ, 0) / Σ max(τ − r, 0); null when nothing falls below τ. */
export function omegaRatio(returns: readonly number[], threshold = 0): number | null {
  let gains = 0;
  let losses = 0;
  for (const r of returns) {
    if (r > threshold) gains += r - threshold;
    else losses += threshold - r;
  }
  return losses > 0 ? gains / losses : null;
}

/**
 * Tail ratio: |95th percentile| / |5th percentile| of the returns (percentiles by linear interpolation, R type 7):
 * above 1 the right tail is fatter than the left. Null for an empty series or a zero 5th percentile.
 */
export function tailRatio(returns: readonly number[]): number | null {
  if (returns.length === 0) return null;
  const sorted = Float64Array.from(returns).sort();
  const low = quantileType7(sorted, 0.05);
  if (low === 0) return null;
  return Math.abs(quantileType7(sorted, 0.95)) / Math.abs(low);
}

/** One-period historical VaR and CVaR of the returns, as positive loss fractions (risk-management historicalVar). */
export interface ReturnTailRisk {
  var95: number;
  cvar95: number;
  var99: number;
  cvar99: number;
}

/**
 * Historical VaR/CVaR at 95 % and 99 % (k = ⌈n(1 − c)⌉ worst returns; VaR = −k-th worst, CVaR = −mean of the k
 * worst), null without returns.
 */
export function returnTailRisk(returns: readonly number[]): ReturnTailRisk | null {
  if (returns.length === 0) return null;
  const [at95, at99] = historicalVar([...returns], [0.95, 0.99]);
  return { var95: at95.var, cvar95: at95.cvar, var99: at99.var, cvar99: at99.cvar };
}

/** Calmar ratio: CAGR / max drawdown (both fractions); null when either is unknown or there was no drawdown. */
export function calmarRatio(cagr: number | null, maxDrawdown: number): number | null {
  if (cagr === null || !(maxDrawdown > 0)) return null;
  return cagr / maxDrawdown;
}
