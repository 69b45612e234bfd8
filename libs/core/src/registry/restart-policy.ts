import { ValidationError, type FieldProblem } from '../errors';

/** How a crashed service is brought back: exponential backoff from `baseDelayMs`, capped, at most `maxRestarts`. */
export interface RestartPolicy {
  /** Restart attempts before the service is marked failed. */
  maxRestarts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicy = { maxRestarts: 5, baseDelayMs: 1_000, maxDelayMs: 30_000 };

/** Delay before restart attempt `attempt` (1-based): base, 2×base, 4×base … capped at `maxDelayMs`. */
export function restartDelayMs(policy: RestartPolicy, attempt: number): number {
  return Math.min(policy.baseDelayMs * 2 ** (attempt - 1), policy.maxDelayMs);
}

export function resolveRestartPolicy(partial: Partial<RestartPolicy> = {}): RestartPolicy {
  const policy = { ...DEFAULT_RESTART_POLICY, ...partial };
  const problems: FieldProblem[] = [];
  if (!Number.isInteger(policy.maxRestarts) || policy.maxRestarts < 0) {
    problems.push({ field: 'restart.maxRestarts', message: 'must be an integer ≥ 0', value: policy.maxRestarts });
  }
  if (!Number.isFinite(policy.baseDelayMs) || policy.baseDelayMs < 0) {
    problems.push({
      field: 'restart.baseDelayMs',
      message: 'must be a number of milliseconds ≥ 0',
      value: policy.baseDelayMs,
    });
  }
  if (!Number.isFinite(policy.maxDelayMs) || policy.maxDelayMs < policy.baseDelayMs) {
    problems.push({ field: 'restart.maxDelayMs', message: 'must be ≥ restart.baseDelayMs', value: policy.maxDelayMs });
  }
  if (problems.length > 0) throw new ValidationError('restart policy', problems);
  return policy;
}
