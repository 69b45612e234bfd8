import { RrrError, type FieldProblem } from './rrr-error';

function describeProblems(subject: string, problems: readonly FieldProblem[]): string {
  const lines = problems.map((p) => `${p.field}: ${p.message}`);
  return `${subject}: ${lines.join('; ')}`;
}

/** Input that failed validation; `details` lists every problem, field by field. */
export class ValidationError extends RrrError {
  readonly problems: readonly FieldProblem[];
  constructor(
    subject: string,
    problems: readonly FieldProblem[],
    code: 'VALIDATION_FAILED' | 'ORDER_INVALID' | 'DATA_INVALID' = 'VALIDATION_FAILED',
  ) {
    super(code, describeProblems(subject, problems), { details: { problems } });
    this.problems = problems;
  }
}

export class ConfigError extends RrrError {
  readonly problems: readonly FieldProblem[];
  constructor(problems: readonly FieldProblem[], source = 'configuration') {
    super('CONFIG_INVALID', describeProblems(`invalid ${source}`, problems), { details: { problems } });
    this.problems = problems;
  }
}

export class NotFoundError extends RrrError {
  constructor(what: string, id: string | number) {
    super('NOT_FOUND', `${what} ${JSON.stringify(id)} not found`, { details: { what, id } });
  }
}

export class ConflictError extends RrrError {
  constructor(message: string, details?: unknown) {
    super('CONFLICT', message, { details });
  }
}

export class RiskRejectedError extends RrrError {
  constructor(rule: string, reason: string, details?: Record<string, unknown>) {
    super('RISK_REJECTED', `${rule}: ${reason}`, { details: { rule, reason, ...details } });
  }
}

export class TimeoutError extends RrrError {
  constructor(operation: string, ms: number) {
    super('TIMEOUT', `${operation} timed out after ${ms} ms`, { details: { operation, ms } });
  }
}

export class CircuitOpenError extends RrrError {
  constructor(name: string, retryAtMs: number) {
    super('CIRCUIT_OPEN', `circuit "${name}" is open; next attempt allowed at ${new Date(retryAtMs).toISOString()}`, {
      details: { name, retryAt: retryAtMs },
    });
  }
}

export class RateLimitedError extends RrrError {
  constructor(name: string, retryAfterMs: number) {
    super('RATE_LIMITED', `rate limit "${name}" exceeded; retry in ${retryAfterMs} ms`, {
      details: { name, retryAfterMs },
    });
  }
}

export class DatabaseError extends RrrError {
  constructor(message: string, cause?: unknown, code: 'DB_ERROR' | 'MIGRATION_FAILED' = 'DB_ERROR') {
    super(code, message, { cause });
  }
}
