import { YEAR_MS } from './periods-per-year';

/** How much the strategy was in the market and how much it traded. */
export interface ActivityMetrics {
  /** Share of the equity curve's points (bar closes) at which any position was held, in [0, 1]. */
  exposure: number;
  /** Mean of gross exposure / equity over the curve's points (1 = fully invested, 2 = levered 2×). */
  averageGrossExposure: number;
  /** Σ |fill notional| / mean equity over the run: a round trip of the whole account counts 2. */
  turnover: number;
  /** turnover / years of the run; null for a run of no length. */
  annualTurnover: number | null;
  /** Σ fees of every fill, in the account currency. */
  feesPaid: number;
  fills: number;
}

export interface ActivityInput {
  ts: readonly number[];
  equity: readonly number[];
  grossExposure: readonly number[];
  /** Notional (quantity × price) and fee of each fill. */
  fills: readonly { notional: number; fee: number }[];
}

export function activityMetrics(input: ActivityInput): ActivityMetrics {
  const n = input.equity.length;
  let invested = 0;
  let grossShare = 0;
  let equitySum = 0;
  for (let i = 0; i < n; i += 1) {
    if (input.grossExposure[i] > 0) invested += 1;
    const e = input.equity[i];
    if (e > 0) grossShare += input.grossExposure[i] / e;
    equitySum += e;
  }
  let traded = 0;
  let fees = 0;
  for (const f of input.fills) {
    traded += Math.abs(f.notional);
    fees += f.fee;
  }
  const meanEquity = n > 0 ? equitySum / n : 0;
  const turnover = meanEquity > 0 ? traded / meanEquity : 0;
  const years = n > 1 ? (input.ts[n - 1] - input.ts[0]) / YEAR_MS : 0;
  return {
    exposure: n > 0 ? invested / n : 0,
    averageGrossExposure: n > 0 ? grossShare / n : 0,
    turnover,
    annualTurnover: years > 0 ? turnover / years : null,
    feesPaid: fees,
    fills: input.fills.length,
  };
}
