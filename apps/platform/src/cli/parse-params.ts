import { ValidationError, type FieldProblem } from '@rrr/core';

/** `--param fast=20 --param slow=50` → `{ fast: 20, slow: 50 }`; numbers and booleans are converted. */
export function parseParams(
  values: readonly string[] | undefined,
  flag = '--param',
): Record<string, number | string | boolean> {
  const params: Record<string, number | string | boolean> = {};
  const problems: FieldProblem[] = [];
  for (const text of values ?? []) {
    const eq = text.indexOf('=');
    if (eq <= 0) {
      problems.push({ field: flag, message: 'must look like name=value', value: text });
      continue;
    }
    const name = text.slice(0, eq).trim();
    const raw = text.slice(eq + 1).trim();
    if (name in params) problems.push({ field: `${flag} ${name}`, message: 'is given twice', value: text });
    params[name] =
      raw === 'true' ? true : raw === 'false' ? false : raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw;
  }
  if (problems.length > 0) throw new ValidationError('parameters', problems);
  return params;
}
