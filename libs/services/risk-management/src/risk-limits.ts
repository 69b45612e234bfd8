import { ConfigError, type FieldProblem } from '@rrr/core';

/**
 * The risk section of the platform configuration, field for field (`PlatformConfig['risk']` is assignable to it), so
 * the platform passes `config.risk` straight in. Fractions are of equity unless said otherwise.
 */
export interface RiskLimits {
  /** Largest projected position in one symbol, as a fraction of equity. */
  maxPositionPct: number;
  /** Most symbols with an open position (or a pending order that opens one). */
  maxOpenPositions: number;
  /** Loss since the start of the risk day that halts new exposure. */
  dailyLossLimitPct: number;
  /** Loss since the start of the risk day that raises a warning. */
  dailyLossWarnPct: number;
  /** Loss since Monday 00:00 UTC that halts new exposure. */
  weeklyLossLimitPct: number;
  /** Loss since the 1st of the month 00:00 UTC that halts new exposure. */
  monthlyLossLimitPct: number;
  /** Decline from the equity peak counted against the risk score and portfolio checks. */
  maxDrawdownPct: number;
  /** Gross exposure / equity. */
  maxLeverage: number;
  /** A base asset's share of max(gross exposure, equity). */
  maxConcentrationPct: number;
  /** One-period 95 % VaR as a fraction of equity. */
  maxVar95Pct: number;
  /** Annualised volatility of the portfolio (not a fraction of 1: crypto routinely exceeds 100 %). */
  maxVolatility: number;
  /** Fat-finger guard: largest notional of one order, in the account currency. */
  maxOrderNotional: number;
  /** A measured value above this multiple of its limit makes an alert CRITICAL. */
  criticalMultiplier: number;
  /** Quiet period per alert key after an alert is published. */
  alertCooldownMs: number;
  /** UTC time of day `HH:MM` at which the risk day starts and a daily-loss halt resets. */
  circuitBreakerResetUtc: string;
}

/** The legacy system's documented parameters (DESIGN.md), identical to the platform configuration defaults. */
export const DEFAULT_RISK_LIMITS: Readonly<RiskLimits> = Object.freeze({
  maxPositionPct: 0.2,
  maxOpenPositions: 10,
  dailyLossLimitPct: 0.05,
  dailyLossWarnPct: 0.03,
  weeklyLossLimitPct: 0.1,
  monthlyLossLimitPct: 0.2,
  maxDrawdownPct: 0.15,
  maxLeverage: 2,
  maxConcentrationPct: 0.3,
  maxVar95Pct: 0.1,
  maxVolatility: 0.25,
  maxOrderNotional: 1_000_000,
  criticalMultiplier: 1.5,
  alertCooldownMs: 15 * 60_000,
  circuitBreakerResetUtc: '00:00',
});

const FRACTION_KEYS = [
  'maxPositionPct',
  'dailyLossLimitPct',
  'dailyLossWarnPct',
  'weeklyLossLimitPct',
  'monthlyLossLimitPct',
  'maxDrawdownPct',
  'maxConcentrationPct',
  'maxVar95Pct',
] as const satisfies readonly (keyof RiskLimits)[];

const POSITIVE_KEYS = [
  'maxLeverage',
  'maxVolatility',
  'maxOrderNotional',
] as const satisfies readonly (keyof RiskLimits)[];

export const UTC_TIME_OF_DAY_PATTERN = /^([01]\d|2[0-3]):([0-5]\d)$/;

/**
 * The defaults overlaid with `overrides`, checked: a library used without the platform's config loader must still
 * refuse a limit that would silently disable a check (NaN compares false against everything).
 */
export function resolveRiskLimits(overrides: Partial<RiskLimits> = {}): RiskLimits {
  const limits: RiskLimits = { ...DEFAULT_RISK_LIMITS, ...definedOnly(overrides) };
  const problems: FieldProblem[] = [];
  const report = (key: keyof RiskLimits, message: string): void => {
    problems.push({ field: `risk.${key}`, message, value: limits[key] });
  };
  for (const key of FRACTION_KEYS) {
    const v = limits[key];
    if (typeof v !== 'number' || !(v > 0 && v <= 1)) report(key, 'must be a fraction in (0, 1]');
  }
  for (const key of POSITIVE_KEYS) {
    const v = limits[key];
    if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) report(key, 'must be a finite number > 0');
  }
  if (!Number.isInteger(limits.maxOpenPositions) || limits.maxOpenPositions < 1) {
    report('maxOpenPositions', 'must be an integer >= 1');
  }
  if (typeof limits.criticalMultiplier !== 'number' || !(limits.criticalMultiplier > 1)) {
    report('criticalMultiplier', 'must be a number > 1');
  }
  if (!Number.isInteger(limits.alertCooldownMs) || limits.alertCooldownMs < 0) {
    report('alertCooldownMs', 'must be an integer number of milliseconds >= 0');
  }
  if (
    typeof limits.circuitBreakerResetUtc !== 'string' ||
    !UTC_TIME_OF_DAY_PATTERN.test(limits.circuitBreakerResetUtc)
  ) {
    report('circuitBreakerResetUtc', 'must be a UTC time of day HH:MM, e.g. "00:00"');
  }
  if (problems.length === 0) {
    if (limits.dailyLossWarnPct > limits.dailyLossLimitPct) {
      report('dailyLossWarnPct', `must be <= dailyLossLimitPct = ${limits.dailyLossLimitPct}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, 'risk limits');
  return limits;
}

function definedOnly(overrides: Partial<RiskLimits>): Partial<RiskLimits> {
  const out: Partial<RiskLimits> = {};
  for (const [key, value] of Object.entries(overrides)) {
    if (value !== undefined) (out as Record<string, unknown>)[key] = value;
  }
  return out;
}
