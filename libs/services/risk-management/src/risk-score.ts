import { ValidationError } from '@rrr/core';
import type { RiskLimits } from './risk-limits';

/** The measures the risk score weighs, each against its limit in RiskLimits. */
export interface RiskScoreInputs {
  /** Gross exposure / equity, vs maxLeverage. */
  leverage?: number;
  /** Largest position / equity, vs maxPositionPct. */
  largestPositionPct?: number;
  /** Most concentrated base asset's share, vs maxConcentrationPct. */
  concentrationPct?: number;
  /** Open positions, vs maxOpenPositions. */
  openPositions?: number;
  /** Loss since the start of the risk day (positive = loss), vs dailyLossLimitPct. */
  dailyLossPct?: number;
  /** Current drawdown from the equity peak, vs maxDrawdownPct. */
  drawdownPct?: number;
  /** One-period 95 % VaR / equity, vs maxVar95Pct. */
  var95Pct?: number;
  /** Annualised volatility, vs maxVolatility. */
  volatility?: number;
}

export type RiskScoreMetric = keyof RiskScoreInputs;

const LIMIT_OF: Record<RiskScoreMetric, keyof RiskLimits> = {
  var95Pct: 'maxVar95Pct',
  drawdownPct: 'maxDrawdownPct',
  dailyLossPct: 'dailyLossLimitPct',
  leverage: 'maxLeverage',
  volatility: 'maxVolatility',
  concentrationPct: 'maxConcentrationPct',
  largestPositionPct: 'maxPositionPct',
  openPositions: 'maxOpenPositions',
};

/**
 * Weights of the legacy risk score, summing to 1: the loss measures (VaR, drawdown, daily loss) weigh most, then
 * leverage, then the shape of the book.
 */
export const RISK_SCORE_WEIGHTS: Readonly<Record<RiskScoreMetric, number>> = Object.freeze({
  var95Pct: 0.2,
  drawdownPct: 0.15,
  dailyLossPct: 0.15,
  leverage: 0.15,
  volatility: 0.1,
  concentrationPct: 0.1,
  largestPositionPct: 0.1,
  openPositions: 0.05,
});

export type RiskLevel = 'low' | 'moderate' | 'high' | 'critical';

export interface RiskScoreComponent {
  metric: RiskScoreMetric;
  value: number;
  limit: number;
  /** max(value, 0) / limit: 1 = at the limit. */
  utilisation: number;
  weight: number;
  /** weight × min(utilisation, 1) / Σ weights of the metrics given, × 100: the points this metric adds. */
  points: number;
}

export interface RiskScore {
  /** 0 (nothing used) … 100 (every limit reached), one decimal. */
  score: number;
  level: RiskLevel;
  components: RiskScoreComponent[];
  /** Metrics beyond their limit (loss measures at their limit count as breached). */
  breaches: RiskScoreMetric[];
}

/**
 * score = 100 × Σ wᵢ · min(uᵢ, 1) / Σ wᵢ over the metrics supplied, where uᵢ = max(valueᵢ, 0) / limitᵢ. Utilisation
 * is capped at 1 so one blown limit cannot hide the others; instead any breach lifts the level to at least 'high'.
 * Levels by score: < 40 low, < 70 moderate, < 90 high, otherwise critical.
 */
export function computeRiskScore(inputs: RiskScoreInputs, limits: RiskLimits): RiskScore {
  const supplied = (Object.keys(RISK_SCORE_WEIGHTS) as RiskScoreMetric[]).filter((m) => inputs[m] !== undefined);
  const totalWeight = supplied.reduce((sum, m) => sum + RISK_SCORE_WEIGHTS[m], 0);
  const components: RiskScoreComponent[] = [];
  const breaches: RiskScoreMetric[] = [];
  for (const metric of supplied) {
    const value = inputs[metric] as number;
    if (Number.isNaN(value)) {
      throw new ValidationError('risk score', [{ field: metric, message: 'must be a number', value }]);
    }
    const limit = limits[LIMIT_OF[metric]] as number;
    const utilisation = Math.max(value, 0) / limit;
    const weight = RISK_SCORE_WEIGHTS[metric];
    const isLoss = metric === 'dailyLossPct' || metric === 'drawdownPct';
    if (isLoss ? utilisation >= 1 : utilisation > 1) breaches.push(metric);
    components.push({
      metric,
      value,
      limit,
      utilisation,
      weight,
      points: (100 * weight * Math.min(utilisation, 1)) / totalWeight,
    });
  }
  const raw = components.reduce((sum, c) => sum + c.points, 0);
  const score = Math.round(raw * 10) / 10;
  let level: RiskLevel = score < 40 ? 'low' : score < 70 ? 'moderate' : score < 90 ? 'high' : 'critical';
  if (breaches.length > 0 && (level === 'low' || level === 'moderate')) level = 'high';
  return { score, level, components, breaches };
}
