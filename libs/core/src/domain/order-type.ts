export const ORDER_TYPES = ['market', 'limit', 'stop', 'stop-limit', 'trailing-stop'] as const;
export type OrderType = (typeof ORDER_TYPES)[number];

export function isOrderType(value: unknown): value is OrderType {
  return typeof value === 'string' && (ORDER_TYPES as readonly string[]).includes(value);
}

/** Limit and stop-limit orders carry a limit `price`; no other type may. */
export function orderTypeTakesPrice(type: OrderType): boolean {
  return type === 'limit' || type === 'stop-limit';
}

/** Stop and stop-limit orders carry a trigger `stopPrice`; no other type may. */
export function orderTypeTakesStopPrice(type: OrderType): boolean {
  return type === 'stop' || type === 'stop-limit';
}
