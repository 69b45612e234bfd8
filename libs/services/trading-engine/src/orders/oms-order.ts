import type { Order } from '@rrr/core';

/** Which leg of a bracket an exit order is; the entry carries the `bracket` prices, its exits carry `parentId`. */
export type BracketRole = 'stop-loss' | 'take-profit';

/**
 * An order as the engine holds and stores it: the core Order plus what the lifecycle, persistence and recovery need.
 * Plain data; every change produces a new object with `version` + 1 (the store's optimistic-concurrency check).
 */
export interface OmsOrder extends Order {
  /** Incremented by every persisted change; an update must name the version it replaces. */
  version: number;
  /** The exchange adapter that executes it (`paper`, `binance`…). */
  venue: string;
  /** The venue's own id, once it acknowledged the order. */
  exchangeOrderId?: string;
  /** The strategy whose signal produced it, when one did. */
  strategyId?: string;
  /** The entry order of the bracket this exit belongs to. */
  parentId?: string;
  bracketRole?: BracketRole;
  /** DAY orders: the session end after which the order expires (epoch ms). */
  expiresAt?: number;
  /** Stop, stop-limit and trailing-stop orders: when the trigger fired. */
  triggeredAt?: number;
  /** Trailing stops: the best price seen since the order became live (highest for a sell, lowest for a buy). */
  trailingReference?: number;
  /** Canonical form of the request it was created from (idempotency of client order ids). */
  requestFingerprint: string;
}

/** True while the venue may still fill it (or, for a held bracket exit, release it). */
export function isWorkingOmsOrder(order: Pick<OmsOrder, 'status'>): boolean {
  return order.status === 'pending-new' || order.status === 'accepted' || order.status === 'partially-filled';
}
