import { ValidationError, type FieldProblem } from '@rrr/core';
import { FEATURE_NAMES, type FeatureName } from './feature-set';

/** The columns a model reads, as names and as indices into a full feature row, both in FEATURE_NAMES order. */
export interface FeatureColumns {
  names: FeatureName[];
  indices: number[];
  /** True when every feature is used (rows need no projection). */
  all: boolean;
}

const INDEX_OF = new Map<string, number>(FEATURE_NAMES.map((name, i) => [name, i]));

/**
 * Checks a requested feature list — non-empty, only known names, no repeats — and puts it in FEATURE_NAMES order,
 * so that two requests naming the same features train the same model. `undefined` means every feature.
 */
export function resolveFeatureSubset(features: readonly string[] | undefined, field = 'features'): FeatureColumns {
  if (features === undefined) return { names: [...FEATURE_NAMES], indices: FEATURE_NAMES.map((_, i) => i), all: true };
  const problems: FieldProblem[] = [];
  if (!Array.isArray(features) || features.length === 0) {
    problems.push({ field, message: 'must name at least one feature', value: features });
  } else {
    const unknown = features.filter((name) => !INDEX_OF.has(name));
    if (unknown.length > 0) {
      problems.push({
        field,
        message: `unknown feature${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}; known: ${FEATURE_NAMES.join(', ')}`,
        value: unknown,
      });
    }
    const repeated = [...new Set(features.filter((name, i) => features.indexOf(name) !== i))];
    if (repeated.length > 0) problems.push({ field, message: `names ${repeated.join(', ')} more than once` });
  }
  if (problems.length > 0) throw new ValidationError('feature subset', problems);
  const indices = features.map((name) => INDEX_OF.get(name) as number).sort((a, b) => a - b);
  return {
    names: indices.map((i) => FEATURE_NAMES[i]),
    indices,
    all: indices.length === FEATURE_NAMES.length,
  };
}

/** The subset's columns of a full feature row. */
export function projectRow(row: Float64Array, subset: FeatureColumns): Float64Array {
  if (subset.all) return row;
  const out = new Float64Array(subset.indices.length);
  for (let j = 0; j < subset.indices.length; j += 1) out[j] = row[subset.indices[j]];
  return out;
}
