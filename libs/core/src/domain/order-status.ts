export const ORDER_STATUSES = [
  'pending-new',
  'accepted',
  'partially-filled',
  'filled',
  'cancelled',
  'rejected',
  'expired',
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Statuses after which the venue will do nothing more with the order. */
export const TERMINAL_ORDER_STATUSES: readonly OrderStatus[] = Object.freeze([
  'filled',
  'cancelled',
  'rejected',
  'expired',
]);

export function isOrderStatus(value: unknown): value is OrderStatus {
  return typeof value === 'string' && (ORDER_STATUSES as readonly string[]).includes(value);
}

export function isTerminalOrderStatus(status: OrderStatus): boolean {
  return TERMINAL_ORDER_STATUSES.includes(status);
}
