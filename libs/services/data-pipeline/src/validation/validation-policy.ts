import { ValidationError, type FieldProblem } from '@rrr/core';

/**
 * What happens to a row with an error (it cannot be stored as it is):
 * - `reject`: left out and reported;
 * - `repair`: fixed when the fix is unambiguous (OHLC bounds widened, a negative volume zeroed, a vwap or trade count
 *   the domain rejects dropped), each change recorded; a row with no safe fix is rejected;
 * - `quarantine`: left out of `bars` and stored, with its reasons, in the `quarantined_rows` table.
 */
export const ERROR_POLICIES = ['reject', 'repair', 'quarantine'] as const;
export type ErrorPolicy = (typeof ERROR_POLICIES)[number];

/** What happens to a valid but unusual row (gap, spike, volume outlier). Real markets make them: kept by default. */
export const ANOMALY_POLICIES = ['keep', 'reject', 'quarantine'] as const;
export type AnomalyPolicy = (typeof ANOMALY_POLICIES)[number];

/** A source's validation policy. Every problem is reported whatever the policy: none passes silently. */
export interface ValidationPolicy {
  errors: ErrorPolicy;
  anomalies: AnomalyPolicy;
}

export const DEFAULT_VALIDATION_POLICY: Readonly<ValidationPolicy> = Object.freeze({
  errors: 'reject',
  anomalies: 'keep',
});

/** `'repair'` or `{ errors: 'repair' }` → a complete policy; anything else is a ValidationError naming the field. */
export function resolveValidationPolicy(input: ErrorPolicy | Partial<ValidationPolicy> | undefined): ValidationPolicy {
  const given = typeof input === 'string' ? { errors: input } : (input ?? {});
  const policy: ValidationPolicy = { ...DEFAULT_VALIDATION_POLICY, ...given };
  const problems: FieldProblem[] = [];
  if (!(ERROR_POLICIES as readonly string[]).includes(policy.errors)) {
    problems.push({
      field: 'policy.errors',
      message: `must be one of ${ERROR_POLICIES.join(', ')} (got ${JSON.stringify(policy.errors)})`,
      value: policy.errors,
    });
  }
  if (!(ANOMALY_POLICIES as readonly string[]).includes(policy.anomalies)) {
    problems.push({
      field: 'policy.anomalies',
      message: `must be one of ${ANOMALY_POLICIES.join(', ')} (got ${JSON.stringify(policy.anomalies)})`,
      value: policy.anomalies,
    });
  }
  if (problems.length > 0) throw new ValidationError('validation policy', problems);
  return policy;
}
