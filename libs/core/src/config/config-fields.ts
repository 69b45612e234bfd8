import type { z } from 'zod';
import { loadZod } from './load-zod';

/*
 * Builders for config leaves. Every leaf carries the words of what it expects as its zod error, for the type check and
 * for every range check alike, so a problem always reads `<path>: expected <those words>, got <value> (from <source>)`
 * whatever check failed.
 */

export function integerField(min: number, max: number) {
  const expected = `an integer ${min}..${max}`;
  return loadZod().int({ error: expected }).min(min, { error: expected }).max(max, { error: expected });
}

/** A share of equity or of a limit: strictly positive, at most 100 %. */
export function fractionField() {
  const expected = 'a fraction in (0, 1]';
  return loadZod().number({ error: expected }).gt(0, { error: expected }).lte(1, { error: expected });
}

export function numberField(min: number, max: number, bounds: { minExclusive?: boolean } = {}) {
  const expected = `a number in ${bounds.minExclusive ? '(' : '['}${min}, ${max}]`;
  const base = loadZod().number({ error: expected });
  const lower = bounds.minExclusive ? base.gt(min, { error: expected }) : base.gte(min, { error: expected });
  return lower.lte(max, { error: expected });
}

export function positiveNumberField() {
  const expected = 'a number > 0';
  return loadZod().number({ error: expected }).gt(0, { error: expected });
}

export function booleanField() {
  return loadZod().boolean({ error: 'true or false' });
}

export function patternField(pattern: RegExp, expected: string) {
  return loadZod().string({ error: expected }).regex(pattern, { error: expected });
}

export function enumField<const T extends readonly [string, ...string[]]>(values: T) {
  return loadZod().enum(values, { error: `one of ${values.map((v) => JSON.stringify(v)).join(', ')}` });
}

export function listField<T extends z.ZodType>(element: T, expected: string, minItems = 0) {
  return loadZod().array(element, { error: expected }).min(minItems, { error: expected });
}

/** A config section: unknown keys are errors (they are almost always typos), a missing section takes its defaults. */
export function sectionField<T extends z.ZodRawShape>(shape: T) {
  return loadZod().strictObject(shape, { error: 'a mapping of settings' });
}

interface OrderedFields {
  /** Dotted path of the section, used to name the other field in the message. */
  section: string;
  low: string;
  high: string;
}

/**
 * Adds a problem on `low` when it exceeds `high`. The related path travels in `params` so that the formatter can say
 * where the other value came from: the offending layer may have set either of the two.
 */
export function requireOrdered(value: Record<string, unknown>, ctx: z.RefinementCtx, fields: OrderedFields): void {
  const low = value[fields.low];
  const high = value[fields.high];
  if (typeof low === 'number' && typeof high === 'number' && low > high) {
    ctx.addIssue({
      code: 'custom',
      path: [fields.low],
      message: `at most ${fields.section}.${fields.high}`,
      params: { relatedPath: `${fields.section}.${fields.high}`, relatedValue: high },
      input: low,
    });
  }
}
