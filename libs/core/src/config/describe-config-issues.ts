import type { z } from 'zod';
import type { FieldProblem } from '../errors';
import { closestName } from './closest-name';
import { objectSchemaAt } from './config-env-vars';
import { formatConfigPath, getAtPath, type ConfigPath } from './config-paths';
import { sourceOfConfigPath, type LayeredConfigInput } from './layered-config-input';
import { maskUrlCredentials } from './mask-url-credentials';
import { isSecretConfigPath } from './secret-config-paths';

export const REDACTED = '[redacted]';

const MAX_SHOWN_LENGTH = 80;

/** Paths whose values may embed a password and are shown with it masked. */
const URL_WITH_CREDENTIALS_PATHS = new Set(['database.url']);

/** What a problem may show of a received value: secrets never, URLs without their password. */
export function shownConfigValue(path: string, value: unknown): unknown {
  if (value === undefined) return undefined;
  if (isSecretConfigPath(path)) return REDACTED;
  if (URL_WITH_CREDENTIALS_PATHS.has(path) && typeof value === 'string') return maskUrlCredentials(value);
  return value;
}

function renderValue(shown: unknown, secret: boolean): string {
  if (secret) return REDACTED;
  if (shown === undefined) return 'nothing';
  const text = typeof shown === 'string' || typeof shown === 'object' ? JSON.stringify(shown) : String(shown);
  return text.length > MAX_SHOWN_LENGTH ? `${text.slice(0, MAX_SHOWN_LENGTH - 1)}…` : text;
}

function sourceText(input: LayeredConfigInput, path: ConfigPath): string {
  return sourceOfConfigPath(input, path) ?? 'defaults';
}

function describeUnknownKeys(
  issue: z.core.$ZodIssueUnrecognizedKeys,
  input: LayeredConfigInput,
  schema: z.ZodObject,
): FieldProblem[] {
  const allowed = Object.keys(objectSchemaAt(schema, issue.path)?.shape ?? {});
  return issue.keys.map((key) => {
    const path = [...issue.path, key];
    const suggestion = closestName(key, allowed);
    const hint = suggestion === undefined ? '' : `; did you mean ${suggestion}?`;
    return { field: formatConfigPath(path), message: `unknown key${hint} (from ${sourceText(input, path)})` };
  });
}

function describeRelated(issue: z.core.$ZodIssue, input: LayeredConfigInput): string {
  if (issue.code !== 'custom') return '';
  const relatedPath: unknown = issue.params?.['relatedPath'];
  if (typeof relatedPath !== 'string') return '';
  const segments = relatedPath.split('.');
  const related = getAtPath(input.values, segments);
  // The related value is absent from the layers when it is a default; the refinement passes the parsed value along.
  const value: unknown = related === undefined ? issue.params?.['relatedValue'] : related;
  return ` (${renderValue(shownConfigValue(relatedPath, value), false)}, from ${sourceText(input, segments)})`;
}

/**
 * Turns zod issues into problems that name the key, what was expected, the value received (never a secret) and the
 * layer it came from, e.g. `server.port: expected an integer 0..65535, got "abc" (from env RRR_SERVER_PORT)`.
 * Relies on every schema node carrying its expectation as its error message (see config-fields).
 */
export function describeConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  input: LayeredConfigInput,
  schema: z.ZodObject,
): FieldProblem[] {
  return issues.flatMap((issue): FieldProblem[] => {
    if (issue.code === 'unrecognized_keys') return describeUnknownKeys(issue, input, schema);
    const field = formatConfigPath(issue.path);
    const shown = shownConfigValue(field, getAtPath(input.values, issue.path));
    const got = renderValue(shown, isSecretConfigPath(field));
    const message = `expected ${issue.message}${describeRelated(issue, input)}, got ${got} (from ${sourceText(input, issue.path)})`;
    return [{ field, message, ...(shown === undefined ? {} : { value: shown }) }];
  });
}
