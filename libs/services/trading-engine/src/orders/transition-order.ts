import type { OrderStatus } from '@rrr/core';
import type { OmsOrder } from './oms-order';
import { copyOrder } from './copy-order';
import { assertOrderTransition } from './order-transitions';

/** Fields a status change may set alongside the status. */
export type OrderTransitionPatch = Partial<
  Pick<OmsOrder, 'rejectReason' | 'exchangeOrderId' | 'triggeredAt' | 'trailingReference' | 'quantity'>
>;

/**
 * The order moved to `to` at `ts`: a new object with the next version. Throws OrderTransitionError (CONFLICT, naming
 * from and to) when the lifecycle does not allow the move. Pure.
 */
export function transitionOrder(
  order: OmsOrder,
  to: OrderStatus,
  ts: number,
  patch: OrderTransitionPatch = {},
): OmsOrder {
  assertOrderTransition(order, to);
  return nextVersion(order, patch, to, ts);
}

/** A copy of `order` with `patch` and the next version. */
function nextVersion(order: OmsOrder, patch: Partial<OmsOrder>, status: OmsOrder['status'], ts: number): OmsOrder {
  const next = copyOrder(order);
  for (const key of Object.keys(patch) as (keyof OmsOrder)[])
    (next as unknown as Record<string, unknown>)[key] = patch[key];
  next.status = status;
  next.updatedAt = Math.max(ts, order.updatedAt);
  next.version = order.version + 1;
  return next;
}

/** The order with non-status fields changed (trigger state, trailing reference, modification): next version. Pure. */
export function reviseOrder(order: OmsOrder, ts: number, patch: Partial<OmsOrder>): OmsOrder {
  return nextVersion(order, patch, order.status, ts);
}
