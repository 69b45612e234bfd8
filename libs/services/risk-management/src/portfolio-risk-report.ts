import { drawdownSeries, equityCurveFromReturns, maxDrawdown, type MaxDrawdown } from './drawdown';
import { checkPortfolioRisk, type PortfolioRiskCheck } from './portfolio-risk-check';
import { portfolioReturns, type ReturnMatrix, type ReturnSeries } from './return-series';
import { annualisedVolatility, beta, correlationMatrix, TRADING_DAYS_PER_YEAR } from './risk-statistics';
import { resolveRiskLimits, type RiskLimits } from './risk-limits';
import { portfolioVar, type VarMethod, type VarReport } from './value-at-risk';

export interface PortfolioRiskInput {
  /** `returns[asset][t]`, aligned in time, oldest first. */
  returns: ReturnMatrix;
  /** Weight of each asset as a fraction of equity (negative for shorts). */
  weights: readonly number[];
  /** Seed of the Monte Carlo VaR. */
  seed: number;
  /** Monte Carlo scenarios (default 10 000). */
  scenarios?: number;
  /** Benchmark returns over the same periods, for beta. */
  benchmark?: ReturnSeries;
  periodsPerYear?: number;
  /** VaR method the VaR95 limit is checked against (default historical). */
  checkMethod?: VarMethod;
  limits?: Partial<RiskLimits>;
}

export interface PortfolioRiskReport {
  var: Record<VarMethod, VarReport>;
  /** Annualised volatility of the portfolio returns. */
  volatility: number;
  beta: number | null;
  correlation: number[][];
  /** Over the equity curve rebuilt from the portfolio returns. */
  drawdown: MaxDrawdown;
  currentDrawdown: number;
  check: PortfolioRiskCheck;
}

/** Everything portfolio-level in one call: VaR/CVaR by the three methods, volatility, beta, correlations, drawdown, limits. */
export function assessPortfolioRisk(input: PortfolioRiskInput): PortfolioRiskReport {
  const limits = resolveRiskLimits(input.limits);
  const series = portfolioReturns(input.returns, input.weights);
  const vars = portfolioVar(
    { returns: input.returns, weights: input.weights },
    { seed: input.seed, scenarios: input.scenarios },
  );
  const volatility = annualisedVolatility(series, input.periodsPerYear ?? TRADING_DAYS_PER_YEAR);
  const curve = equityCurveFromReturns(series);
  const dd = drawdownSeries(curve);
  const currentDrawdown = dd[dd.length - 1];
  const var95 = vars[input.checkMethod ?? 'historical'].estimates.find((e) => e.confidence === 0.95)?.var ?? Number.NaN;
  return {
    var: vars,
    volatility,
    beta: input.benchmark === undefined ? null : beta(series, input.benchmark),
    correlation: correlationMatrix(input.returns),
    drawdown: maxDrawdown(curve),
    currentDrawdown,
    check: checkPortfolioRisk({ var95, volatility, drawdown: currentDrawdown }, limits),
  };
}
