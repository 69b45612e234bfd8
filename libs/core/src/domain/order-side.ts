export const ORDER_SIDES = ['buy', 'sell'] as const;
export type OrderSide = (typeof ORDER_SIDES)[number];

export function isOrderSide(value: unknown): value is OrderSide {
  return value === 'buy' || value === 'sell';
}

export function oppositeSide(side: OrderSide): OrderSide {
  return side === 'buy' ? 'sell' : 'buy';
}

/** Quantity as a position change: + for a buy, − for a sell (`0 - q` so a zero sell is 0, not −0). */
export function signedQuantity(side: OrderSide, quantity: number): number {
  return side === 'buy' ? quantity : 0 - quantity;
}
