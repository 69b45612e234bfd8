import { ValidationError, type FieldProblem } from '@rrr/core';
import type { z } from 'zod';

/** How a JSON body becomes a typed value: a zod schema, or a function that throws ValidationError on bad input. */
export type JsonDecoder<T> = z.ZodType<T> | ((value: unknown) => T);

/** At most this many problems are listed; a broken page of 50,000 bars would otherwise produce a megabyte message. */
const MAX_PROBLEMS = 10;

/** `results[3].o` from zod's `['results', 3, 'o']`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(root)';
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}

function isZodSchema<T>(decoder: JsonDecoder<T>): decoder is z.ZodType<T> {
  return typeof decoder === 'object' && decoder !== null && typeof (decoder as z.ZodType<T>).safeParse === 'function';
}

/** Problems of a failed zod parse, one per issue, each naming the field. */
export function zodIssuesToProblems(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const problems = issues
    .slice(0, MAX_PROBLEMS)
    .map((issue) => ({ field: formatIssuePath(issue.path), message: issue.message }));
  if (issues.length > MAX_PROBLEMS) {
    problems.push({ field: '(more)', message: `${issues.length - MAX_PROBLEMS} more problems not listed` });
  }
  return problems;
}

/** Validates an already parsed value; throws ValidationError (DATA_INVALID) naming `subject` and each bad field. */
export function decodeValue<T>(value: unknown, decoder: JsonDecoder<T>, subject: string): T {
  if (!isZodSchema(decoder)) return decoder(value);
  const result = decoder.safeParse(value);
  if (result.success) return result.data;
  throw new ValidationError(subject, zodIssuesToProblems(result.error.issues), 'DATA_INVALID');
}

/**
 * Parses a JSON text and validates it. A body that is not JSON at all (an HTML error page from a proxy, a truncated
 * response) is a DATA_INVALID error on `(body)` that says what it started with.
 */
export function decodeJson<T>(text: string, decoder: JsonDecoder<T>, subject: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const start = text.length > 40 ? `${text.slice(0, 40)}…` : text;
    throw new ValidationError(
      subject,
      [
        {
          field: '(body)',
          message: `is not valid JSON (${(error as Error).message}); it starts with ${JSON.stringify(start)}`,
        },
      ],
      'DATA_INVALID',
    );
  }
  return decodeValue(value, decoder, subject);
}
