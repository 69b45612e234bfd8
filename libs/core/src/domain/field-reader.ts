import type { FieldProblem } from '../errors';
import { DOMAIN_LIMITS } from './domain-limits';
import { SYMBOL_EXPECTATION, isValidSymbol } from './symbol';

/** Bounds of a numeric field; a missing side is unbounded. */
export interface NumberRange {
  min?: number;
  minInclusive?: boolean;
  max?: number;
  maxInclusive?: boolean;
}

export interface ReadOptions {
  /** Absent (undefined or null) is fine; a present value is still checked. */
  optional?: boolean;
}

export const PRICE_RANGE: NumberRange = {
  min: DOMAIN_LIMITS.priceMinExclusive,
  max: DOMAIN_LIMITS.priceMaxExclusive,
};

const MAX_SHOWN_STRING = 60;

/** A received value as it should appear after "got" in a message: strings quoted, NaN and Infinity spelled out. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown = value.length > MAX_SHOWN_STRING ? `${value.slice(0, MAX_SHOWN_STRING)}…` : value;
    return JSON.stringify(shown);
  }
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'function') return 'a function';
  return String(value);
}

/** `must be > 0 and < 10000000`: the expectation a range states, in the form messages use. */
export function describeRange(range: NumberRange): string {
  const parts: string[] = [];
  if (range.min !== undefined) parts.push(`${range.minInclusive ? '>=' : '>'} ${range.min}`);
  if (range.max !== undefined) parts.push(`${range.maxInclusive ? '<=' : '<'} ${range.max}`);
  return parts.length === 0 ? 'must be a finite number' : `must be ${parts.join(' and ')}`;
}

export function isInRange(value: number, range: NumberRange): boolean {
  if (range.min !== undefined && (range.minInclusive ? value < range.min : value <= range.min)) return false;
  if (range.max !== undefined && (range.maxInclusive ? value > range.max : value >= range.max)) return false;
  return true;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Reads the fields of an untrusted record (parsed JSON, a CSV row) and collects one problem per bad field instead of
 * stopping at the first, so a caller fixes everything in one round trip. Each read returns the value when it is
 * acceptable and `undefined` otherwise; cross-field rules then run only on values that passed, which keeps one
 * mistake from being reported twice. Absent means `undefined` or `null` (JSON has no undefined). Unknown keys are
 * ignored: vendor payloads carry extras.
 */
export class FieldReader {
  readonly problems: FieldProblem[];
  private readonly record: Record<string, unknown> | undefined;
  private readonly prefix: string;

  constructor(input: unknown, problems: FieldProblem[] = [], path?: string) {
    this.problems = problems;
    this.prefix = path === undefined ? '' : `${path}.`;
    if (isRecord(input)) {
      this.record = input;
    } else {
      this.record = undefined;
      this.problems.push({
        field: path ?? '(root)',
        message: `must be an object (got ${describeValue(input)})`,
        value: input,
      });
    }
  }

  /** False when the input was not an object; reads then return undefined without reporting anything more. */
  get isRecord(): boolean {
    return this.record !== undefined;
  }

  raw(field: string): unknown {
    return this.record?.[field];
  }

  has(field: string): boolean {
    const value = this.raw(field);
    return value !== undefined && value !== null;
  }

  path(field: string): string {
    return `${this.prefix}${field}`;
  }

  report(field: string, message: string, value: unknown = this.raw(field)): void {
    this.problems.push({ field: this.path(field), message, value });
  }

  /** The present value of a field, or undefined after reporting a missing required one. */
  private present(field: string, options: ReadOptions): unknown {
    if (this.record === undefined) return undefined;
    if (this.has(field)) return this.raw(field);
    if (!options.optional) this.report(field, 'is required');
    return undefined;
  }

  number(field: string, range: NumberRange = {}, options: ReadOptions = {}): number | undefined {
    const value = this.present(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      this.report(field, `must be a finite number (got ${describeValue(value)})`);
      return undefined;
    }
    if (!isInRange(value, range)) {
      this.report(field, `${describeRange(range)} (got ${value})`);
      return undefined;
    }
    return value;
  }

  integer(field: string, range: NumberRange = {}, options: ReadOptions = {}): number | undefined {
    const value = this.number(field, range, options);
    if (value === undefined) return undefined;
    if (!Number.isInteger(value)) {
      this.report(field, `must be an integer (got ${value})`);
      return undefined;
    }
    return value;
  }

  price(field: string, options: ReadOptions = {}): number | undefined {
    return this.number(field, PRICE_RANGE, options);
  }

  /** Epoch milliseconds UTC: an integer > 0 that a Date can represent. */
  timestamp(field: string, options: ReadOptions = {}): number | undefined {
    const value = this.present(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0 || value > DOMAIN_LIMITS.timestampMaxMs) {
      this.report(
        field,
        `must be an integer epoch-milliseconds timestamp > 0 and <= ${DOMAIN_LIMITS.timestampMaxMs} (got ${describeValue(value)})`,
      );
      return undefined;
    }
    return value;
  }

  /** A string with at least one non-space character and at most `maxLength` characters. */
  text(field: string, maxLength: number, options: ReadOptions = {}): string | undefined {
    const value = this.present(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) {
      this.report(field, `must be a non-empty string of at most ${maxLength} characters (got ${describeValue(value)})`);
      return undefined;
    }
    return value;
  }

  /** An identifier: 1–64 characters, no whitespace or control characters (they break logs, URLs and venue APIs). */
  id(field: string, options: ReadOptions = {}): string | undefined {
    const value = this.present(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !/^[^\s\p{Cc}]+$/u.test(value) || value.length > DOMAIN_LIMITS.idMaxLength) {
      this.report(
        field,
        `must be a non-empty string of at most ${DOMAIN_LIMITS.idMaxLength} characters without spaces (got ${describeValue(value)})`,
      );
      return undefined;
    }
    return value;
  }

  matching(field: string, pattern: RegExp, expectation: string, options: ReadOptions = {}): string | undefined {
    const value = this.present(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || !pattern.test(value)) {
      this.report(field, `${expectation} (got ${describeValue(value)})`);
      return undefined;
    }
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[], options: ReadOptions = {}): T | undefined {
    const value = this.present(field, options);
    if (value === undefined) return undefined;
    if (!(allowed as readonly unknown[]).includes(value)) {
      const list = allowed.map((a) => JSON.stringify(a)).join(', ');
      this.report(field, `must be one of ${list} (got ${describeValue(value)})`);
      return undefined;
    }
    return value as T;
  }

  boolean(field: string, options: ReadOptions = {}): boolean | undefined {
    const value = this.present(field, options);
    if (value === undefined) return undefined;
    if (typeof value !== 'boolean') {
      this.report(field, `must be true or false (got ${describeValue(value)})`);
      return undefined;
    }
    return value;
  }

  symbol(field: string, options: ReadOptions = {}): string | undefined {
    const value = this.present(field, options);
    if (value === undefined) return undefined;
    if (!isValidSymbol(value)) {
      this.report(field, `${SYMBOL_EXPECTATION} (got ${describeValue(value)})`);
      return undefined;
    }
    return value;
  }

  /** A nested record whose problems land in the same list under `field.`; undefined when absent or not an object. */
  nested(field: string, options: ReadOptions = {}): FieldReader | undefined {
    const value = this.present(field, options);
    if (value === undefined) return undefined;
    const child = new FieldReader(value, this.problems, this.path(field));
    return child.isRecord ? child : undefined;
  }
}
