import { ValidationError, type FieldProblem } from '@rrr/core';
import { cholesky } from './cholesky';
import { solveQuadraticProgram, type LinearConstraint } from './quadratic-program';
import { validatePortfolioInputs } from './validate-portfolio-inputs';

export type MeanVarianceObjective = 'min-variance' | 'max-sharpe' | 'target-return' | 'utility';

export interface MeanVarianceInput {
  expectedReturns: readonly number[];
  covariance: readonly (readonly number[])[];
  objective: MeanVarianceObjective;
  /** target-return: the minimum expected return required (μᵀw ≥ target). */
  targetReturn?: number;
  /** max-Sharpe: the risk-free rate. Default 0. */
  riskFreeRate?: number;
  /** utility: λ > 0 in max μᵀw − λ·wᵀΣw. Default 1. */
  riskAversion?: number;
  /** Per-asset weight bounds (a number applies to every asset). Default lower 0 (long-only), upper 1. */
  lowerBounds?: number | readonly number[];
  upperBounds?: number | readonly number[];
}

export interface MeanVarianceResult {
  objective: MeanVarianceObjective;
  weights: number[];
  expectedReturn: number;
  variance: number;
  volatility: number;
  /** (return − risk-free) / volatility, null for a riskless portfolio. */
  sharpe: number | null;
  /** Ridge added to Σ when it was singular (0 when it was not). */
  ridge: number;
  wallTimeMs: number;
}

/**
 * Continuous Markowitz portfolios with a budget Σw = 1 and per-asset bounds, solved as quadratic programs by quadprog:
 * - min-variance: min wᵀΣw;
 * - target-return: min wᵀΣw subject to μᵀw ≥ target (the efficient portfolio for that return);
 * - utility: max μᵀw − λ·wᵀΣw;
 * - max-Sharpe: max (μ − r_f)ᵀw / √(wᵀΣw), made convex by the standard change of variables y = κw, κ > 0 with the
 *   scale fixed by (μ − r_f)ᵀy = 1: min yᵀΣy subject to (μ − r_f)ᵀy = 1, l_i·1ᵀy ≤ y_i ≤ u_i·1ᵀy, 1ᵀy ≥ 0; then
 *   w = y / 1ᵀy. It needs some admissible portfolio with return above r_f.
 * quadprog needs a positive definite matrix: a singular Σ (more assets than observations) is solved with a ridge
 * of 1e-10 × its largest variance, which moves the optimum by a comparable relative amount.
 */
