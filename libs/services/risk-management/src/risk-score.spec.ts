import { DEFAULT_RISK_LIMITS } from './risk-limits';
import { computeRiskScore, RISK_SCORE_WEIGHTS } from './risk-score';

describe('computeRiskScore', () => {
  it('has weights that sum to 1', () => {
    expect(Object.values(RISK_SCORE_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('is 50 when every limit is half used', () => {
    const r = computeRiskScore(
      {
        var95Pct: 0.05,
        drawdownPct: 0.075,
        dailyLossPct: 0.025,
        leverage: 1,
        volatility: 0.125,
        concentrationPct: 0.15,
        largestPositionPct: 0.1,
        openPositions: 5,
      },
      DEFAULT_RISK_LIMITS,
    );
    expect(r.score).toBe(50);
    expect(r.level).toBe('moderate');
    expect(r.breaches).toEqual([]);
    expect(r.components.find((c) => c.metric === 'var95Pct')).toEqual({
      metric: 'var95Pct',
      value: 0.05,
      limit: 0.1,
      utilisation: 0.5,
      weight: 0.2,
      points: 10,
    });
  });

  it('weighs hand-computed utilisations: VaR 8 % (0.8 × 0.2), leverage 0.5 (0.25 × 0.15), the rest idle', () => {
    const r = computeRiskScore(
      {
        var95Pct: 0.08,
        leverage: 0.5,
        drawdownPct: 0,
        dailyLossPct: -0.01,
        volatility: 0,
        concentrationPct: 0,
        largestPositionPct: 0,
        openPositions: 0,
      },
      DEFAULT_RISK_LIMITS,
    );
    // 100 × (0.16 + 0.0375) = 19.75 → 19.8; a gain counts as no loss.
    expect(r.score).toBe(19.8);
    expect(r.level).toBe('low');
  });

  it('renormalises over the metrics given and lifts any breach to at least high', () => {
    // Daily loss at its limit (1.0 × 0.15) and no leverage: 100 × 0.15 / 0.30 = 50.
    const r = computeRiskScore({ dailyLossPct: 0.05, leverage: 0 }, DEFAULT_RISK_LIMITS);
    expect(r.score).toBe(50);
    expect(r.breaches).toEqual(['dailyLossPct']);
    expect(r.level).toBe('high');
  });

  it('caps utilisation at 1 and reaches 100 / critical when everything is at or beyond its limit', () => {
    const r = computeRiskScore({ leverage: 6, var95Pct: 0.1 }, DEFAULT_RISK_LIMITS);
    expect(r.score).toBe(100);
    expect(r.level).toBe('critical');
    expect(r.breaches).toEqual(['leverage']);
  });
});
