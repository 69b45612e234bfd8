import { ValidationError, type FieldProblem } from '@rrr/core';

export interface ApiRateLimitOptions {
  /** Requests per window from one API key (all its clients together). */
  perKeyMax: number;
  /** Requests per window from one client IP without a valid key. */
  perIpMax: number;
  windowMs: number;
}

export interface ApiSecurityOptions {
  /**
   * false (default): GET/HEAD routes answer without a key and every mutating route needs one. true: reads need a key
   * with read scope too (the WebSocket channels then need an `auth` frame before `subscribe`).
   */
  requireAuthForReads: boolean;
  /** Origins allowed to call the API from a browser; empty (default) sends no CORS headers at all. `*` allows any. */
  corsOrigins: readonly string[];
  /** Per-key / per-IP request limits, or false for none (load tests on loopback). */
  rateLimit: ApiRateLimitOptions | false;
}

export type ApiSecurityOverrides = Partial<Omit<ApiSecurityOptions, 'rateLimit'>> & {
  rateLimit?: Partial<ApiRateLimitOptions> | false;
};

export const DEFAULT_API_SECURITY_OPTIONS: ApiSecurityOptions = Object.freeze({
  requireAuthForReads: false,
  corsOrigins: Object.freeze([]) as readonly string[],
  rateLimit: Object.freeze({ perKeyMax: 1200, perIpMax: 600, windowMs: 60_000 }),
});

/** Defaults overlaid with `overrides`; a non-positive or fractional limit is a ValidationError naming it. */
export function resolveApiSecurityOptions(overrides: ApiSecurityOverrides = {}): ApiSecurityOptions {
  const base = DEFAULT_API_SECURITY_OPTIONS.rateLimit as ApiRateLimitOptions;
  const rateLimit = overrides.rateLimit === false ? false : { ...base, ...overrides.rateLimit };
  if (rateLimit) {
    const problems: FieldProblem[] = [];
    for (const field of ['perKeyMax', 'perIpMax', 'windowMs'] as const) {
      const value = rateLimit[field];
      if (!Number.isInteger(value) || value < 1) {
        problems.push({ field: `rateLimit.${field}`, message: 'must be an integer ≥ 1', value });
      }
    }
    if (problems.length > 0) throw new ValidationError('api security options', problems);
  }
  return {
    requireAuthForReads: overrides.requireAuthForReads ?? DEFAULT_API_SECURITY_OPTIONS.requireAuthForReads,
    corsOrigins: overrides.corsOrigins ?? DEFAULT_API_SECURITY_OPTIONS.corsOrigins,
    rateLimit,
  };
}
