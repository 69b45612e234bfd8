import { isValidSymbol, RiskRejectedError, ValidationError, type FieldProblem, type RrrError } from '@rrr/core';
import type { OrderRejectionRecord } from '../store/trading-store';

/** Risk rules that limit the size of the book: a rejection by one of them is about the order's quantity. */
const SIZE_RULES = new Set([
  'max-order-notional',
  'max-position',
  'max-open-positions',
  'max-leverage',
  'max-concentration',
]);

/**
 * The fields a rejection is about: a ValidationError names them itself; a risk rule about exposure names
 * `quantity` (the size is what breaches the limit); a halt or loss limit concerns the account, not a field.
 */
export function rejectionProblems(error: RrrError): FieldProblem[] {
  if (error instanceof ValidationError) return [...error.problems];
  if (error instanceof RiskRejectedError) {
    const details = (error.details ?? {}) as { rule?: string; reason?: string; value?: unknown };
    const field = details.rule !== undefined && SIZE_RULES.has(details.rule) ? 'quantity' : '(account)';
    return [{ field, message: error.message, ...(details.value === undefined ? {} : { value: details.value }) }];
  }
  return [{ field: '(root)', message: error.message }];
}

/** The record an order refused before it became an order leaves behind. */
export function orderRejectionRecord(error: RrrError, request: unknown, ts: number): OrderRejectionRecord {
  const fields = typeof request === 'object' && request !== null ? (request as Record<string, unknown>) : {};
  const clientOrderId = typeof fields.clientOrderId === 'string' ? fields.clientOrderId.slice(0, 64) : undefined;
  return {
    ts,
    code: error.code,
    ...(clientOrderId === undefined ? {} : { clientOrderId }),
    ...(isValidSymbol(fields.symbol) ? { symbol: fields.symbol } : {}),
    message: error.message,
    problems: rejectionProblems(error),
    request,
  };
}
