import { ConflictError, orderRemainingQuantity, type Fill } from '@rrr/core';
import type { OmsOrder } from './oms-order';
import { copyOrder } from './copy-order';
import { assertOrderTransition } from './order-transitions';

/** Relative slack when a fill completes an order: partial quantities summed in binary floating point miss by an ulp. */
const COMPLETION_TOLERANCE = 1e-9;

/**
 * The order after one execution: cumulative quantity, quantity-weighted average price, and status partially-filled
 * or filled. Throws CONFLICT for a fill of another order, a fill larger than what remains, or a fill in a status
 * that cannot take one (terminal or pending-new). Pure.
 */
export function applyFillToOrder(order: OmsOrder, fill: Fill): OmsOrder {
  if (fill.orderId !== order.id) {
    throw new ConflictError(`fill ${fill.id} belongs to order ${fill.orderId}, not ${order.id}`, {
      fillId: fill.id,
      orderId: order.id,
    });
  }
  const remaining = orderRemainingQuantity(order);
  if (fill.quantity > remaining * (1 + COMPLETION_TOLERANCE)) {
    throw new ConflictError(
      `fill ${fill.id} of ${fill.quantity} exceeds the ${remaining} remaining on order ${order.id}`,
      { fillId: fill.id, orderId: order.id, remaining, quantity: fill.quantity },
    );
  }
  const filled = order.filledQuantity + fill.quantity;
  const complete = Math.abs(filled - order.quantity) <= COMPLETION_TOLERANCE * order.quantity;
  const status = complete ? 'filled' : 'partially-filled';
  assertOrderTransition(order, status);
  const previousValue = order.averageFillPrice === null ? 0 : order.averageFillPrice * order.filledQuantity;
  const next = copyOrder(order);
  next.status = status;
  next.filledQuantity = complete ? order.quantity : filled;
  next.averageFillPrice = (previousValue + fill.price * fill.quantity) / filled;
  next.updatedAt = Math.max(fill.ts, order.updatedAt);
  next.version = order.version + 1;
  return next;
}
