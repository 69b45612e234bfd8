import { ValidationError, type FieldProblem } from '@rrr/core';

/**
 * Reads a predictor's hyperparameters from untyped input (config, CLI flags, a saved model.json), applying defaults
 * and collecting every problem, so that one error lists all wrong or unknown keys at once.
 */
export class HyperparameterReader {
  readonly problems: FieldProblem[] = [];
  private readonly seen = new Set<string>();
  private readonly input: Record<string, unknown>;

  constructor(
    private readonly kind: string,
    input: unknown,
  ) {
    if (input !== undefined && (typeof input !== 'object' || input === null || Array.isArray(input))) {
      this.problems.push({ field: 'hyperparameters', message: 'must be an object', value: input });
      this.input = {};
    } else {
      this.input = (input ?? {}) as Record<string, unknown>;
    }
  }

  private raw(name: string): unknown {
    this.seen.add(name);
    return this.input[name];
  }

  integer(name: string, fallback: number, min: number, max: number): number {
    const value = this.raw(name) ?? fallback;
    if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
      this.problems.push({ field: name, message: `must be an integer in [${min}, ${max}]`, value });
      return fallback;
    }
    return value;
  }

  number(name: string, fallback: number, min: number, max: number, minExclusive = false): number {
    const value = this.raw(name) ?? fallback;
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      value > max ||
      value < min ||
      (minExclusive && value === min)
    ) {
      this.problems.push({
        field: name,
        message: `must be a number in ${minExclusive ? '(' : '['}${min}, ${max}]`,
        value,
      });
      return fallback;
    }
    return value;
  }

  integerList(name: string, fallback: readonly number[], min: number, max: number): number[] {
    const value = this.raw(name) ?? fallback;
    if (
      !Array.isArray(value) ||
      value.length === 0 ||
      !value.every((v) => Number.isInteger(v) && v >= min && v <= max)
    ) {
      this.problems.push({ field: name, message: `must be a non-empty list of integers in [${min}, ${max}]`, value });
      return [...fallback];
    }
    return [...(value as number[])];
  }

  choice<T extends string>(name: string, fallback: T, values: readonly T[]): T {
    const value = this.raw(name) ?? fallback;
    if (!values.includes(value as T)) {
      this.problems.push({ field: name, message: `must be one of ${values.join(', ')}`, value });
      return fallback;
    }
    return value as T;
  }

  /** A value checked by the caller (e.g. a nested list); counted as known. */
  take(name: string): unknown {
    return this.raw(name);
  }

  /** Throws a ValidationError listing every problem, including keys no reader asked for. */
  done(): void {
    for (const key of Object.keys(this.input)) {
      if (!this.seen.has(key)) {
        this.problems.push({
          field: key,
          message: `is not a ${this.kind} hyperparameter (known: ${[...this.seen].join(', ')})`,
        });
      }
    }
    if (this.problems.length > 0) throw new ValidationError(`${this.kind} hyperparameters`, this.problems);
  }
}
