import { ValidationError, type FieldProblem } from '@rrr/core';

/** Returns as fractions per period (0.01 = +1 %), oldest first. */
export type ReturnSeries = readonly number[];

/** One series per asset, all of the same length and aligned in time: `returns[asset][t]`. */
export type ReturnMatrix = readonly ReturnSeries[];

export function checkReturnSeries(subject: string, field: string, series: ReturnSeries, minLength: number): void {
  if (!Array.isArray(series) || series.length < minLength) {
    throw new ValidationError(subject, [
      {
        field,
        message: `must be an array of at least ${minLength} returns`,
        value: Array.isArray(series) ? series.length : series,
      },
    ]);
  }
  for (let t = 0; t < series.length; t += 1) {
    const r = series[t];
    if (typeof r !== 'number' || !Number.isFinite(r)) {
      throw new ValidationError(subject, [{ field: `${field}[${t}]`, message: 'must be a finite number', value: r }]);
    }
  }
}

/** Checks the matrix (and the weights, when given: one finite weight per asset). */
export function checkReturnMatrix(
  subject: string,
  returns: ReturnMatrix,
  weights?: readonly number[],
  minLength = 2,
): void {
  if (!Array.isArray(returns) || returns.length === 0) {
    throw new ValidationError(subject, [
      { field: 'returns', message: 'must be a non-empty array of return series (one per asset)' },
    ]);
  }
  const length = returns[0]?.length;
  returns.forEach((series, i) => {
    checkReturnSeries(subject, `returns[${i}]`, series, minLength);
    if (series.length !== length) {
      throw new ValidationError(subject, [
        {
          field: `returns[${i}]`,
          message: `must have the same length as returns[0] (${length})`,
          value: series.length,
        },
      ]);
    }
  });
  if (weights !== undefined) {
    const problems: FieldProblem[] = [];
    if (weights.length !== returns.length) {
      problems.push({
        field: 'weights',
        message: `must have one weight per asset (${returns.length})`,
        value: weights.length,
      });
    } else {
      weights.forEach((w, i) => {
        if (typeof w !== 'number' || !Number.isFinite(w))
          problems.push({ field: `weights[${i}]`, message: 'must be a finite number', value: w });
      });
    }
    if (problems.length > 0) throw new ValidationError(subject, problems);
  }
}

/** r_p[t] = Σ_i w_i r_i[t]: the portfolio rebalanced to constant weights each period. */
export function portfolioReturns(returns: ReturnMatrix, weights: readonly number[]): number[] {
  checkReturnMatrix('portfolio returns', returns, weights, 1);
  const length = returns[0].length;
  const out = new Array<number>(length).fill(0);
  for (let i = 0; i < returns.length; i += 1) {
    const w = weights[i];
    if (w === 0) continue;
    const series = returns[i];
    for (let t = 0; t < length; t += 1) out[t] += w * series[t];
  }
  return out;
}
