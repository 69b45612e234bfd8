import { ConflictError, type OrderStatus } from '@rrr/core';

/** An order was asked to move between two statuses the lifecycle does not connect (e.g. filled → cancelled). */
export class OrderTransitionError extends ConflictError {
  readonly orderId: string;
  readonly from: OrderStatus;
  readonly to: OrderStatus;

  constructor(orderId: string, from: OrderStatus, to: OrderStatus, reason?: string) {
    super(`order ${orderId}: illegal transition ${from} → ${to}${reason === undefined ? '' : ` (${reason})`}`, {
      orderId,
      from,
      to,
    });
    this.orderId = orderId;
    this.from = from;
    this.to = to;
  }
}
