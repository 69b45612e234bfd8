import { ValidationError, type FieldProblem } from '../errors';
import { FieldReader } from './field-reader';

export const SIGNAL_DIRECTIONS = ['long', 'short', 'flat'] as const;
export type SignalDirection = (typeof SIGNAL_DIRECTIONS)[number];

/** A strategy's or model's view on a symbol at one instant; sizing and execution are decided downstream. */
export interface Signal {
  symbol: string;
  ts: number;
  direction: SignalDirection;
  /** Conviction in [0, 1]; 0 for a flat signal is typical but not required. */
  strength: number;
  /** Strategy or model that produced it, e.g. `sma-cross(20,50)` or `lstm@3`. */
  source: string;
  /** Human-readable why, for the audit trail. */
  reason?: string;
  /** Price the signal was computed at. */
  price?: number;
}

export function validateSignal(input: unknown): FieldProblem[] {
  const r = new FieldReader(input);
  r.symbol('symbol');
  r.timestamp('ts');
  r.oneOf('direction', SIGNAL_DIRECTIONS);
  r.number('strength', { min: 0, minInclusive: true, max: 1, maxInclusive: true });
  r.text('source', 128);
  r.text('reason', 1_000, { optional: true });
  r.price('price', { optional: true });
  return r.problems;
}

/** The input typed as a Signal, or a ValidationError (VALIDATION_FAILED) listing every problem. */
export function assertValidSignal(input: unknown): Signal {
  const problems = validateSignal(input);
  if (problems.length > 0) throw new ValidationError('signal', problems);
  return input as Signal;
}
