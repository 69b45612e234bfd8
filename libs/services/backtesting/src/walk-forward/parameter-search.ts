import { ValidationError, type FieldProblem } from '@rrr/core';
import { createSeededRng } from '@rrr/risk-management';
import {
  resolveStrategy,
  type BacktestStrategyDefinition,
  type StrategyParameters,
} from '../strategies/strategy-catalog';

/** The values one parameter may take: a list, or an inclusive range (on a grid of `step` when given). */
export type ParameterRange = readonly (number | boolean)[] | { min: number; max: number; step?: number };

/** Per parameter name; parameters left out keep the run's value (given or default). */
export type ParameterSpace = Readonly<Record<string, ParameterRange>>;

/**
 * 'grid': every combination (the cartesian product, first parameter varying slowest); 'random': `samples` distinct
 * combinations drawn uniformly (seeded) — integer parameters on their integer (or step) grid, real ones uniformly in
 * [min, max] unless a step is given.
 */
export interface ParameterSearch {
  method: 'grid' | 'random';
  space: ParameterSpace;
  /** Random search: combinations to draw; default 50. */
  samples?: number;
  /** Random search seed; default 1. */
  seed?: number;
}

export interface CandidateSet {
  /** Complete, typed parameter sets that pass the strategy's rules, in search order. */
  candidates: StrategyParameters[];
  /** Combinations the strategy refuses (fast ≥ slow…), left out. */
  skipped: number;
}

const MAX_CANDIDATES = 100_000;

function gridValues(range: ParameterRange, field: string, problems: FieldProblem[]): (number | boolean)[] {
  if (Array.isArray(range)) {
    if (range.length === 0) problems.push({ field, message: 'must list at least one value' });
    return [...range];
  }
  const { min, max, step } = range as { min: number; max: number; step?: number };
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) {
    problems.push({ field, message: 'must be a range with finite min <= max', value: range });
    return [];
  }
  const by = step ?? 1;
  if (!(by > 0) || (max - min) / by > MAX_CANDIDATES) {
    problems.push({
      field: `${field}.step`,
      message: `must be > 0 and give at most ${MAX_CANDIDATES} values`,
      value: step,
    });
    return [];
  }
  const values: number[] = [];
  // Values from an index, not by repeated addition, so 0.1 steps do not drift.
  for (let i = 0; min + i * by <= max + 1e-9 * Math.abs(by); i += 1)
    values.push(Number((min + i * by).toPrecision(12)));
  return values;
}

function checkSpace(definition: BacktestStrategyDefinition, space: ParameterSpace, problems: FieldProblem[]): void {
  const known = new Set(definition.parameters.map((p) => p.name));
  for (const name of Object.keys(space)) {
    if (!known.has(name)) {
      problems.push({
        field: `search.space.${name}`,
        message: `is not a parameter of ${definition.name} (it takes: ${[...known].join(', ') || 'none'})`,
      });
    }
  }
  if (Object.keys(space).length === 0)
    problems.push({ field: 'search.space', message: 'must vary at least one parameter' });
}

/**
 * The parameter sets a search will try, each completed with `base` (the run's other parameters) and checked by the
 * strategy. Throws ValidationError naming `search.*` for a bad space, or when no combination is valid.
 */
