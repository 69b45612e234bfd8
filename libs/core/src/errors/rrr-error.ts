import { ERROR_CODES, type ErrorCode } from './error-codes';

/** One problem with one field of an input: what `details` carries for validation-style errors. */
export interface FieldProblem {
  /** Dotted path of the offending field, e.g. `price` or `risk.maxPositionPct`. */
  field: string;
  /** What is wrong and what was expected, in words a user can act on. */
  message: string;
  /** The value that was received (omitted for secrets). */
  value?: unknown;
}

export interface RrrErrorOptions {
  details?: unknown;
  cause?: unknown;
}

/** Base class of every error the platform raises on purpose: a stable `code`, a message, structured details. */
export class RrrError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: RrrErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.details = options.details;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code];
  }

  /** The API's error body: `{ error: { code, message, details } }`. */
  toJSON(): { error: { code: ErrorCode; message: string; details?: unknown } } {
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(this.details === undefined ? {} : { details: this.details }),
      },
    };
  }
}

export function isRrrError(value: unknown): value is RrrError {
  return value instanceof RrrError;
}
