import type { FillLiquidity, OrderSide, OrderType } from '@rrr/core';
import type { PriceWindow } from './price-window';

/**
 * When a limit order's price counts as reached. 'through' (default): the market must trade strictly beyond the limit
 * (below a buy's, above a sell's) — a print at the limit may have filled only orders queued ahead, so a backtest that
 * fills on a touch is optimistic. 'touch': trading at the limit is enough.
 */
export type LimitFillRule = 'through' | 'touch';

/** What the matcher needs to know of a resting order besides its request fields. */
export interface PaperOrderState {
  side: OrderSide;
  type: OrderType;
  price?: number;
  stopPrice?: number;
  trailingPercent?: number;
  trailingAmount?: number;
  /** A stop, stop-limit or trailing stop whose trigger fired in an earlier window. */
  triggered: boolean;
  /** Trailing stops: best price seen so far (undefined before the first window). */
  trailingReference?: number;
  /** Was already in the book before this window: a limit reached now fills as a resting (maker) order. */
  rested: boolean;
}

/** How the order executes in the window, before quantity, slippage and fees are applied. */
export interface PaperExecutionTerms {
  /** Price the execution starts from (slippage is applied to it when `aggressive`). */
  referencePrice: number;
  liquidity: FillLiquidity;
  /** Taker executions slip; resting limit fills do not. */
  aggressive: boolean;
  /** A slipped price never goes beyond this (a marketable limit or stop-limit keeps its limit). */
  limit?: number;
}

export interface PaperOrderDecision {
  /** The trigger fired in this window, at this price. */
  triggeredAt?: number;
  /** A trailing stop's reference moved to this price. */
  trailingReference?: number;
  execution?: PaperExecutionTerms;
}

/** Whether `price` reaches `limit` for the side, under the rule. */
export function reachesLimit(side: OrderSide, price: number, limit: number, rule: LimitFillRule): boolean {
  if (side === 'buy') return rule === 'touch' ? price <= limit : price < limit;
  return rule === 'touch' ? price >= limit : price > limit;
}

/** The trailing stop's trigger price for a reference: a sell trails below the high-water mark, a buy above the low. */
export function trailingStopPrice(state: PaperOrderState, reference: number): number {
  const sell = state.side === 'sell';
  if (state.trailingAmount !== undefined)
    return sell ? reference - state.trailingAmount : reference + state.trailingAmount;
  const pct = (state.trailingPercent ?? 0) / 100;
  return sell ? reference * (1 - pct) : reference * (1 + pct);
}

function limitDecision(
  state: PaperOrderState,
  window: PriceWindow,
  rule: LimitFillRule,
  limit: number,
): PaperOrderDecision {
  const buy = state.side === 'buy';
  // A new order that is already marketable takes liquidity at the first price, slipped but never beyond its limit.
  if (!state.rested && reachesLimit(state.side, window.first, limit, rule)) {
    return { execution: { referencePrice: window.first, liquidity: 'taker', aggressive: true, limit } };
  }
  // A resting order is filled at its own price when the market reaches it within the window.
  if (reachesLimit(state.side, buy ? window.low : window.high, limit, rule)) {
    return { execution: { referencePrice: limit, liquidity: 'maker', aggressive: false } };
  }
  return {};
}

const marketTerms = (price: number): PaperExecutionTerms => ({
  referencePrice: price,
  liquidity: 'taker',
  aggressive: true,
});

/**
 * Decides what one window does to one order. Fill rules:
 * - market: the window's first price (next bar's open, the next trade, the touch of the next quote), taker, slipped;
 * - limit: see limitDecision — marketable on arrival: taker at the first price capped at the limit; resting: maker at
 *   the limit once the market reaches it (LimitFillRule);
 * - stop: triggers when the market trades at or beyond the stop (a touch triggers), at the stop or at the first price
 *   if the window opened beyond it (a gap), then executes as a market order from that price;
 * - stop-limit: triggers like a stop; if the trigger price is within the limit it executes there (taker, capped at the
 *   limit), otherwise it rests as a limit order from the next window;
 * - trailing-stop: trails the best price seen (its reference), checking the trigger against the reference of earlier
 *   windows first (the path inside a bar is unknown, so the conservative order is: stop hit, then new extreme); when
 *   triggered it executes like a stop.
 * Pure.
 */
export function evaluatePaperOrder(
  state: PaperOrderState,
  window: PriceWindow,
  rule: LimitFillRule,
): PaperOrderDecision {
  const buy = state.side === 'buy';
  switch (state.type) {
    case 'market':
      return { execution: marketTerms(window.first) };
    case 'limit':
      return limitDecision(state, window, rule, state.price as number);
    case 'stop':
    case 'stop-limit': {
      if (state.triggered) {
        return state.type === 'stop'
          ? { execution: marketTerms(window.first) }
          : limitDecision(state, window, rule, state.price as number);
      }
      const stop = state.stopPrice as number;
      const hit = buy ? window.high >= stop : window.low <= stop;
      if (!hit) return {};
      const triggerPrice = buy ? Math.max(window.first, stop) : Math.min(window.first, stop);
      if (state.type === 'stop') return { triggeredAt: triggerPrice, execution: marketTerms(triggerPrice) };
      const limit = state.price as number;
      const withinLimit = buy ? triggerPrice <= limit : triggerPrice >= limit;
      return withinLimit
        ? { triggeredAt: triggerPrice, execution: { ...marketTerms(triggerPrice), limit } }
        : { triggeredAt: triggerPrice };
    }
    case 'trailing-stop': {
      if (state.triggered) return { execution: marketTerms(window.first) };
      const reference = state.trailingReference ?? window.first;
      const initialised = state.trailingReference === undefined ? reference : undefined;
      const stop = trailingStopPrice(state, reference);
      const hit = buy ? window.high >= stop : window.low <= stop;
      if (hit) {
        const triggerPrice = buy ? Math.max(window.first, stop) : Math.min(window.first, stop);
        return {
          triggeredAt: triggerPrice,
          ...(initialised === undefined ? {} : { trailingReference: initialised }),
          execution: marketTerms(triggerPrice),
        };
      }
      const next = buy ? Math.min(reference, window.low) : Math.max(reference, window.high);
      return next !== state.trailingReference ? { trailingReference: next } : {};
    }
  }
}
