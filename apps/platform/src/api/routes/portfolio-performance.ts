import { computePerformanceMetrics, RoundTripLedger, YEAR_MS, type PerformanceMetrics } from '@rrr/backtesting';
import type { Fill } from '@rrr/core';

/** One stored portfolio snapshot, as far as performance needs it. */
export interface EquityPoint {
  ts: number;
  equity: number;
  grossExposure: number;
}

/** Spacing assumed when there are too few snapshots to measure it: the trading engine's default, one a minute. */
const DEFAULT_SNAPSHOT_SPACING_MS = 60_000;

/** The median time between consecutive points: snapshots are taken on bar closes, so their spacing varies a little. */
function medianSpacing(points: readonly EquityPoint[]): number {
  const gaps: number[] = [];
  for (let i = 1; i < points.length; i += 1) {
    const gap = points[i].ts - points[i - 1].ts;
    if (gap > 0) gaps.push(gap);
  }
  if (gaps.length === 0) return DEFAULT_SNAPSHOT_SPACING_MS;
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return gaps.length % 2 === 1 ? gaps[mid] : (gaps[mid - 1] + gaps[mid]) / 2;
}

/**
 * The account's performance with the backtester's metric definitions (@rrr/backtesting computePerformanceMetrics),
 * so live and backtest figures compare: returns, volatility, Sharpe / Sortino and drawdowns from the equity curve,
 * trade statistics from round trips rebuilt from the fills. Returns are annualised by the snapshots' own cadence
 * (a year over their median spacing).
 * `points` and `fills` oldest first.
 */
export function portfolioPerformance(points: readonly EquityPoint[], fills: readonly Fill[]): PerformanceMetrics {
  const ledger = new RoundTripLedger();
  let next = 0;
  let equityBefore = points[0]?.equity ?? 0;
  for (const fill of fills) {
    while (next < points.length && points[next].ts < fill.ts) equityBefore = points[next++].equity;
    // Exit reasons (signal or bracket leg) do not enter the metrics; a fill does not carry its order's role.
    ledger.apply(fill, 'signal', equityBefore);
  }
  const closed = ledger
    .closedTrips()
    .flatMap((trip) =>
      trip.pnl === null || trip.returnFraction === null || trip.exitTs === null
        ? []
        : [{ pnl: trip.pnl, returnFraction: trip.returnFraction, entryTs: trip.entryTs, exitTs: trip.exitTs }],
    );
  const openTrips = ledger.openTrips({}).length;
  return computePerformanceMetrics(
    {
      ts: points.map((p) => p.ts),
      equity: points.map((p) => p.equity),
      grossExposure: points.map((p) => p.grossExposure),
      closedTrades: closed,
      openTrades: openTrips,
      fills: fills.map((f) => ({ notional: f.quantity * f.price, fee: f.fee })),
    },
    { periodsPerYear: YEAR_MS / medianSpacing(points) },
  );
}
