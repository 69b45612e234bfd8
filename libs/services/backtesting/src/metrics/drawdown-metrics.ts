import { drawdownSeries, maxDrawdown } from '@rrr/risk-management';

/**
 * Drawdown of an equity curve sampled at `ts`. Drawdown at a point is (running peak − equity) / running peak
 * (risk-management drawdownSeries). An underwater spell runs from the last point at the peak to the first point back
 * at or above it (its recovery), or to the last point when equity never recovered.
 */
export interface DrawdownMetrics {
  /** Largest drawdown, a fraction of the peak (0.25 = 25 % below the best equity so far). */
  maxDrawdown: number;
  maxDrawdownPeakTs: number | null;
  maxDrawdownTroughTs: number | null;
  /** When equity first got back to the peak of the max drawdown; null if it never did. */
  maxDrawdownRecoveryTs: number | null;
  /** Length of the max drawdown's spell, peak to recovery (or to the last point). */
  maxDrawdownDurationMs: number;
  maxDrawdownDurationBars: number;
  /** Longest underwater spell of the curve, whatever its depth. */
  longestDrawdownMs: number;
  longestDrawdownBars: number;
  /** Share of the curve's points that lie below the running peak, in [0, 1]. */
  timeUnderWater: number;
}

/**
 * Drawdown figures of an equity curve. Equity at or below zero is floored to the smallest positive number, so a
 * ruined account shows a drawdown of (almost exactly) 100 % instead of failing the positive-equity check.
 */
export function drawdownMetrics(ts: readonly number[], equity: readonly number[]): DrawdownMetrics {
  const n = equity.length;
  if (n === 0) {
    return {
      maxDrawdown: 0,
      maxDrawdownPeakTs: null,
      maxDrawdownTroughTs: null,
      maxDrawdownRecoveryTs: null,
      maxDrawdownDurationMs: 0,
      maxDrawdownDurationBars: 0,
      longestDrawdownMs: 0,
      longestDrawdownBars: 0,
      timeUnderWater: 0,
    };
  }
  const positive = equity.map((e) => (e > 0 ? e : Number.MIN_VALUE));
  const dd = drawdownSeries(positive);
  const worst = maxDrawdown(positive);
  const deep = worst.maxDrawdown > 0;
  const spellEnd = worst.recoveryIndex ?? n - 1;

  let underwater = 0;
  let longestBars = 0;
  let longestMs = 0;
  let peak = 0;
  for (let i = 0; i < n; i += 1) {
    if (dd[i] > 0) {
      underwater += 1;
      if (i === n - 1) [longestBars, longestMs] = longer(longestBars, longestMs, i - peak, ts[i] - ts[peak]);
    } else {
      if (i > 0 && dd[i - 1] > 0) [longestBars, longestMs] = longer(longestBars, longestMs, i - peak, ts[i] - ts[peak]);
      peak = i;
    }
  }
  return {
    maxDrawdown: worst.maxDrawdown,
    maxDrawdownPeakTs: deep ? ts[worst.peakIndex] : null,
    maxDrawdownTroughTs: deep ? ts[worst.troughIndex] : null,
    maxDrawdownRecoveryTs: deep && worst.recoveryIndex !== null ? ts[worst.recoveryIndex] : null,
    maxDrawdownDurationMs: deep ? ts[spellEnd] - ts[worst.peakIndex] : 0,
    maxDrawdownDurationBars: deep ? spellEnd - worst.peakIndex : 0,
    longestDrawdownMs: longestMs,
    longestDrawdownBars: longestBars,
    timeUnderWater: underwater / n,
  };
}

function longer(bars: number, ms: number, candidateBars: number, candidateMs: number): [number, number] {
  return candidateBars > bars ? [candidateBars, candidateMs] : [bars, ms];
}
