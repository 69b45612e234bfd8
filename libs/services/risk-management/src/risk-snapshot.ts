import type { Order, OrderStatus, Position } from '@rrr/core';
import type { EquityPoint } from './period-losses';

/** What risk needs of a position; a core `Position` fits. */
export type RiskPosition = Pick<Position, 'symbol' | 'quantity'> & Partial<Pick<Position, 'averagePrice'>>;

/** What risk needs of a working order; a core `Order` fits. Orders in a terminal status are ignored. */
export type RiskOpenOrder = Pick<Order, 'symbol' | 'side' | 'quantity'> &
  Partial<Pick<Order, 'id' | 'clientOrderId' | 'filledQuantity' | 'status' | 'reduceOnly'>>;

/**
 * The book as plain data, at one instant. Risk holds no state of the account: the OMS (live) or the backtester
 * (simulated) builds this from its own positions and marks, so both run exactly the same checks.
 */
export interface RiskSnapshot {
  /** Cash + positions at mark, in the account currency. */
  equity: number;
  cash: number;
  positions: readonly RiskPosition[];
  /** Last price per symbol, in the account currency. Every symbol with a position must have one. */
  marks: Readonly<Record<string, number>>;
  openOrders: readonly RiskOpenOrder[];
  /** Epoch ms UTC of the snapshot: the simulated time in a backtest. */
  now: number;
  /** Equity over time, ascending by ts, reaching back at least to the start of the month (for the loss limits). */
  equityHistory?: readonly EquityPoint[];
}

const WORKING_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>([
  'pending-new',
  'accepted',
  'partially-filled',
]);

/** An order without a status is taken as working: risk errs towards counting exposure that may not exist. */
export function isWorkingOrder(order: RiskOpenOrder): boolean {
  return order.status === undefined || WORKING_STATUSES.has(order.status);
}

/** Quantity still to fill, never negative. */
export function workingQuantity(order: RiskOpenOrder): number {
  const remaining = order.quantity - (order.filledQuantity ?? 0);
  return remaining > 0 ? remaining : 0;
}
