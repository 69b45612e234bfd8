import { activityMetrics } from './activity-metrics';
import { drawdownMetrics } from './drawdown-metrics';
import { computePerformanceMetrics } from './performance-metrics';
import { DEFAULT_PERIODS_PER_YEAR, periodsPerYearFor, YEAR_MS } from './periods-per-year';
import { percentiles, quantileType7 } from './quantile';
import {
  annualVolatility,
  calmarRatio,
  compoundAnnualGrowthRate,
  downsideDeviation,
  omegaRatio,
  perPeriodRate,
  periodReturns,
  returnTailRisk,
  sharpeRatio,
  sortinoRatio,
  tailRatio,
  totalReturn,
} from './return-metrics';
import { tradeMetrics } from './trade-metrics';

const DAY = 86_400_000;

/*
 * The worked example used throughout: equity 100 → 110 → 99 → 108.9 → 108.9, i.e. returns +10 %, −10 %, +10 %, 0.
 *   mean = 0.1 / 4 = 0.025
 *   deviations 0.075, −0.125, 0.075, −0.025; Σ squares = 0.0275; sample variance = 0.0275 / 3; sd = 0.0957427108
 *   with P = 4 periods a year: √P = 2
 */
const equity = [100, 110, 99, 108.9, 108.9];
const returns = [0.1, -0.1, 0.1, 0];
const SD = Math.sqrt(0.0275 / 3);

describe('return metrics on a hand-computed series', () => {
  it('period and total returns', () => {
    const r = periodReturns(equity);
    r.forEach((value, i) => expect(value).toBeCloseTo(returns[i], 12));
    expect(totalReturn(equity)).toBeCloseTo(0.089, 12);
    expect(periodReturns([100, 0, 50])).toEqual([-1, 0]);
    expect(totalReturn([])).toBeNull();
  });

  it('CAGR: 100 → 121 over two years is 10 % a year; −100 % once equity is gone', () => {
    expect(compoundAnnualGrowthRate(100, 121, 2)).toBeCloseTo(0.1, 12);
    expect(compoundAnnualGrowthRate(100, 50, 1)).toBeCloseTo(-0.5, 12);
    expect(compoundAnnualGrowthRate(100, -5, 1)).toBe(-1);
    expect(compoundAnnualGrowthRate(100, 121, 0)).toBeNull();
  });

  it('annualised volatility uses the sample deviation: 0.0957427 × √4 = 0.1914854', () => {
    expect(SD).toBeCloseTo(0.0957427108, 9);
    expect(annualVolatility(returns, 4)).toBeCloseTo(0.1914854216, 9);
    expect(annualVolatility([0.1], 4)).toBeNull();
  });

  it('Sharpe: mean / sd × √P = 0.025 / 0.0957427 × 2 = 0.522233; with rf the per-period rate is geometric', () => {
    expect(sharpeRatio(returns, 4)).toBeCloseTo(0.5222329679, 9);
    // rf = 1.01⁴ − 1 a year is exactly 1 % a period: (0.025 − 0.01) / 0.0957427 × 2 = 0.313340.
    expect(perPeriodRate(1.01 ** 4 - 1, 4)).toBeCloseTo(0.01, 14);
    expect(sharpeRatio(returns, 4, 1.01 ** 4 - 1)).toBeCloseTo(0.3133397807, 9);
    expect(sharpeRatio([0.01, 0.01, 0.01], 4)).toBeNull();
  });

  it('Sortino: downside deviation over all periods √(0.1² / 4) = 0.05, so 0.025 / 0.05 × 2 = 1', () => {
    expect(downsideDeviation(returns)).toBeCloseTo(0.05, 14);
    expect(sortinoRatio(returns, 4)).toBeCloseTo(1, 12);
    // Target 1 %: shortfalls −0.11 and −0.01 → √(0.0122 / 4) = 0.0552268; (0.015 / 0.0552268) × 2 = 0.543214.
    expect(sortinoRatio(returns, 4, 1.01 ** 4 - 1)).toBeCloseTo((0.015 / Math.sqrt(0.0122 / 4)) * 2, 9);
    expect(sortinoRatio([0.01, 0.02], 4)).toBeNull();
  });

  it('Omega: gains 0.2 over losses 0.1 = 2 at τ = 0; 0.18 / 0.12 = 1.5 at τ = 1 %', () => {
    expect(omegaRatio(returns, 0)).toBeCloseTo(2, 12);
    expect(omegaRatio(returns, 0.01)).toBeCloseTo(1.5, 12);
    expect(omegaRatio([0.01, 0.02], 0)).toBeNull();
  });

  it('tail ratio: sorted −0.1, 0, 0.1, 0.1 → q95 = 0.1, q05 = −0.1 + 0.15 × 0.1 = −0.085 → 1.176471', () => {
    expect(quantileType7([-0.1, 0, 0.1, 0.1], 0.05)).toBeCloseTo(-0.085, 14);
    expect(quantileType7([-0.1, 0, 0.1, 0.1], 0.95)).toBeCloseTo(0.1, 14);
    expect(tailRatio(returns)).toBeCloseTo(0.1 / 0.085, 12);
    expect(percentiles([5, 1, 3], [0, 50, 100])).toEqual({ p0: 1, p50: 3, p100: 5 });
  });

  it('VaR/CVaR of returns: with 4 returns the tail is the single worst one (k = ⌈4 × 0.05⌉ = 1)', () => {
    expect(returnTailRisk(returns)).toEqual({ var95: 0.1, cvar95: 0.1, var99: 0.1, cvar99: 0.1 });
    // 40 returns: k = 2 at 95 % (VaR the 2nd worst, CVaR the mean of both), k = 1 at 99 %.
    const forty = [...Array(38).fill(0.01), -0.05, -0.03];
    expect(returnTailRisk(forty)).toEqual({ var95: 0.03, cvar95: 0.04, var99: 0.05, cvar99: 0.05 });
  });

  it('Calmar = CAGR / max drawdown, null without a drawdown', () => {
    expect(calmarRatio(0.1, 0.25)).toBeCloseTo(0.4, 12);
    expect(calmarRatio(0.1, 0)).toBeNull();
    expect(calmarRatio(null, 0.2)).toBeNull();
  });
});

