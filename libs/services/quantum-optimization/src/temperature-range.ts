import { ValidationError, type FieldProblem } from '@rrr/core';
import type { Qubo } from './qubo';

export interface TemperatureRange {
  hot: number;
  cold: number;
}

/**
 * Default annealing temperatures read off the coefficients (the rule D-Wave's `neal` uses): at `hot` the largest
 * possible single-flip increase, max_i(|linear_i| + Σ_j|coupling_ij|), is accepted with probability ½; at `cold` the
 * smallest non-zero coefficient's increase is accepted with probability 1/100.
 */
export function defaultTemperatureRange(qubo: Qubo): TemperatureRange {
  const n = qubo.size;
  let maxDelta = 0;
  let minDelta = Infinity;
  for (let i = 0; i < n; i++) {
    let bound = Math.abs(qubo.linear[i]);
    if (bound > 0) minDelta = Math.min(minDelta, bound);
    for (let j = 0; j < n; j++) {
      const w = Math.abs(qubo.coupling[i * n + j]);
      bound += w;
      if (w > 0) minDelta = Math.min(minDelta, w);
    }
    maxDelta = Math.max(maxDelta, bound);
  }
  if (maxDelta === 0) return { hot: 1, cold: 0.01 };
  const hot = maxDelta / Math.LN2;
  const cold = Math.min(minDelta / Math.log(100), hot / 10);
  return { hot, cold };
}

/** Resolves caller overrides against the defaults and checks 0 < cold ≤ hot. */
export function resolveTemperatureRange(qubo: Qubo, hot?: number, cold?: number): TemperatureRange {
  const defaults = defaultTemperatureRange(qubo);
  const range = { hot: hot ?? defaults.hot, cold: cold ?? defaults.cold };
  const problems: FieldProblem[] = [];
  if (!(range.hot > 0) || !Number.isFinite(range.hot)) {
    problems.push({ field: 'hotTemperature', message: 'must be a positive finite number', value: range.hot });
  }
  if (!(range.cold > 0) || !(range.cold <= range.hot)) {
    problems.push({ field: 'coldTemperature', message: 'must be positive and ≤ hotTemperature', value: range.cold });
  }
  if (problems.length > 0) throw new ValidationError('annealing', problems);
  return range;
}
