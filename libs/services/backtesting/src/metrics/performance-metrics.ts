import { activityMetrics, type ActivityMetrics } from './activity-metrics';
import { drawdownMetrics, type DrawdownMetrics } from './drawdown-metrics';
import { YEAR_MS } from './periods-per-year';
import {
  annualVolatility,
  calmarRatio,
  compoundAnnualGrowthRate,
  omegaRatio,
  perPeriodRate,
  periodReturns,
  returnTailRisk,
  sharpeRatio,
  sortinoRatio,
  tailRatio,
  totalReturn,
} from './return-metrics';
import { tradeMetrics, type ClosedTradeResult, type TradeMetrics } from './trade-metrics';

export interface MetricsOptions {
  /** Return periods per year (see DEFAULT_PERIODS_PER_YEAR). */
  periodsPerYear: number;
  /** Annual risk-free rate as a fraction (0.02 = 2 %); default 0. */
  riskFreeRate?: number;
}

/** Every figure of a run; see the functions each group comes from for the exact definitions. */
export interface PerformanceMetrics extends DrawdownMetrics, TradeMetrics, ActivityMetrics {
  startTs: number | null;
  endTs: number | null;
  /** Calendar years from the first to the last point (365.25-day years). */
  years: number;
  initialEquity: number | null;
  finalEquity: number | null;
  /** Number of return periods (points − 1). */
  periods: number;
  periodsPerYear: number;
  riskFreeRate: number;
  totalReturn: number | null;
  cagr: number | null;
  annualVolatility: number | null;
  sharpe: number | null;
  sortino: number | null;
  calmar: number | null;
  /** Omega at the per-period risk-free rate. */
  omega: number | null;
  tailRatio: number | null;
  var95: number | null;
  cvar95: number | null;
  var99: number | null;
  cvar99: number | null;
  /** Round trips still open at the end (marked to market in the equity, left out of the trade statistics). */
  openTrades: number;
}

export interface PerformanceInput {
  /** The equity curve: one point per distinct bar close, the first at the start of the run. */
  ts: readonly number[];
  equity: readonly number[];
  grossExposure: readonly number[];
  closedTrades: readonly ClosedTradeResult[];
  openTrades: number;
  fills: readonly { notional: number; fee: number }[];
}

export function computePerformanceMetrics(input: PerformanceInput, options: MetricsOptions): PerformanceMetrics {
  const { periodsPerYear } = options;
  const riskFreeRate = options.riskFreeRate ?? 0;
  const { ts, equity } = input;
  const n = equity.length;
  const returns = periodReturns(equity);
  const years = n > 1 ? (ts[n - 1] - ts[0]) / YEAR_MS : 0;
  const cagr = n > 0 ? compoundAnnualGrowthRate(equity[0], equity[n - 1], years) : null;
  const drawdown = drawdownMetrics(ts, equity);
  const tail = returnTailRisk(returns);
  return {
    startTs: n > 0 ? ts[0] : null,
    endTs: n > 0 ? ts[n - 1] : null,
    years,
    initialEquity: n > 0 ? equity[0] : null,
    finalEquity: n > 0 ? equity[n - 1] : null,
    periods: returns.length,
    periodsPerYear,
    riskFreeRate,
    totalReturn: totalReturn(equity),
    cagr,
    annualVolatility: annualVolatility(returns, periodsPerYear),
    sharpe: sharpeRatio(returns, periodsPerYear, riskFreeRate),
    sortino: sortinoRatio(returns, periodsPerYear, riskFreeRate),
    calmar: calmarRatio(cagr, drawdown.maxDrawdown),
    omega: omegaRatio(returns, perPeriodRate(riskFreeRate, periodsPerYear)),
    tailRatio: tailRatio(returns),
    var95: tail?.var95 ?? null,
    cvar95: tail?.cvar95 ?? null,
    var99: tail?.var99 ?? null,
    cvar99: tail?.cvar99 ?? null,
    ...drawdown,
    ...tradeMetrics(input.closedTrades),
    openTrades: input.openTrades,
    ...activityMetrics({ ts, equity, grossExposure: input.grossExposure, fills: input.fills }),
  };
}