describe('drawdown metrics', () => {
  // dd: 0, 0, 0.25, 0.2, 0, 0, 0.1 → max 25 % from day 1 to day 2, recovered on day 4.
  const ts = [0, 1, 2, 3, 4, 5, 6].map((d) => d * DAY);
  const curve = [100, 120, 90, 96, 120, 130, 117];

  it('finds depth, peak, trough, recovery and the spell lengths', () => {
    expect(drawdownMetrics(ts, curve)).toEqual({
      maxDrawdown: 0.25,
      maxDrawdownPeakTs: DAY,
      maxDrawdownTroughTs: 2 * DAY,
      maxDrawdownRecoveryTs: 4 * DAY,
      maxDrawdownDurationMs: 3 * DAY,
      maxDrawdownDurationBars: 3,
      longestDrawdownMs: 3 * DAY,
      longestDrawdownBars: 3,
      timeUnderWater: 3 / 7,
    });
  });

  it('runs an unrecovered drawdown to the last point, and the longest spell need not be the deepest', () => {
    const m = drawdownMetrics([0, DAY, 2 * DAY], [100, 80, 90]);
    expect(m).toMatchObject({ maxDrawdown: 0.2, maxDrawdownRecoveryTs: null, maxDrawdownDurationBars: 2 });
    const long = drawdownMetrics(
      [0, 1, 2, 3, 4, 5, 6].map((d) => d * DAY),
      [100, 99, 98, 97, 100, 60, 100],
    );
    expect(long).toMatchObject({ maxDrawdown: 0.4, maxDrawdownDurationBars: 2, longestDrawdownBars: 4 });
    expect(long.timeUnderWater).toBeCloseTo(4 / 7, 12);
  });

  it('reports a ruined account as a 100 % drawdown instead of failing', () => {
    expect(drawdownMetrics([0, DAY], [100, -5]).maxDrawdown).toBeCloseTo(1, 12);
    expect(drawdownMetrics([], []).maxDrawdown).toBe(0);
  });
});

