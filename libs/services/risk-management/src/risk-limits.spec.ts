import { ConfigError, defaultPlatformConfig } from '@rrr/core';
import { DEFAULT_RISK_LIMITS, resolveRiskLimits, type RiskLimits } from './risk-limits';

describe('RiskLimits', () => {
  it('matches the platform configuration risk section name for name and default for default', () => {
    const fromConfig: RiskLimits = defaultPlatformConfig().risk;
    expect(fromConfig).toEqual(DEFAULT_RISK_LIMITS);
  });

  it('keeps the legacy parameters', () => {
    expect(DEFAULT_RISK_LIMITS).toMatchObject({
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
      criticalMultiplier: 1.5,
      alertCooldownMs: 900_000,
      circuitBreakerResetUtc: '00:00',
    });
  });

  it('overlays overrides and ignores undefined ones', () => {
    const limits = resolveRiskLimits({ maxLeverage: 3, maxPositionPct: undefined });
    expect(limits.maxLeverage).toBe(3);
    expect(limits.maxPositionPct).toBe(0.2);
  });

  it('refuses limits that would silently disable a check, naming each key', () => {
    let error: unknown;
    try {
      resolveRiskLimits({ maxPositionPct: Number.NaN, maxOpenPositions: 2.5, circuitBreakerResetUtc: '24:00' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const fields = (error as ConfigError).problems.map((p) => p.field);
    expect(fields).toEqual(['risk.maxPositionPct', 'risk.maxOpenPositions', 'risk.circuitBreakerResetUtc']);
  });

  it('refuses a warning level above the daily limit', () => {
    expect(() => resolveRiskLimits({ dailyLossWarnPct: 0.06 })).toThrow(
      /risk\.dailyLossWarnPct: must be <= dailyLossLimitPct = 0.05/,
    );
  });
});
