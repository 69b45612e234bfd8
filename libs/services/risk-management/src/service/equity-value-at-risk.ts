import { ValidationError } from '@rrr/core';
import type { EquityPoint } from '../period-losses';
import { historicalVar, monteCarloVar, parametricVar, type VarMethod } from '../value-at-risk';

export interface EquityVarRequest {
  confidence: number;
  method: VarMethod;
  /** Seed of the Monte Carlo scenarios; default 1, so the same history gives the same figures. */
  seed?: number;
  scenarios?: number;
}

export interface EquityVar {
  method: VarMethod;
  confidence: number;
  /** Loss fractions of equity (positive = loss); null while there are too few returns to estimate. */
  var: number | null;
  cvar: number | null;
  /** The same in the account currency, at the current equity. */
  varAmount: number | null;
  cvarAmount: number | null;
  equity: number;
  /** Period returns the estimate rests on (historical / parametric) — Monte Carlo fits its normal to them. */
  observations: number;
  from: number | null;
  to: number | null;
}

/** Fewest returns an estimate is made from: with fewer, a tail quantile says nothing. */
export const MIN_VAR_OBSERVATIONS = 2;

/**
 * One-period VaR / CVaR of the account from its equity history: the period is the history's sampling step, the
 * returns are equityₜ / equityₜ₋₁ − 1 of consecutive points (points with non-positive equity end a run).
 */
export function equityValueAtRisk(
  history: readonly EquityPoint[],
  equity: number,
  request: EquityVarRequest,
): EquityVar {
  if (!(request.confidence > 0 && request.confidence < 1)) {
    throw new ValidationError('value at risk', [
      { field: 'confidence', message: 'must be a probability strictly between 0 and 1', value: request.confidence },
    ]);
  }
  const returns: number[] = [];
  for (let i = 1; i < history.length; i += 1) {
    const before = history[i - 1].equity;
    if (before > 0) returns.push(history[i].equity / before - 1);
  }
  const base = {
    method: request.method,
    confidence: request.confidence,
    equity,
    observations: returns.length,
    from: history.length > 0 ? history[0].ts : null,
    to: history.length > 0 ? history[history.length - 1].ts : null,
  };
  if (returns.length < MIN_VAR_OBSERVATIONS)
    return { ...base, var: null, cvar: null, varAmount: null, cvarAmount: null };
  const confidences = [request.confidence];
  const [estimate] =
    request.method === 'historical'
      ? historicalVar(returns, confidences)
      : request.method === 'parametric'
        ? parametricVar(returns, confidences)
        : monteCarloVar([returns], [1], {
            seed: request.seed ?? 1,
            confidences,
            ...(request.scenarios === undefined ? {} : { scenarios: request.scenarios }),
          }).estimates;
  return {
    ...base,
    var: estimate.var,
    cvar: estimate.cvar,
    varAmount: estimate.var * equity,
    cvarAmount: estimate.cvar * equity,
  };
}
