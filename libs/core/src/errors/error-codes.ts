/**
 * Stable error codes. Clients (API consumers, CLI scripts) match on these, so a code is never renamed or reused;
 * the HTTP status is the one the API answers with when the error reaches it.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 500,
  VALIDATION_FAILED: 400,
  ORDER_INVALID: 400,
  DATA_INVALID: 422,
  RISK_REJECTED: 422,
  NOT_FOUND: 404,
  CONFLICT: 409,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  TIMEOUT: 504,
  CIRCUIT_OPEN: 503,
  SERVICE_UNAVAILABLE: 503,
  DEPENDENCY_CYCLE: 500,
  DEPENDENCY_MISSING: 500,
  SERVICE_FAILED: 500,
  DB_ERROR: 500,
  MIGRATION_FAILED: 500,
  BUS_ERROR: 500,
  POOL_EXHAUSTED: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
