import type { OrderRequest, RrrError } from '@rrr/core';
import type { RiskSnapshot } from '@rrr/risk-management';

/** A pre-trade verdict: approved, or the error to reject with (RISK_REJECTED, or ORDER_INVALID naming the field). */
export interface PreTradeVerdict {
  approved: boolean;
  rejection?: RrrError;
}

/**
 * What the engine asks of pre-trade risk: one pure evaluation of an order against a snapshot of the book. The OMS
 * asks only about requests that passed validateOrderRequest, so the check need not validate them again. The
 * risk-management PreTradeRiskEngine fits as is; tests and backtests without limits use allowAllPreTradeCheck.
 */
export interface PreTradeCheck {
  check(order: OrderRequest, snapshot: RiskSnapshot): PreTradeVerdict;
}

/** Approves everything: for backtests that study a strategy without limits. */
export const allowAllPreTradeCheck: PreTradeCheck = { check: () => ({ approved: true }) };
