/** One equity observation. */
export interface EquityObservation {
  ts: number;
  equity: number;
}

/** One period's simple return, stamped with the period's end. */
export interface PeriodReturn {
  ts: number;
  return: number;
}

/**
 * Simple returns between consecutive observations: equity[i] / equity[i−1] − 1. A period that starts at zero or
 * negative equity has no meaningful return and is left out.
 */
export function equityReturns(history: readonly EquityObservation[]): PeriodReturn[] {
  const out: PeriodReturn[] = [];
  for (let i = 1; i < history.length; i++) {
    const previous = history[i - 1].equity;
    if (previous > 0) out.push({ ts: history[i].ts, return: history[i].equity / previous - 1 });
  }
  return out;
}
