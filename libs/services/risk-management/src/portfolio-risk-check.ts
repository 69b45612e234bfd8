import { exceedsLimit, formatPct, reachesLimit, type RuleOutcome } from './pre-trade-rule';
import type { RiskLimits } from './risk-limits';

export interface PortfolioRiskMeasures {
  /** One-period 95 % VaR as a positive loss fraction of equity. */
  var95: number;
  /** Annualised volatility. */
  volatility: number;
  /** Current drawdown from the equity peak, when known. */
  drawdown?: number;
}

export interface PortfolioRiskCheck {
  ok: boolean;
  outcomes: RuleOutcome[];
}

/** The portfolio-level limits: VaR95 <= maxVar95Pct of equity, volatility <= maxVolatility, drawdown < maxDrawdownPct. */
export function checkPortfolioRisk(measures: PortfolioRiskMeasures, limits: RiskLimits): PortfolioRiskCheck {
  const outcomes: RuleOutcome[] = [
    bound(
      'max-var95',
      measures.var95,
      limits.maxVar95Pct,
      false,
      (v, l) => `95% VaR ${formatPct(v)} of equity exceeds the limit ${formatPct(l)}`,
    ),
    bound(
      'max-volatility',
      measures.volatility,
      limits.maxVolatility,
      false,
      (v, l) => `annualised volatility ${formatPct(v)} exceeds the limit ${formatPct(l)}`,
    ),
  ];
  if (measures.drawdown !== undefined) {
    outcomes.push(
      bound(
        'max-drawdown',
        measures.drawdown,
        limits.maxDrawdownPct,
        true,
        (v, l) => `drawdown ${formatPct(v)} reached the limit ${formatPct(l)}`,
      ),
    );
  }
  return { ok: outcomes.every((o) => o.pass), outcomes };
}

function bound(
  rule: string,
  value: number,
  limit: number,
  inclusive: boolean,
  reason: (v: number, l: number) => string,
): RuleOutcome {
  const breached = Number.isNaN(value) || (inclusive ? reachesLimit(value, limit) : exceedsLimit(value, limit));
  return breached
    ? { rule, pass: false, value, limit, reason: reason(value, limit) }
    : { rule, pass: true, value, limit };
}
