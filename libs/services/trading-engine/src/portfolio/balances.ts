import type { Fill } from '@rrr/core';
import { symbolParts } from './symbol-parts';

/** Amount held per currency or asset: `{ USD: 95000, BTC: 0.1 }`. Negative for a borrowed (shorted) asset. */
export type Balances = Record<string, number>;

/** Relative slack of balance comparisons: 0.1 + 0.2 BTC bought must cover a sale of 0.3 BTC. */
const BALANCE_TOLERANCE = 1e-9;

/** available >= required, ignoring floating-point noise. */
export function covers(available: number, required: number): boolean {
  return available >= required - BALANCE_TOLERANCE * Math.max(Math.abs(required), 1e-12);
}

/**
 * How one fill moves the account, both sides of the pair plus the fee: a BTC-USD buy of q at p pays q·p USD and
 * receives q BTC; a sell the reverse; the fee is taken from its own currency. The legacy paper exchange debited the
 * quote and never credited the base; here every fill moves exactly these amounts, nothing else.
 */
export function fillBalanceChanges(fill: Fill): Balances {
  const { base, quote } = symbolParts(fill.symbol);
  const notional = fill.quantity * fill.price;
  const changes: Balances = {};
  changes[quote] = fill.side === 'buy' ? -notional : notional;
  changes[base] = fill.side === 'buy' ? fill.quantity : 0 - fill.quantity;
  if (fill.fee !== 0) changes[fill.feeCurrency] = (changes[fill.feeCurrency] ?? 0) - fill.fee;
  return changes;
}

/** `balances` after `fill`, as a new object; also returns which currencies changed (what a store must write). */
export function applyFillToBalances(
  balances: Readonly<Balances>,
  fill: Fill,
): { balances: Balances; changed: string[] } {
  const next: Balances = { ...balances };
  const changes = fillBalanceChanges(fill);
  for (const [currency, delta] of Object.entries(changes)) next[currency] = (next[currency] ?? 0) + delta;
  return { balances: next, changed: Object.keys(changes) };
}
