import { ValidationError } from '@rrr/core';

/**
 * Throws a ValidationError naming every top-level field of `body` that `schema` does not declare. Fastify would
 * silently drop them (its ajv removes additional properties), so a misspelt `parms` would start a job with defaults.
 */
export function rejectUnknownFields(
  body: unknown,
  schema: { properties: Record<string, unknown> },
  subject: string,
): void {
  if (body === null || typeof body !== 'object') return;
  const known = Object.keys(schema.properties);
  const unknown = Object.keys(body).filter((key) => !known.includes(key));
  if (unknown.length === 0) return;
  throw new ValidationError(
    subject,
    unknown.map((key) => ({ field: `body.${key}`, message: `is not a ${subject} field (known: ${known.join(', ')})` })),
  );
}
