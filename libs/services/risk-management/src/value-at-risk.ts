import { ValidationError } from '@rrr/core';
import { CholeskyDecomposition, Matrix } from 'ml-matrix';
import { normalPdf, normalQuantile } from './normal-distribution';
import {
  checkReturnMatrix,
  checkReturnSeries,
  portfolioReturns,
  type ReturnMatrix,
  type ReturnSeries,
} from './return-series';
import { covarianceMatrix, sampleStdDev, seriesMean } from './risk-statistics';
import { createSeededRng } from './seeded-rng';

/** The confidence levels reported by default. */
export const VAR_CONFIDENCES: readonly number[] = Object.freeze([0.95, 0.99]);

/**
 * One-period VaR and CVaR at one confidence level, as POSITIVE LOSS FRACTIONS of the portfolio value: var = 0.021
 * means a 2.1 % loss (multiply by equity for money). A negative figure means even the tail is a gain.
 */
export interface VarEstimate {
  confidence: number;
  /** Loss not exceeded with probability `confidence`. */
  var: number;
  /** Expected shortfall: the mean loss in the tail beyond the VaR. Always >= var. */
  cvar: number;
}

export type VarMethod = 'historical' | 'parametric' | 'monte-carlo';

export interface VarReport {
  method: VarMethod;
  /** Return observations (historical, parametric) or simulated scenarios (Monte Carlo) behind the figures. */
  sampleSize: number;
  estimates: VarEstimate[];
}

function checkConfidences(confidences: readonly number[]): void {
  confidences.forEach((c, i) => {
    if (!(c > 0 && c < 1)) {
      throw new ValidationError('value at risk', [
        { field: `confidences[${i}]`, message: 'must be a probability strictly between 0 and 1', value: c },
      ]);
    }
  });
}

/**
 * The empirical tail of returns sorted ascending: with k = ⌈n (1 − c)⌉ (at least 1) tail observations, VaR is the
 * loss of the k-th worst return and CVaR the mean loss of the k worst. Both come from the same k, so CVaR >= VaR
 * holds by construction, and the figures can be checked by hand (20 returns at 95 %: k = 1, the worst return).
 */
export function empiricalTail(sortedAscending: ArrayLike<number>, confidence: number): VarEstimate {
  const n = sortedAscending.length;
  // The slack keeps 100 × 0.05 = 5.000000000000004 from counting a 6th observation.
  const k = Math.min(n, Math.max(1, Math.ceil(n * (1 - confidence) - 1e-9)));
  let sum = 0;
  for (let i = 0; i < k; i += 1) sum += sortedAscending[i];
  return { confidence, var: -sortedAscending[k - 1], cvar: -sum / k };
}

/** Historical simulation over the observed returns. */
export function historicalVar(returns: ReturnSeries, confidences: readonly number[] = VAR_CONFIDENCES): VarEstimate[] {
  checkReturnSeries('historical var', 'returns', returns, 1);
  checkConfidences(confidences);
  const sorted = Float64Array.from(returns).sort();
  return confidences.map((c) => empiricalTail(sorted, c));
}

/**
 * Normal (variance-covariance) VaR with the sample mean μ and standard deviation σ: VaR = z σ − μ and
 * CVaR = σ φ(z) / (1 − c) − μ, z = Φ⁻¹(c). For a portfolio series this equals the covariance form, since the
 * sample variance of Σ wᵢ rᵢ is wᵀ Σ w.
 */
export function parametricVar(returns: ReturnSeries, confidences: readonly number[] = VAR_CONFIDENCES): VarEstimate[] {
  checkReturnSeries('parametric var', 'returns', returns, 2);
  checkConfidences(confidences);
  const mu = seriesMean(returns);
  const sigma = sampleStdDev(returns);
  return confidences.map((c) => {
    const z = normalQuantile(c);
    return { confidence: c, var: z * sigma - mu, cvar: (sigma * normalPdf(z)) / (1 - c) - mu };
  });
}

export interface MonteCarloVarOptions {
  /** Seed of the scenario generator: the same seed gives the same figures. */
  seed: number;
  /** Simulated one-period scenarios (default 10 000). */
  scenarios?: number;
  confidences?: readonly number[];
}

export interface MonteCarloVarResult extends VarReport {
  /** Diagonal jitter that had to be added to make the covariance positive definite (0 when none). */
  jitter: number;
}

