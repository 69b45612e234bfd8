import type { OrderStatus } from '@rrr/core';
import { OrderTransitionError } from './order-transition-error';

/**
 * The order lifecycle. pending-new is the engine's own record of an order it has not yet had acknowledged (or, for a
 * bracket exit, not yet released to the venue); everything after it mirrors what the venue reported.
 *
 * - pending-new → accepted | rejected | cancelled | expired (a held bracket exit is cancelled or expires unsent)
 * - accepted → partially-filled | filled | cancelled | expired | rejected (a venue may refuse an acknowledged order
 *   before anything fills, e.g. for want of balance at execution)
 * - partially-filled → partially-filled | filled | cancelled | expired
 * - filled, cancelled, rejected, expired: terminal
 */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = Object.freeze({
  'pending-new': ['accepted', 'rejected', 'cancelled', 'expired'],
  accepted: ['partially-filled', 'filled', 'cancelled', 'expired', 'rejected'],
  'partially-filled': ['partially-filled', 'filled', 'cancelled', 'expired'],
  filled: [],
  cancelled: [],
  rejected: [],
  expired: [],
});

export function canTransitionOrder(from: OrderStatus, to: OrderStatus): boolean {
  return ORDER_TRANSITIONS[from].includes(to);
}

/** Throws OrderTransitionError (CONFLICT) naming the order, from and to, unless the lifecycle allows the move. */
export function assertOrderTransition(order: { id: string; status: OrderStatus }, to: OrderStatus): void {
  if (!canTransitionOrder(order.status, to)) throw new OrderTransitionError(order.id, order.status, to);
}
