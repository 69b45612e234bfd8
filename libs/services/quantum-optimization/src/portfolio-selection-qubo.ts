import { ValidationError } from '@rrr/core';
import { Qubo } from './qubo';
import { validatePortfolioInputs } from './validate-portfolio-inputs';

export interface PortfolioSelectionInput {
  expectedReturns: readonly number[];
  covariance: readonly (readonly number[])[];
  /** Number of assets to hold, 1 ≤ k ≤ N. */
  k: number;
  /** λ ≥ 0 in return − λ·variance. Default 1. */
  riskAversion?: number;
  /** Cardinality penalty A; default 1.1 × minimumPenalty (plus a hair), which guarantees exactly k assets. */
  penalty?: number;
}

export interface PortfolioSelectionProblem {
  qubo: Qubo;
  size: number;
  k: number;
  riskAversion: number;
  penalty: number;
  /** The derived bound: any A above it makes every minimiser of the QUBO hold exactly k assets. */
  minimumPenalty: number;
  penaltyGuaranteesCardinality: boolean;
  expectedReturns: Float64Array;
  covariance: Float64Array;
}

export interface SelectionEvaluation {
  selected: number[];
  count: number;
  /** Holds exactly k assets. */
  feasible: boolean;
  /** x_i/k per asset: the equal-weight portfolio the QUBO scores. */
  weights: number[];
  expectedReturn: number;
  variance: number;
  volatility: number;
  /** expectedReturn − λ·variance: the quantity being maximised. */
  objective: number;
  /** QUBO energy = −objective + A·(count − k)². */
  energy: number;
}

/**
 * Portfolio selection as a QUBO: choose k of N assets, held in equal weights 1/k, to maximise the mean-variance
 * utility f(x) = μᵀx/k − λ·xᵀΣx/k², under a cardinality penalty:
 *
 *   E(x) = −f(x) + A·(Σx − k)²
 *   linear_i = −μ_i/k + λΣ_ii/k² + A(1 − 2k),  coupling_ij = 2λΣ_ij/k² + 2A,  offset = A·k².
 *
 * Penalty bound. Σ is PSD and λ ≥ 0, so the variance term never adds to f, and a selection of c assets has
 * f(x) ≤ S_c/k, where S_c is the sum of the c largest positive expected returns. For any feasible x₀, f* ≥ f(x₀).
 * A selection of c ≠ k assets pays A·(c − k)², so E(x) ≥ −S_c/k + A(c − k)². Hence if
 *
 *   A > A_min = max_{c ≠ k} (S_c/k − f(x₀)) / (c − k)²   (and A > 0),
 *
 * every infeasible state has E(x) > −f(x₀) ≥ −f* = E(x*): the minimiser is the best k-subset. x₀ is the better of
 * the k highest-return assets and a greedy forward selection; a small A keeps the barriers between feasible states
 * (which single-flip annealing must cross through infeasible states) low.
 */
export function portfolioSelectionQubo(input: PortfolioSelectionInput): PortfolioSelectionProblem {
  const riskAversion = input.riskAversion ?? 1;
  validatePortfolioInputs({ ...input, riskAversion });
  if (input.penalty !== undefined && !(Number.isFinite(input.penalty) && input.penalty > 0)) {
    throw new ValidationError('portfolio inputs', [
      { field: 'penalty', message: 'must be a positive finite number', value: input.penalty },
    ]);
  }
  const n = input.expectedReturns.length;
  const k = input.k;
  const mu = Float64Array.from(input.expectedReturns);
  const sigma = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) sigma[i * n + j] = input.covariance[i][j];

  const utility = (selected: readonly number[]): number => {
    let ret = 0;
    let variance = 0;
    for (const i of selected) {
      ret += mu[i];
      for (const j of selected) variance += sigma[i * n + j];
    }
    return ret / k - (riskAversion * variance) / (k * k);
  };
  const byReturn = Array.from(mu.keys())
    .sort((a, b) => mu[b] - mu[a] || a - b)
    .slice(0, k);
  const greedy: number[] = [];
  while (greedy.length < k) {
    let bestAsset = -1;
    let bestValue = -Infinity;
    for (let i = 0; i < n; i++) {
      if (greedy.includes(i)) continue;
      const value = utility([...greedy, i]);
      if (value > bestValue) {
        bestValue = value;
        bestAsset = i;
      }
    }
    greedy.push(bestAsset);
  }
  const feasibleLowerBound = Math.max(utility(byReturn), utility(greedy));
  const positiveReturns = Array.from(mu)
    .filter((m) => m > 0)
    .sort((a, b) => b - a);
  let minimumPenalty = 0;
  let topSum = 0;
  for (let c = 0; c <= n; c++) {
    if (c > 0 && c <= positiveReturns.length) topSum += positiveReturns[c - 1];
    if (c !== k) minimumPenalty = Math.max(minimumPenalty, (topSum / k - feasibleLowerBound) / (c - k) ** 2);
  }
  const scale = mu.reduce((s, m) => s + Math.abs(m), 0) / k + (riskAversion * traceOf(sigma, n)) / k;
  const penalty = input.penalty ?? 1.1 * minimumPenalty + 1e-6 * scale + 1e-12;

  const matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    matrix[i][i] = -mu[i] / k + (riskAversion * sigma[i * n + i]) / (k * k) + penalty * (1 - 2 * k);
    for (let j = i + 1; j < n; j++) {
      matrix[i][j] = (2 * riskAversion * sigma[i * n + j]) / (k * k) + 2 * penalty;
    }
  }
  return {
    qubo: Qubo.fromMatrix(matrix, penalty * k * k),
    size: n,
    k,
    riskAversion,
    penalty,
    minimumPenalty,
    penaltyGuaranteesCardinality: penalty > minimumPenalty,
    expectedReturns: mu,
    covariance: sigma,
  };
}

/** Decodes a selection vector into its equal-weight portfolio and scores it (see PortfolioSelectionProblem). */
export function evaluateSelection(problem: PortfolioSelectionProblem, bits: ArrayLike<number>): SelectionEvaluation {
  const { size: n, k, riskAversion, expectedReturns: mu, covariance: sigma } = problem;
  if (bits.length !== n) {
    throw new ValidationError('selection', [{ field: 'bits', message: `must have ${n} entries`, value: bits.length }]);
  }
  const selected: number[] = [];
  for (let i = 0; i < n; i++) if (bits[i]) selected.push(i);
  let ret = 0;
  let variance = 0;
  for (const i of selected) {
    ret += mu[i];
    for (const j of selected) variance += sigma[i * n + j];
  }
  const expectedReturn = ret / k;
  const portfolioVariance = variance / (k * k);
  const objective = expectedReturn - riskAversion * portfolioVariance;
  const weights = new Array<number>(n).fill(0);
  for (const i of selected) weights[i] = 1 / k;
  return {
    selected,
    count: selected.length,
    feasible: selected.length === k,
    weights,
    expectedReturn,
    variance: portfolioVariance,
    volatility: Math.sqrt(Math.max(0, portfolioVariance)),
    objective,
    energy: -objective + problem.penalty * (selected.length - k) ** 2,
  };
}

function traceOf(sigma: Float64Array, n: number): number {
  let t = 0;
  for (let i = 0; i < n; i++) t += sigma[i * n + i];
  return t;
}
