import { ValidationError, type FieldProblem } from '@rrr/core';

export interface EstimatedInputs {
  symbols: string[];
  /** Annualised mean daily log return: 252 × mean(ln(P_t / P_{t−1})). */
  expectedReturns: number[];
  /** Annualised sample covariance (n − 1 denominator) of daily log returns: 252 × cov. */
  covariance: number[][];
  /** Returns per symbol used (closes − 1). */
  observations: number;
  periodsPerYear: number;
}

export interface EstimateInputsOptions {
  /** Return periods per year used to annualise. Default 252 (trading days). */
  periodsPerYear?: number;
}

/**
 * Expected returns and covariance from aligned closing prices (one array per symbol, same dates, oldest first).
 *
 * Log returns are used because they add over time, so the daily mean and covariance scale to a year by ×252 under
 * the usual i.i.d. assumption. The annualised log drift is smaller than the arithmetic mean return by about σ²/2;
 * the QUBO and the mean-variance baseline consume whatever μ they are given, so the choice is documented here only.
 */
export function estimateInputsFromPrices(
  closesBySymbol: Readonly<Record<string, readonly number[]>> | ReadonlyMap<string, readonly number[]>,
  options: EstimateInputsOptions = {},
): EstimatedInputs {
  const periodsPerYear = options.periodsPerYear ?? 252;
  const entries: [string, readonly number[]][] =
    closesBySymbol instanceof Map ? [...closesBySymbol.entries()] : Object.entries(closesBySymbol);
  const problems: FieldProblem[] = [];
  if (entries.length === 0) problems.push({ field: 'closesBySymbol', message: 'must contain at least one symbol' });
  if (!(Number.isFinite(periodsPerYear) && periodsPerYear > 0)) {
    problems.push({ field: 'periodsPerYear', message: 'must be a positive number', value: periodsPerYear });
  }
  const length = entries[0]?.[1]?.length ?? 0;
  for (const [symbol, closes] of entries) {
    if (!Array.isArray(closes) || closes.length < 3) {
      problems.push({
        field: `closesBySymbol.${symbol}`,
        message: 'needs at least 3 closes (2 returns)',
        value: closes?.length,
      });
      continue;
    }
    if (closes.length !== length) {
      problems.push({
        field: `closesBySymbol.${symbol}`,
        message: `has ${closes.length} closes but ${entries[0][0]} has ${length}: align the series on common dates first`,
      });
    }
    const bad = closes.findIndex((p) => !(Number.isFinite(p) && p > 0));
    if (bad >= 0)
      problems.push({
        field: `closesBySymbol.${symbol}[${bad}]`,
        message: 'must be a positive finite price',
        value: closes[bad],
      });
  }
  if (problems.length > 0) throw new ValidationError('price history', problems);

  const t = length - 1;
  const returns = entries.map(([, closes]) => {
    const r = new Float64Array(t);
    for (let i = 0; i < t; i++) r[i] = Math.log(closes[i + 1] / closes[i]);
    return r;
  });
  const means = returns.map((r) => r.reduce((s, v) => s + v, 0) / t);
  const n = entries.length;
  const covariance = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < t; k++) s += (returns[i][k] - means[i]) * (returns[j][k] - means[j]);
      const c = (periodsPerYear * s) / (t - 1);
      covariance[i][j] = c;
      covariance[j][i] = c;
    }
  }
  return {
    symbols: entries.map(([symbol]) => symbol),
    expectedReturns: means.map((m) => m * periodsPerYear),
    covariance,
    observations: t,
    periodsPerYear,
  };
}