export function candidateParameterSets(
  strategy: string,
  base: Readonly<Record<string, unknown>>,
  search: ParameterSearch,
): CandidateSet {
  const problems: FieldProblem[] = [];
  const resolved = resolveStrategy(strategy, {}, { predict: () => undefined });
  if (resolved.resolved === undefined) throw new ValidationError('parameter search', resolved.problems);
  const { definition } = resolved.resolved;
  if (search.method !== 'grid' && search.method !== 'random') {
    problems.push({ field: 'search.method', message: 'must be grid or random', value: search.method });
  }
  checkSpace(definition, search.space, problems);
  const names = definition.parameters.map((p) => p.name).filter((n) => n in search.space);
  const values = names.map((n) => gridValues(search.space[n], `search.space.${n}`, problems));
  const samples = search.samples ?? 50;
  if (search.method === 'random' && !(Number.isInteger(samples) && samples >= 1 && samples <= MAX_CANDIDATES)) {
    problems.push({ field: 'search.samples', message: `must be an integer in [1, ${MAX_CANDIDATES}]`, value: samples });
  }
  const gridSize = values.reduce((n, v) => n * v.length, 1);
  if (search.method === 'grid' && gridSize > MAX_CANDIDATES) {
    problems.push({ field: 'search.space', message: `spans ${gridSize} combinations, more than ${MAX_CANDIDATES}` });
  }
  if (problems.length > 0) throw new ValidationError('parameter search', problems);

  const combos: Record<string, number | boolean>[] = [];
  if (search.method === 'grid') {
    const walk = (i: number, acc: Record<string, number | boolean>): void => {
      if (i === names.length) {
        combos.push({ ...acc });
        return;
      }
      for (const v of values[i]) walk(i + 1, { ...acc, [names[i]]: v });
    };
    walk(0, {});
  } else {
    const rng = createSeededRng(search.seed ?? 1);
    const seen = new Set<string>();
    const specs = definition.parameters.filter((p) => names.includes(p.name));
    for (let attempt = 0; combos.length < samples && attempt < samples * 20; attempt += 1) {
      const combo: Record<string, number | boolean> = {};
      specs.forEach((spec, i) => {
        const range = search.space[spec.name];
        const continuous =
          !Array.isArray(range) && spec.type === 'number' && (range as { step?: number }).step === undefined;
        if (continuous) {
          const { min, max } = range as { min: number; max: number };
          combo[spec.name] = min + rng.next() * (max - min);
        } else combo[spec.name] = values[i][rng.nextInt(values[i].length)];
      });
      const key = JSON.stringify(combo);
      if (!seen.has(key)) {
        seen.add(key);
        combos.push(combo);
      }
    }
  }
  const candidates: StrategyParameters[] = [];
  let skipped = 0;
  for (const combo of combos) {
    const checked = resolveStrategy(strategy, { ...base, ...combo }, { predict: () => undefined });
    if (checked.resolved === undefined) skipped += 1;
    else candidates.push(checked.resolved.parameters);
  }
  if (candidates.length === 0) {
    throw new ValidationError('parameter search', [
      { field: 'search.space', message: `none of its ${combos.length} combinations is valid for ${strategy}` },
    ]);
  }
  return { candidates, skipped };
}

/**
 * `["fast=5,10,20", "slow=40:100:20"]` (CLI flags) → a space: comma lists, or `min:max[:step]` ranges.
 */
export function parseParameterSpace(assignments: readonly string[]): ParameterSpace {
  const space: Record<string, ParameterRange> = {};
  const problems: FieldProblem[] = [];
  for (const assignment of assignments) {
    const at = assignment.indexOf('=');
    const name = at > 0 ? assignment.slice(0, at).trim() : '';
    const text = assignment.slice(at + 1).trim();
    if (name === '' || text === '') {
      problems.push({
        field: 'search.space',
        message: 'each range must be written name=v1,v2,… or name=min:max[:step]',
        value: assignment,
      });
      continue;
    }
    if (text.includes(':')) {
      const [min, max, step] = text.split(':').map(Number);
      if (![min, max].every(Number.isFinite) || (step !== undefined && !Number.isFinite(step))) {
        problems.push({
          field: `search.space.${name}`,
          message: 'must be min:max or min:max:step numbers',
          value: text,
        });
      } else space[name] = step === undefined ? { min, max } : { min, max, step };
      continue;
    }
    const values = text.split(',').map((v) => v.trim());
    const parsed = values.map((v) => (v === 'true' ? true : v === 'false' ? false : Number(v)));
    if (parsed.some((v) => typeof v === 'number' && !Number.isFinite(v))) {
      problems.push({
        field: `search.space.${name}`,
        message: 'must be a comma-separated list of numbers',
        value: text,
      });
    } else space[name] = parsed;
  }
  if (problems.length > 0) throw new ValidationError('parameter search', problems);
  return space;
}