export function meanVariance(input: MeanVarianceInput): MeanVarianceResult {
  const started = performance.now();
  validatePortfolioInputs({ expectedReturns: input.expectedReturns, covariance: input.covariance });
  const n = input.expectedReturns.length;
  const mu = input.expectedReturns;
  const sigma = input.covariance;
  const riskFreeRate = input.riskFreeRate ?? 0;
  const riskAversion = input.riskAversion ?? 1;
  const problems: FieldProblem[] = [];
  const lower = expandBounds(input.lowerBounds ?? 0, n, 'lowerBounds', problems);
  const upper = expandBounds(input.upperBounds ?? 1, n, 'upperBounds', problems);
  if (!['min-variance', 'max-sharpe', 'target-return', 'utility'].includes(input.objective)) {
    problems.push({
      field: 'objective',
      message: 'must be min-variance, max-sharpe, target-return or utility',
      value: input.objective,
    });
  }
  if (problems.length === 0) {
    for (let i = 0; i < n; i++) {
      if (lower[i] > upper[i])
        problems.push({
          field: `lowerBounds[${i}]`,
          message: `exceeds upperBounds[${i}] (${upper[i]})`,
          value: lower[i],
        });
    }
    const lowerSum = lower.reduce((s, v) => s + v, 0);
    const upperSum = upper.reduce((s, v) => s + v, 0);
    if (lowerSum > 1 + 1e-12)
      problems.push({ field: 'lowerBounds', message: `sum to ${lowerSum}, so weights cannot sum to 1` });
    if (upperSum < 1 - 1e-12)
      problems.push({ field: 'upperBounds', message: `sum to ${upperSum}, so weights cannot sum to 1` });
  }
  if (!Number.isFinite(riskFreeRate))
    problems.push({ field: 'riskFreeRate', message: 'must be finite', value: riskFreeRate });
  if (input.objective === 'utility' && !(Number.isFinite(riskAversion) && riskAversion > 0)) {
    problems.push({
      field: 'riskAversion',
      message: 'must be a positive finite number for the utility objective',
      value: riskAversion,
    });
  }
  if (problems.length > 0) throw new ValidationError('mean-variance', problems);

  const maxReturn = maxAchievableReturn(mu, lower, upper);
  if (input.objective === 'target-return') {
    const target = input.targetReturn;
    if (target === undefined || !Number.isFinite(target)) {
      throw new ValidationError('mean-variance', [
        { field: 'targetReturn', message: 'is required (a finite number) for target-return', value: target },
      ]);
    }
    if (target > maxReturn + 1e-12 * Math.max(1, Math.abs(maxReturn))) {
      throw new ValidationError('mean-variance', [
        {
          field: 'targetReturn',
          message: `exceeds the highest return achievable within the bounds (${maxReturn})`,
          value: target,
        },
      ]);
    }
  }
  if (input.objective === 'max-sharpe' && !(maxReturn > riskFreeRate)) {
    throw new ValidationError('mean-variance', [
      {
        field: 'riskFreeRate',
        message: `max-Sharpe needs an admissible portfolio returning more than the risk-free rate; the best return within the bounds is ${maxReturn}`,
        value: riskFreeRate,
      },
    ]);
  }

  const ones = new Array<number>(n).fill(1);
  const unit = (i: number): number[] => ones.map((_, j) => (j === i ? 1 : 0));
  const build = (ridge: number) => {
    const scaled = (factor: number): number[][] =>
      sigma.map((row, i) => row.map((v, j) => factor * (v + (i === j ? ridge : 0))));
    if (input.objective === 'max-sharpe') {
      const excess = mu.map((m) => m - riskFreeRate);
      const inequalities: LinearConstraint[] = [{ a: ones, b: 0 }];
      for (let i = 0; i < n; i++) {
        inequalities.push({ a: ones.map((_, j) => (j === i ? 1 - lower[i] : -lower[i])), b: 0 });
        inequalities.push({ a: ones.map((_, j) => (j === i ? upper[i] - 1 : upper[i])), b: 0 });
      }
      return { D: scaled(2), d: new Array<number>(n).fill(0), equalities: [{ a: excess, b: 1 }], inequalities };
    }
    const inequalities: LinearConstraint[] = [];
    for (let i = 0; i < n; i++) {
      inequalities.push({ a: unit(i), b: lower[i] });
      inequalities.push({ a: unit(i).map((v) => -v), b: -upper[i] });
    }
    if (input.objective === 'target-return') inequalities.push({ a: [...mu], b: input.targetReturn as number });
    const equalities = [{ a: ones, b: 1 }];
    if (input.objective === 'utility') return { D: scaled(2 * riskAversion), d: [...mu], equalities, inequalities };
    return { D: scaled(2), d: new Array<number>(n).fill(0), equalities, inequalities };
  };

  // quadprog's own check misses numerically singular matrices (rounding leaves tiny positive pivots), so test for
  // positive definiteness with a margin: Cholesky of Σ − 1e-12·max(diag)·I.
  const maxDiag = Math.max(...sigma.map((row, i) => row[i]));
  const ridge = cholesky(sigma, -1e-12 * maxDiag).ok ? 0 : 1e-10 * Math.max(maxDiag, 1e-12);
  const solution = solveQuadraticProgram(build(ridge)).x;
  let weights = solution;
  if (input.objective === 'max-sharpe') {
    const total = solution.reduce((s, v) => s + v, 0);
    weights = solution.map((v) => v / total);
  }
  // Active-set solutions sit on their bounds up to rounding; snap those last ulps so "long-only" reads as such.
  weights = weights.map((w, i) => Math.min(upper[i], Math.max(lower[i], w)));

  const expectedReturn = weights.reduce((s, w, i) => s + w * mu[i], 0);
  let variance = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) variance += weights[i] * sigma[i][j] * weights[j];
  variance = Math.max(0, variance);
  const volatility = Math.sqrt(variance);
  return {
    objective: input.objective,
    weights,
    expectedReturn,
    variance,
    volatility,
    sharpe: volatility > 0 ? (expectedReturn - riskFreeRate) / volatility : null,
    ridge,
    wallTimeMs: performance.now() - started,
  };
}

/** max μᵀw over l ≤ w ≤ u, Σw = 1: start at the lower bounds and fill the remaining budget best-return first. */
function maxAchievableReturn(mu: readonly number[], lower: number[], upper: number[]): number {
  let remaining = 1 - lower.reduce((s, v) => s + v, 0);
  let total = lower.reduce((s, v, i) => s + v * mu[i], 0);
  const order = mu.map((_, i) => i).sort((a, b) => mu[b] - mu[a]);
  for (const i of order) {
    const add = Math.min(remaining, upper[i] - lower[i]);
    total += add * mu[i];
    remaining -= add;
    if (remaining <= 0) break;
  }
  return total;
}

function expandBounds(value: number | readonly number[], n: number, field: string, problems: FieldProblem[]): number[] {
  const values = typeof value === 'number' ? new Array<number>(n).fill(value) : [...value];
  if (values.length !== n) {
    problems.push({ field, message: `must be a number or ${n} numbers`, value: values.length });
    return new Array<number>(n).fill(0);
  }
  values.forEach((v, i) => {
    if (!Number.isFinite(v))
      problems.push({
        field: typeof value === 'number' ? field : `${field}[${i}]`,
        message: 'must be finite',
        value: v,
      });
  });
  return values;
}
