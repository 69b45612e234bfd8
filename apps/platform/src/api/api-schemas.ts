import { DOMAIN_LIMITS, ERROR_CODES, SYMBOL_PATTERN } from '@rrr/core';

/*
 * JSON-schema pieces the REST routes share. They validate requests, make fastify serialize responses fast, and are
 * what the OpenAPI document at /docs/json shows, so each says in `description` what a client needs to know.
 */

/** `{ error: { code, message, details } }`, as every failure leaves the API. */
export const errorResponseSchema = {
  type: 'object',
  description:
    'A failure: a stable code, a message, and details (validation failures: `problems: [{ field, message }]`)',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', enum: Object.keys(ERROR_CODES) },
        message: { type: 'string' },
        details: {},
      },
    },
  },
} as const;

/** The error responses a route documents, e.g. `errorResponses(400, 404)`. */
export function errorResponses(...statuses: number[]): Record<number, typeof errorResponseSchema> {
  return Object.fromEntries(statuses.map((status) => [status, errorResponseSchema]));
}

/** A market symbol as core defines it (`BTC-USD`, `ETH/USDT`, `SPX`). */
export const symbolSchema = {
  type: 'string',
  minLength: DOMAIN_LIMITS.symbolMinLength,
  maxLength: DOMAIN_LIMITS.symbolMaxLength,
  pattern: SYMBOL_PATTERN.source,
  description: 'e.g. BTC-USD, ETH/USDT, SPX',
} as const;

/** The `limit` query parameter of a list: a default and a maximum (over it → 400). */
export function limitSchema(defaultLimit: number, maximum: number) {
  return {
    type: 'integer',
    minimum: 1,
    maximum,
    default: defaultLimit,
    description: `items per answer (default ${defaultLimit}, at most ${maximum})`,
  } as const;
}

/** A route's `{ id }` path parameters: a non-empty id of at most `maxLength` characters (longer → 400). */
export function idParamsSchema(maxLength: number, description?: string) {
  return {
    type: 'object',
    required: ['id'],
    properties: {
      id: { type: 'string', minLength: 1, maxLength, ...(description === undefined ? {} : { description }) },
    },
  } as const;
}

/** `from` / `to` query parameters: epoch milliseconds or ISO-8601, read by `readTimeRange`. */
export const timeQuerySchema = {
  type: 'string',
  minLength: 1,
  maxLength: 40,
  description: 'epoch milliseconds UTC or ISO-8601 (2020-04-17, 2020-04-17T13:30:00Z); inclusive',
} as const;

/** A list answer: `{ items: [...] }`, plus what a paged list adds (e.g. `nextCursor`). */
export function listSchema(item: object, extra: Record<string, object> = {}) {
  return {
    type: 'object',
    required: ['items', ...Object.keys(extra)],
    properties: { items: { type: 'array', items: item }, ...extra },
  } as const;
}

/** Epoch milliseconds UTC. */
export const timestampSchema = { type: 'integer', description: 'epoch milliseconds UTC' } as const;

/** A time in a JSON body: epoch milliseconds or an ISO-8601 date (a whole day) or date-time. */
export const timeInputSchema = {
  anyOf: [timestampSchema, { type: 'string', minLength: 1, maxLength: 40, description: 'ISO-8601 date or date-time' }],
} as const;

/** A JSON-schema type that may also be null, e.g. `nullable('number')`. */
export function nullable<T extends string>(type: T): { type: [T, 'null'] } {
  return { type: [type, 'null'] };
}
