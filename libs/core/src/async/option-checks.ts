import { ConfigError, ValidationError, type FieldProblem } from '../errors';

/** One requirement on one option: `ok` is the verdict, `message` says what was expected. */
export interface OptionRule {
  field: string;
  value: unknown;
  ok: boolean;
  message: string;
}

/**
 * Every rule is checked before throwing, so a caller with several bad options learns about all of them at once
 * instead of fixing them one start-up at a time.
 */
export function checkOptions(subject: string, rules: readonly OptionRule[]): void {
  const problems: FieldProblem[] = rules
    .filter((rule) => !rule.ok)
    .map((rule) => ({ field: rule.field, message: rule.message, value: rule.value }));
  if (problems.length > 0) throw new ValidationError(subject, problems);
}

export function isIntAtLeast(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min;
}

export function isFiniteAtLeast(value: unknown, min: number): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= min;
}

/** Where an integer setting may lie, and what it is when left out. */
export interface IntegerOptionRange {
  fallback: number;
  min: number;
  max: number;
}

/**
 * Resolves the integer settings of a service's config, each left out one to its fallback; like checkOptions, every
 * setting is checked before the ConfigError naming all bad ones is thrown.
 */
export function resolveIntegerOptions<K extends string>(
  source: string,
  config: { readonly [P in NoInfer<K>]?: unknown },
  ranges: Readonly<Record<K, IntegerOptionRange>>,
): Record<K, number> {
  const problems: FieldProblem[] = [];
  const resolved = {} as Record<K, number>;
  for (const field of Object.keys(ranges) as K[]) {
    const { fallback, min, max } = ranges[field];
    const value = config[field];
    resolved[field] = fallback;
    if (value === undefined) continue;
    if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) resolved[field] = value;
    else problems.push({ field, message: `must be an integer from ${min} to ${max}`, value });
  }
  if (problems.length > 0) throw new ConfigError(problems, source);
  return resolved;
}