/**
 * Monte Carlo VaR under a multivariate normal fitted to the asset returns: each scenario draws z ~ N(0, I) and sets
 * the asset returns to μ + L z, with L the Cholesky factor of the sample covariance; the portfolio return is w · r.
 * A covariance that is only positive semi-definite (collinear assets, fewer periods than assets) gets the smallest
 * diagonal jitter, grown tenfold from 1e-12 × its mean variance, that lets the factorisation through.
 */
export function monteCarloVar(
  returns: ReturnMatrix,
  weights: readonly number[],
  options: MonteCarloVarOptions,
): MonteCarloVarResult {
  checkReturnMatrix('monte-carlo var', returns, weights);
  const confidences = options.confidences ?? VAR_CONFIDENCES;
  checkConfidences(confidences);
  const scenarios = options.scenarios ?? 10_000;
  if (!Number.isInteger(scenarios) || scenarios < 1) {
    throw new ValidationError('monte-carlo var', [
      { field: 'scenarios', message: 'must be an integer >= 1', value: scenarios },
    ]);
  }
  const n = returns.length;
  const means = returns.map(seriesMean);
  const { lower, jitter } = choleskyWithJitter(covarianceMatrix(returns));
  const rng = createSeededRng(options.seed);
  let portfolioMean = 0;
  for (let i = 0; i < n; i += 1) portfolioMean += weights[i] * means[i];

  const z = new Float64Array(n);
  const simulated = new Float64Array(scenarios);
  for (let s = 0; s < scenarios; s += 1) {
    for (let j = 0; j < n; j += 1) z[j] = rng.normal();
    let p = portfolioMean;
    for (let i = 0; i < n; i += 1) {
      const w = weights[i];
      if (w === 0) continue;
      const row = i * n;
      let shock = 0;
      for (let j = 0; j <= i; j += 1) shock += lower[row + j] * z[j];
      p += w * shock;
    }
    simulated[s] = p;
  }
  simulated.sort();
  return {
    method: 'monte-carlo',
    sampleSize: scenarios,
    estimates: confidences.map((c) => empiricalTail(simulated, c)),
    jitter,
  };
}

export interface PortfolioVarInput {
  returns: ReturnMatrix;
  weights: readonly number[];
  confidences?: readonly number[];
}

/** Historical, parametric and Monte Carlo VaR/CVaR of one portfolio, at every requested confidence level. */
export function portfolioVar(
  input: PortfolioVarInput,
  monteCarlo: Omit<MonteCarloVarOptions, 'confidences'>,
): Record<VarMethod, VarReport> {
  const confidences = input.confidences ?? VAR_CONFIDENCES;
  const series = portfolioReturns(input.returns, input.weights);
  const mc = monteCarloVar(input.returns, input.weights, { ...monteCarlo, confidences });
  return {
    historical: { method: 'historical', sampleSize: series.length, estimates: historicalVar(series, confidences) },
    parametric: { method: 'parametric', sampleSize: series.length, estimates: parametricVar(series, confidences) },
    'monte-carlo': mc,
  };
}

/** Row-major lower-triangular Cholesky factor, with jitter only if the matrix is not positive definite. */
function choleskyWithJitter(cov: number[][]): { lower: Float64Array; jitter: number } {
  const n = cov.length;
  let meanVariance = 0;
  for (let i = 0; i < n; i += 1) meanVariance += cov[i][i] / n;
  let jitter = 0;
  for (let attempt = 0; attempt < 12; attempt += 1) {
    const matrix = new Matrix(cov.map((row, i) => row.map((v, j) => (i === j ? v + jitter : v))));
    const decomposition = new CholeskyDecomposition(matrix);
    if (decomposition.isPositiveDefinite()) {
      const l = decomposition.lowerTriangularMatrix;
      const lower = new Float64Array(n * n);
      for (let i = 0; i < n; i += 1) for (let j = 0; j <= i; j += 1) lower[i * n + j] = l.get(i, j);
      return { lower, jitter };
    }
    jitter = jitter === 0 ? Math.max(meanVariance * 1e-12, 1e-30) : jitter * 10;
  }
  throw new ValidationError('monte-carlo var', [
    {
      field: 'returns',
      message: `the covariance of the returns is not positive definite even with a diagonal jitter of ${jitter}: check for constant or duplicated series`,
    },
  ]);
}
