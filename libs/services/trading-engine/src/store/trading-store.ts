import type { Fill, FieldProblem, OrderStatus } from '@rrr/core';
import type { OmsOrder } from '../orders/oms-order';
import type { EquityObservation } from '../portfolio/equity-returns';
import type { PortfolioSnapshot } from '../portfolio/portfolio';
import type { TradingPosition } from '../positions/trading-position';

/** An order row to write: `expectedVersion` null inserts it; a number updates the row only if it still has it. */
export interface OrderWrite {
  order: OmsOrder;
  expectedVersion: number | null;
}

/** A position with the mark it was last valued at. */
export interface PositionWrite {
  position: TradingPosition;
  markPrice?: number;
}

export interface BalanceWrite {
  currency: string;
  amount: number;
  ts: number;
}

/** The one record an order refused before it became an order leaves behind (ORDER_INVALID or RISK_REJECTED). */
export interface OrderRejectionRecord {
  ts: number;
  code: string;
  clientOrderId?: string;
  symbol?: string;
  message: string;
  problems: FieldProblem[];
  /** The request as it was received. */
  request: unknown;
}

/** Everything one state change writes, atomically: all of it or none of it. */
export interface TradingStoreChanges {
  orders?: OrderWrite[];
  fills?: Fill[];
  positions?: PositionWrite[];
  balances?: BalanceWrite[];
  rejections?: OrderRejectionRecord[];
  snapshots?: PortfolioSnapshot[];
}

/** What a restart reads back. */
export interface StoredTradingState {
  /** Orders not yet terminal (pending-new, accepted, partially-filled), oldest first. */
  workingOrders: OmsOrder[];
  positions: TradingPosition[];
  marks: Record<string, number>;
  /** The ledger; empty before the first write (the engine then seeds it with its initial cash). */
  balances: Record<string, number>;
  /** Ids issued so far, so a restarted engine continues its sequences instead of reusing them. */
  lastOrderId?: string;
  lastFillId?: string;
}

export interface OrderQuery {
  symbol?: string;
  status?: OrderStatus | readonly OrderStatus[];
  /** Only orders created at or after this instant. */
  since?: number;
  /** Default 1,000. */
  limit?: number;
  /** Newest first (the `limit` most recent); default oldest first. */
  newestFirst?: boolean;
}

export interface FillQuery {
  orderId?: string;
  symbol?: string;
  limit?: number;
  /** Newest first (the `limit` most recent); default in the order the fills were applied. */
  newestFirst?: boolean;
}

/**
 * Where the engine's state lives. `write` is the only mutation: it applies one change set atomically and in call
 * order, checking each order update against the version it expects (CONFLICT otherwise, and then nothing of that
 * write is applied). The engine acknowledges nothing before `write` resolves.
 */
export interface TradingStore {
  write(changes: TradingStoreChanges): Promise<void>;
  /**
   * `write` for a store that applies a change set at once (in memory): done when it returns, CONFLICT thrown. The
   * engine uses it when present, so its orders need not wait a microtask turn per write; same semantics as `write`.
   */
  writeNow?(changes: TradingStoreChanges): void;
  /** Resolves once every write issued so far has settled. */
  flush(): Promise<void>;
  loadState(): Promise<StoredTradingState>;
  getOrder(id: string): Promise<OmsOrder | undefined>;
  /** May answer at once (in memory). */
  findOrderByClientOrderId(clientOrderId: string): OmsOrder | undefined | Promise<OmsOrder | undefined>;
  listOrders(query?: OrderQuery): Promise<OmsOrder[]>;
  listFills(query?: FillQuery): Promise<Fill[]>;
  listRejections(limit?: number): Promise<OrderRejectionRecord[]>;
  /** Equity observations from portfolio_snapshots at or after `since`, oldest first. */
  loadEquityHistory(since: number): Promise<EquityObservation[]>;
}
