import type { PreTradeContext } from './pre-trade-context';

/**
 * A rule's answer. A pass may carry the measured value and its limit (for dashboards and the risk score); a
 * rejection always does, with a reason that names the value and the limit.
 */
export type RuleVerdict =
  | { pass: true; value?: number; limit?: number; note?: string }
  | { pass: false; reason: string; value: number; limit: number };

/** A verdict labelled with the rule that gave it. */
export type RuleOutcome = RuleVerdict & { rule: string };

/** One pre-trade check: a name that appears in every rejection, and a pure check over the context. */
export interface PreTradeRule {
  readonly name: string;
  readonly description: string;
  check(ctx: PreTradeContext): RuleVerdict;
}

export const PASS: RuleVerdict = Object.freeze({ pass: true as const });

/** Orders that cannot add exposure pass the exposure rules. */
export const EXEMPT_REDUCING: RuleVerdict = Object.freeze({
  pass: true as const,
  note: 'order does not increase exposure',
});

export function formatPct(fraction: number): string {
  return Number.isFinite(fraction) ? `${(fraction * 100).toFixed(2)}%` : String(fraction);
}

export function formatAmount(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : String(value);
}

/** value / equity, with a non-positive equity making any exposure infinitely large. */
export function ratioToEquity(value: number, equity: number): number {
  if (equity > 0) return value / equity;
  return value > 0 ? Number.POSITIVE_INFINITY : 0;
}

/**
 * Relative slack on limit comparisons: a position built as 0.1 + 0.2 units is 0.30000000000000004, and one ulp must
 * not turn "at the limit" into "beyond it".
 */
const LIMIT_TOLERANCE = 1e-9;

/** value > limit, ignoring floating-point noise. */
export function exceedsLimit(value: number, limit: number): boolean {
  return value > limit + Math.abs(limit) * LIMIT_TOLERANCE;
}

/** value >= limit, ignoring floating-point noise (loss limits trip when reached). */
export function reachesLimit(value: number, limit: number): boolean {
  return value >= limit - Math.abs(limit) * LIMIT_TOLERANCE;
}
