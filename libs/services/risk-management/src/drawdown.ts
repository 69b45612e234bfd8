import { ValidationError } from '@rrr/core';
import { checkReturnSeries, type ReturnSeries } from './return-series';

function checkEquity(equity: readonly number[]): void {
  equity.forEach((e, i) => {
    if (!(e > 0) || !Number.isFinite(e)) {
      throw new ValidationError('drawdown', [
        { field: `equity[${i}]`, message: 'must be a finite value > 0', value: e },
      ]);
    }
  });
}

/** Wealth after each return, starting from `start`: length returns.length + 1. */
export function equityCurveFromReturns(returns: ReturnSeries, start = 1): number[] {
  checkReturnSeries('equity curve', 'returns', returns, 0);
  const curve = [start];
  for (const r of returns) curve.push(curve[curve.length - 1] * (1 + r));
  return curve;
}

/** (running peak − equity) / running peak at each point: 0 at a new high, 0.2 when 20 % below the best so far. */
export function drawdownSeries(equity: readonly number[]): number[] {
  checkEquity(equity);
  let peak = Number.NEGATIVE_INFINITY;
  return equity.map((e) => {
    if (e > peak) peak = e;
    return (peak - e) / peak;
  });
}

export interface MaxDrawdown {
  /** Largest drawdown as a positive fraction of the peak (0 for a curve that never falls). */
  maxDrawdown: number;
  peakIndex: number;
  troughIndex: number;
  /** First index at or above the peak after the trough; null when it has not recovered. */
  recoveryIndex: number | null;
}

export function maxDrawdown(equity: readonly number[]): MaxDrawdown {
  const dd = drawdownSeries(equity);
  let troughIndex = 0;
  for (let i = 1; i < dd.length; i += 1) if (dd[i] > dd[troughIndex]) troughIndex = i;
  let peakIndex = troughIndex;
  while (peakIndex > 0 && dd[peakIndex] !== 0) peakIndex -= 1;
  let recoveryIndex: number | null = null;
  if (dd[troughIndex] > 0) {
    for (let i = troughIndex + 1; i < equity.length; i += 1) {
      if (equity[i] >= equity[peakIndex]) {
        recoveryIndex = i;
        break;
      }
    }
  }
  return { maxDrawdown: dd.length === 0 ? 0 : dd[troughIndex], peakIndex, troughIndex, recoveryIndex };
}
