import type { OrderStatus } from '@rrr/core';
import type { OmsOrder } from './oms-order';
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
  return { ...order, ...patch, status: to, updatedAt: Math.max(ts, order.updatedAt), version: order.version + 1 };
}

/** The order with non-status fields changed (trigger state, trailing reference, modification): next version. Pure. */
export function reviseOrder(order: OmsOrder, ts: number, patch: Partial<OmsOrder>): OmsOrder {
  return {
    ...order,
    ...patch,
    status: order.status,
    updatedAt: Math.max(ts, order.updatedAt),
    version: order.version + 1,
  };
}
