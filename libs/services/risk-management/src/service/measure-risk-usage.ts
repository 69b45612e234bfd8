import { measureExposure } from '../exposure-summary';
import type { PeriodLosses } from '../period-losses';
import type { RiskLimits } from '../risk-limits';
import { computeRiskScore, type RiskScore } from '../risk-score';
import type { RiskPosition } from '../risk-snapshot';

/** One limit and how much of it the book uses now. */
export interface RiskLimitUsage {
  rule: string;
  /** The RiskLimits key the limit comes from. */
  limitKey: keyof RiskLimits;
  value: number;
  limit: number;
  /** max(value, 0) / limit: 1 = at the limit. */
  utilisation: number;
  /** Level from which an alert is raised, when it differs from the limit (the daily-loss warning level). */
  warnAt?: number;
  /** The symbol or base asset the value is about (largest position, most concentrated asset). */
  symbol?: string;
}

export interface RiskUsage {
  ts: number;
  equity: number;
  items: RiskLimitUsage[];
  score: RiskScore;
}

export interface RiskUsageInput {
  now: number;
  equity: number;
  peakEquity: number;
  positions: readonly RiskPosition[];
  marks: Readonly<Record<string, number>>;
  losses: PeriodLosses;
  /** One-period 95 % VaR as a loss fraction, when the history allows an estimate. */
  var95: number | null;
}

/**
 * Every limit the book can be measured against between orders (the per-order notional cap cannot), with its
 * utilisation, and the risk score over the same measures.
 */
export function measureRiskUsage(input: RiskUsageInput, limits: RiskLimits): RiskUsage {
  const exposure = measureExposure({ equity: input.equity, positions: input.positions, marks: input.marks });
  const drawdown = input.peakEquity > 0 ? Math.max(0, (input.peakEquity - input.equity) / input.peakEquity) : 0;
  const items: RiskLimitUsage[] = [];
  const add = (usage: Omit<RiskLimitUsage, 'utilisation'>): void => {
    items.push({ ...usage, utilisation: Math.max(usage.value, 0) / usage.limit });
  };
  add({
    rule: 'max-position',
    limitKey: 'maxPositionPct',
    value: exposure.largestPosition?.pctOfEquity ?? 0,
    limit: limits.maxPositionPct,
    ...(exposure.largestPosition === null ? {} : { symbol: exposure.largestPosition.symbol }),
  });
  add({
    rule: 'max-open-positions',
    limitKey: 'maxOpenPositions',
    value: exposure.openPositions,
    limit: limits.maxOpenPositions,
  });
  add({ rule: 'max-leverage', limitKey: 'maxLeverage', value: exposure.leverage, limit: limits.maxLeverage });
  add({
    rule: 'max-concentration',
    limitKey: 'maxConcentrationPct',
    value: exposure.concentration?.pct ?? 0,
    limit: limits.maxConcentrationPct,
    ...(exposure.concentration === null ? {} : { symbol: exposure.concentration.base }),
  });
  add({
    rule: 'daily-loss-limit',
    limitKey: 'dailyLossLimitPct',
    value: input.losses.day.lossPct,
    limit: limits.dailyLossLimitPct,
    warnAt: limits.dailyLossWarnPct,
  });
  add({
    rule: 'weekly-loss-limit',
    limitKey: 'weeklyLossLimitPct',
    value: input.losses.week.lossPct,
    limit: limits.weeklyLossLimitPct,
  });
  add({
    rule: 'monthly-loss-limit',
    limitKey: 'monthlyLossLimitPct',
    value: input.losses.month.lossPct,
    limit: limits.monthlyLossLimitPct,
  });
  add({ rule: 'max-drawdown', limitKey: 'maxDrawdownPct', value: drawdown, limit: limits.maxDrawdownPct });
  if (input.var95 !== null)
    add({ rule: 'max-var95', limitKey: 'maxVar95Pct', value: input.var95, limit: limits.maxVar95Pct });
  const score = computeRiskScore(
    {
      leverage: exposure.leverage,
      largestPositionPct: exposure.largestPosition?.pctOfEquity ?? 0,
      concentrationPct: exposure.concentration?.pct ?? 0,
      openPositions: exposure.openPositions,
      dailyLossPct: input.losses.day.lossPct,
      drawdownPct: drawdown,
      ...(input.var95 === null ? {} : { var95Pct: input.var95 }),
    },
    limits,
  );
  return { ts: input.now, equity: input.equity, items, score };
}