describe('trade metrics over closed round trips', () => {
  // P&L 100, −50, 200, 0, −25, −25 on entry notionals of 1,000 each.
  const pnls = [100, -50, 200, 0, -25, -25];
  const trades = pnls.map((pnl, i) => ({
    pnl,
    returnFraction: pnl / 1_000,
    entryTs: i * 10 * DAY,
    exitTs: i * 10 * DAY + (i + 1) * DAY,
  }));

  it('counts wins over closed trades and sums the two sides', () => {
    const m = tradeMetrics(trades);
    expect(m).toMatchObject({ closedTrades: 6, winningTrades: 2, losingTrades: 3 });
    expect(m.winRate).toBeCloseTo(2 / 6, 12);
    expect(m.profitFactor).toBeCloseTo(300 / 100, 12);
    expect(m.expectancy).toBeCloseTo(200 / 6, 12);
    expect(m.expectancyReturn).toBeCloseTo(0.2 / 6, 12);
    expect(m.averageWin).toBeCloseTo(150, 12);
    expect(m.averageLoss).toBeCloseTo(-100 / 3, 12);
    expect(m.payoffRatio).toBeCloseTo(4.5, 12);
    expect([m.bestTrade, m.worstTrade, m.bestTradeReturn, m.worstTradeReturn]).toEqual([200, -50, 0.2, -0.05]);
    expect([m.maxConsecutiveWins, m.maxConsecutiveLosses]).toEqual([1, 2]);
    expect(m.averageHoldingMs).toBeCloseTo(3.5 * DAY, 6);
  });

  it('SQN = √N × mean(R) / sd(R): √6 × 0.033333 / 0.0970395 = 0.841400', () => {
    // R = 0.1, −0.05, 0.2, 0, −0.025, −0.025; Σ (R − mean)² = 0.0470833; sample sd = √(0.0470833 / 5).
    expect(tradeMetrics(trades).sqn).toBeCloseTo((Math.sqrt(6) * (0.2 / 6)) / Math.sqrt(0.04708333333333 / 5), 9);
    expect(tradeMetrics(trades).sqn).toBeCloseTo(0.8414, 4);
  });

  it('is null where a ratio is undefined', () => {
    const none = tradeMetrics([]);
    expect([none.winRate, none.profitFactor, none.expectancy, none.sqn, none.bestTrade]).toEqual([
      null,
      null,
      null,
      null,
      null,
    ]);
    const allWins = tradeMetrics(trades.filter((t) => t.pnl > 0));
    expect([allWins.profitFactor, allWins.averageLoss, allWins.payoffRatio]).toEqual([null, null, null]);
  });
});

describe('activity metrics', () => {
  it('exposure, turnover and fees', () => {
    const m = activityMetrics({
      ts: [0, DAY, 2 * DAY, 3 * DAY],
      equity: [100, 100, 110, 110],
      grossExposure: [0, 50, 55, 0],
      fills: [
        { notional: 50, fee: 0.05 },
        { notional: -55, fee: 0.055 },
      ],
    });
    expect(m.exposure).toBe(0.5);
    expect(m.averageGrossExposure).toBeCloseTo(0.25, 12);
    // 105 traded over a mean equity of 105, over 3 days.
    expect(m.turnover).toBeCloseTo(1, 12);
    expect(m.annualTurnover).toBeCloseTo(YEAR_MS / (3 * DAY), 9);
    expect(m.feesPaid).toBeCloseTo(0.105, 12);
    expect(m.fills).toBe(2);
  });
});

describe('computePerformanceMetrics', () => {
  it('assembles every group from one curve', () => {
    const ts = equity.map((_, i) => i * (YEAR_MS / 4));
    const m = computePerformanceMetrics(
      {
        ts,
        equity,
        grossExposure: [0, 110, 99, 0, 0],
        closedTrades: [{ pnl: 8.9, returnFraction: 0.089, entryTs: 0, exitTs: ts[3] }],
        openTrades: 0,
        fills: [],
      },
      { periodsPerYear: 4 },
    );
    expect(m.years).toBeCloseTo(1, 12);
    expect(m.cagr).toBeCloseTo(0.089, 12);
    expect(m.sharpe).toBeCloseTo(0.5222329679, 9);
    expect(m.sortino).toBeCloseTo(1, 12);
    expect(m.maxDrawdown).toBeCloseTo(0.1, 12);
    expect(m.calmar).toBeCloseTo(0.89, 9);
    expect(m.exposure).toBeCloseTo(0.4, 12);
    expect(m.winRate).toBe(1);
    expect(m.periods).toBe(4);
    expect(JSON.parse(JSON.stringify(m))).toEqual(m);
  });
});

describe('periods per year', () => {
  it('252 for daily bars, 24/7 for intraday, or the override', () => {
    expect(periodsPerYearFor('1d')).toBe(252);
    expect(periodsPerYearFor('1h')).toBe(8_760);
    expect(DEFAULT_PERIODS_PER_YEAR['5m']).toBe(105_120);
    expect(periodsPerYearFor('1d', 365)).toBe(365);
    expect(() => periodsPerYearFor('1d', 0)).toThrow('periodsPerYear');
  });
});
