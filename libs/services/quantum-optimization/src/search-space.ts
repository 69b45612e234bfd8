import { ValidationError, type FieldProblem } from '@rrr/core';

/** One tunable hyperparameter. `log` scale searches evenly in orders of magnitude (learning rates, L2 weights). */
export type ParameterSpec =
  | { type: 'float'; min: number; max: number; scale?: 'linear' | 'log' }
  | { type: 'int'; min: number; max: number; scale?: 'linear' | 'log' }
  | { type: 'choice'; values: readonly ParameterValue[] };

export type ParameterValue = number | string | boolean;
export type SearchSpace = Readonly<Record<string, ParameterSpec>>;
export type ParameterSet = Record<string, ParameterValue>;

/**
 * Every dimension of a space is searched through a unit coordinate u ∈ [0, 1]: numbers map linearly or
 * log-linearly onto [min, max] (integers rounded), choices split [0, 1) into equal cells. Optimisers then work in
 * the unit cube whatever the mix of parameter types.
 */
export function validateSearchSpace(space: SearchSpace): string[] {
  const names = Object.keys(space ?? {});
  const problems: FieldProblem[] = [];
  if (names.length === 0) problems.push({ field: 'space', message: 'must define at least one parameter' });
  for (const name of names) {
    const spec = space[name];
    const field = `space.${name}`;
    if (spec?.type === 'choice') {
      if (!Array.isArray(spec.values) || spec.values.length === 0)
        problems.push({ field, message: 'a choice needs at least one value' });
    } else if (spec?.type === 'float' || spec?.type === 'int') {
      if (!Number.isFinite(spec.min) || !Number.isFinite(spec.max) || spec.min > spec.max) {
        problems.push({ field, message: 'needs finite min ≤ max', value: { min: spec.min, max: spec.max } });
      } else if (spec.scale === 'log' && spec.min <= 0) {
        problems.push({ field, message: 'a log-scale range needs min > 0', value: spec.min });
      } else if (spec.type === 'int' && (!Number.isInteger(spec.min) || !Number.isInteger(spec.max))) {
        problems.push({ field, message: 'an int range needs integer bounds', value: { min: spec.min, max: spec.max } });
      }
    } else {
      problems.push({
        field,
        message: "type must be 'float', 'int' or 'choice'",
        value: (spec as { type?: unknown })?.type,
      });
    }
  }
  if (problems.length > 0) throw new ValidationError('search space', problems);
  return names;
}

/** The parameter value at unit coordinate u. */
export function decodeParameter(spec: ParameterSpec, u: number): ParameterValue {
  const t = Math.min(1, Math.max(0, u));
  if (spec.type === 'choice') return spec.values[Math.min(spec.values.length - 1, Math.floor(t * spec.values.length))];
  const raw =
    spec.scale === 'log'
      ? Math.exp(Math.log(spec.min) + t * (Math.log(spec.max) - Math.log(spec.min)))
      : spec.min + t * (spec.max - spec.min);
  const value = spec.type === 'int' ? Math.round(raw) : raw;
  return Math.min(spec.max, Math.max(spec.min, value));
}

export function decodeParameters(
  space: SearchSpace,
  names: readonly string[],
  coordinates: ArrayLike<number>,
): ParameterSet {
  const out: ParameterSet = {};
  names.forEach((name, d) => {
    out[name] = decodeParameter(space[name], coordinates[d]);
  });
  return out;
}

/** How many distinct values a dimension can take (Infinity for a float with min < max). */
export function distinctValues(spec: ParameterSpec): number {
  if (spec.type === 'choice') return spec.values.length;
  if (spec.min === spec.max) return 1;
  return spec.type === 'int' ? spec.max - spec.min + 1 : Infinity;
}

/**
 * Unit coordinates of `levels` evenly spread grid values: both ends for numbers (the midpoint for one level), and
 * cell centres of evenly spaced choices.
 */
export function gridCoordinates(spec: ParameterSpec, levels: number): number[] {
  if (spec.type === 'choice') {
    const n = spec.values.length;
    return Array.from({ length: levels }, (_, j) => {
      const index = levels === 1 ? Math.floor((n - 1) / 2) : Math.round((j * (n - 1)) / (levels - 1));
      return (index + 0.5) / n;
    });
  }
  if (levels === 1) return [0.5];
  return Array.from({ length: levels }, (_, j) => j / (levels - 1));
}
