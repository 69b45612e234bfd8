import { ValidationError, type FieldProblem } from '../errors';

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
