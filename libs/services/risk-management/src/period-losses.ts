import { ValidationError } from '@rrr/core';
import { riskPeriodStarts, type RiskPeriodStarts } from './risk-period';

/** Account equity at an instant (epoch ms UTC). */
export interface EquityPoint {
  ts: number;
  equity: number;
}

export type LossPeriod = 'day' | 'week' | 'month';

export interface PeriodLoss {
  period: LossPeriod;
  periodStart: number;
  /** Equity the loss is measured from (see {@link measurePeriodLosses}). */
  startEquity: number;
  /** (startEquity − equity) / startEquity: positive for a loss, negative for a gain. */
  lossPct: number;
}

export type PeriodLosses = Readonly<Record<LossPeriod, PeriodLoss>>;

/**
 * Loss of the current day, week and month. The start equity of a period is the last history point at or before the
 * period start (the book as it stood when the period opened); without one, the first point inside the period; with
 * neither, the current equity (no loss). Points after `now` are ignored so a replay never sees the future.
 * `history` must be sorted by `ts` ascending (how a portfolio appends snapshots); it is searched, not scanned.
 */
export function measurePeriodLosses(
  history: readonly EquityPoint[] | undefined,
  equity: number,
  now: number,
  dayOffsetMs: number,
): PeriodLosses {
  if (!Number.isFinite(equity)) {
    throw new ValidationError('risk snapshot', [
      { field: 'equity', message: 'must be a finite number', value: equity },
    ]);
  }
  const starts = riskPeriodStarts(now, dayOffsetMs);
  const points = history ?? [];
  const end = upperBound(points, now);
  return {
    day: periodLoss('day', starts, points, end, equity),
    week: periodLoss('week', starts, points, end, equity),
    month: periodLoss('month', starts, points, end, equity),
  };
}

function periodLoss(
  period: LossPeriod,
  starts: RiskPeriodStarts,
  points: readonly EquityPoint[],
  end: number,
  equity: number,
): PeriodLoss {
  const periodStart = starts[period];
  const atOrBefore = upperBound(points, periodStart, end) - 1;
  let startEquity = equity;
  if (atOrBefore >= 0) startEquity = points[atOrBefore].equity;
  else if (end > 0) startEquity = points[0].equity;
  if (!Number.isFinite(startEquity)) {
    throw new ValidationError('risk snapshot', [
      { field: 'equityHistory', message: 'equity values must be finite numbers', value: startEquity },
    ]);
  }
  // A period that started with no equity has no meaningful loss fraction; treating it as fully lost keeps the
  // loss limits closed rather than dividing by zero into an open door.
  const lossPct = startEquity > 0 ? (startEquity - equity) / startEquity : equity < startEquity ? 1 : 0;
  return { period, periodStart, startEquity, lossPct };
}

/** Index of the first point with ts > `ts` within [0, hi). */
function upperBound(points: readonly EquityPoint[], ts: number, hi = points.length): number {
  let lo = 0;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (points[mid].ts <= ts) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
