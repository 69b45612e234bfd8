import { ValidationError, type FieldProblem } from '@rrr/core';

export interface NelderMeadOptions {
  /** Hard cap on objective calls; never exceeded. */
  maxEvaluations: number;
  /** Edge length of the initial simplex, per coordinate or for all. Default 0.1·max(1, |x0_i|). */
  initialStep?: number | readonly number[];
  /** Stop when the simplex's value spread falls below this. Default 1e-10. */
  valueTolerance?: number;
  /** Stop when every vertex lies within this distance (∞-norm) of the best. Default 1e-8. */
  pointTolerance?: number;
}

export interface NelderMeadResult {
  x: Float64Array;
  value: number;
  evaluations: number;
  iterations: number;
  /** True when a tolerance stopped the search, false when the evaluation budget did. */
  converged: boolean;
}

/**
 * Derivative-free minimisation by the Nelder–Mead simplex method, with the dimension-adaptive coefficients of Gao &
 * Han (2012) (reflection 1, expansion 1 + 2/n, contraction 0.75 − 1/(2n), shrink 1 − 1/n), which behave better than
 * the classic (1, 2, ½, ½) beyond a few dimensions — QAOA with p layers has 2p angles.
 */
export function minimizeNelderMead(
  objective: (x: Float64Array) => number,
  x0: ArrayLike<number>,
  options: NelderMeadOptions,
): NelderMeadResult {
  const n = x0.length;
  const problems: FieldProblem[] = [];
  if (n < 1) problems.push({ field: 'x0', message: 'needs at least one coordinate' });
  if (!Number.isInteger(options.maxEvaluations) || options.maxEvaluations < 1) {
    problems.push({ field: 'maxEvaluations', message: 'must be a positive integer', value: options.maxEvaluations });
  }
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x0[i])) problems.push({ field: `x0[${i}]`, message: 'must be finite', value: x0[i] });
  }
  if (problems.length > 0) throw new ValidationError('nelder-mead', problems);

  const alpha = 1;
  const gammaExp = 1 + 2 / n;
  const rho = 0.75 - 1 / (2 * n);
  const sigma = n === 1 ? 0.5 : 1 - 1 / n;
  const valueTolerance = options.valueTolerance ?? 1e-10;
  const pointTolerance = options.pointTolerance ?? 1e-8;

  let evaluations = 0;
  let bestX = Float64Array.from(x0);
  let bestValue = Infinity;
  // Returns null once the budget is spent, so every caller below can stop cleanly with the best point so far.
  const evaluate = (x: Float64Array): number | null => {
    if (evaluations >= options.maxEvaluations) return null;
    evaluations += 1;
    const raw = objective(x);
    const value = Number.isNaN(raw) ? Infinity : raw;
    if (value < bestValue) {
      bestValue = value;
      bestX = Float64Array.from(x);
    }
    return value;
  };
  const finish = (iterations: number, converged: boolean): NelderMeadResult => ({
    x: bestX,
    value: bestValue,
    evaluations,
    iterations,
    converged,
  });

  const points: Float64Array[] = [];
  const values: number[] = [];
  const start = Float64Array.from(x0);
  const v0 = evaluate(start);
  if (v0 === null) return finish(0, false);
  points.push(start);
  values.push(v0);
  for (let i = 0; i < n; i++) {
    const step = stepFor(options.initialStep, i, x0[i]);
    const p = Float64Array.from(x0);
    p[i] += step;
    const v = evaluate(p);
    if (v === null) return finish(0, false);
    points.push(p);
    values.push(v);
  }

  const centroid = new Float64Array(n);
  const along = (from: Float64Array, coefficient: number): Float64Array => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = centroid[i] + coefficient * (from[i] - centroid[i]);
    return out;
  };

  let iterations = 0;
  for (;;) {
    // Compare rather than subtract: two +∞ vertices (NaN results) would make a − b NaN and the sort inconsistent.
    const order = values.map((_, i) => i).sort((a, b) => (values[a] < values[b] ? -1 : values[a] > values[b] ? 1 : 0));
    const sortedPoints = order.map((i) => points[i]);
    const sortedValues = order.map((i) => values[i]);
    for (let i = 0; i <= n; i++) {
      points[i] = sortedPoints[i];
      values[i] = sortedValues[i];
    }
    if (hasConverged(points, values, valueTolerance, pointTolerance)) return finish(iterations, true);
    iterations += 1;

    centroid.fill(0);
    for (let v = 0; v < n; v++) for (let i = 0; i < n; i++) centroid[i] += points[v][i] / n;
    const worst = points[n];
    const reflected = along(worst, -alpha);
    const fr = evaluate(reflected);
    if (fr === null) return finish(iterations, false);

    if (fr < values[0]) {
      const expanded = along(worst, -alpha * gammaExp);
      const fe = evaluate(expanded);
      if (fe === null) return finish(iterations, false);
      if (fe < fr) replaceWorst(expanded, fe);
      else replaceWorst(reflected, fr);
      continue;
    }
    if (fr < values[n - 1]) {
      replaceWorst(reflected, fr);
      continue;
    }
    const outside = fr < values[n];
    const contracted = outside ? along(worst, -alpha * rho) : along(worst, rho);
    const fc = evaluate(contracted);
    if (fc === null) return finish(iterations, false);
    if (fc < (outside ? fr : values[n])) {
      replaceWorst(contracted, fc);
      continue;
    }
    for (let v = 1; v <= n; v++) {
      const p = new Float64Array(n);
      for (let i = 0; i < n; i++) p[i] = points[0][i] + sigma * (points[v][i] - points[0][i]);
      const fv = evaluate(p);
      if (fv === null) return finish(iterations, false);
      points[v] = p;
      values[v] = fv;
    }
  }

  function replaceWorst(p: Float64Array, value: number): void {
    points[n] = p;
    values[n] = value;
  }
}

function stepFor(step: number | readonly number[] | undefined, i: number, x: number): number {
  if (typeof step === 'number') return step;
  if (step !== undefined && step[i] !== undefined) return step[i];
  return 0.1 * Math.max(1, Math.abs(x));
}

function hasConverged(
  points: Float64Array[],
  values: number[],
  valueTolerance: number,
  pointTolerance: number,
): boolean {
  const n = points.length - 1;
  if (Math.abs(values[n] - values[0]) > valueTolerance) return false;
  for (let v = 1; v <= n; v++) {
    for (let i = 0; i < points[0].length; i++) {
      if (Math.abs(points[v][i] - points[0][i]) > pointTolerance) return false;
    }
  }
  return true;
}
