import type { Bar, FillLiquidity, Quote, Trade } from '@rrr/core';
import type { OmsOrder } from '../orders/oms-order';
import type { Balances } from '../portfolio/balances';

/** One execution as a venue reports it; the engine turns it into a core Fill with its own id. */
export interface VenueExecution {
  orderId: string;
  quantity: number;
  price: number;
  fee: number;
  feeCurrency: string;
  liquidity: FillLiquidity;
  ts: number;
  /** The venue's trade id, when it reports one. */
  venueFillId?: string;
}

/**
 * What a venue tells the engine about orders it holds, unprompted. Everything here happens at the venue first; the
 * engine validates it against the order's lifecycle, persists it, and only then publishes it.
 */
export type ExecutionEvent =
  | { type: 'fill'; execution: VenueExecution }
  | { type: 'cancelled'; orderId: string; ts: number; reason: string }
  | { type: 'expired'; orderId: string; ts: number }
  | { type: 'rejected'; orderId: string; ts: number; reason: string }
  | { type: 'triggered'; orderId: string; ts: number }
  | { type: 'trailing-reference'; orderId: string; ts: number; reference: number };

export type ExecutionListener = (event: ExecutionEvent) => void;

/** The venue's answer to a new order. */
export type VenueAck =
  | { accepted: true; ts: number; exchangeOrderId?: string }
  | { accepted: false; ts: number; reason: string };

/** The venue's answer to a cancel: refused when the order is no longer working there (filled meanwhile). */
export type CancelAck = { cancelled: true; ts: number } | { cancelled: false; ts: number; reason: string };

export interface ExchangeCapabilities {
  /**
   * The venue lives in this process (the paper exchange): an order it holds dies with the process, so the engine
   * need not wait for the pending-new record to commit before handing the order over — pending-new and the venue's
   * answer then commit together, still before the acknowledgement. A remote venue gets only orders already durable.
   */
  inProcess: boolean;
  /** The venue itself cancels a bracket's other exit when one fills (else the engine asks it to). */
  nativeOco: boolean;
  /** modify() is supported (else the engine answers CONFLICT: cancel and resubmit). */
  modify: boolean;
  /**
   * The venue fills orders placed on a bar at that bar's close (`onBarClose`), as a backtest's optimistic fill
   * timing assumes; absent or false: orders placed on a bar trade from the next piece of market data on.
   */
  fillsAtBarClose?: boolean;
}

/** Where the ledger handed to `ExchangeAdapter.restore` comes from. */
export interface LedgerAtStart {
  /** The account currency: the one the ledger's cash is counted in. */
  currency: string;
  /**
   * true: the engine's store held neither a ledger nor working orders, and the ledger is its initial cash: nothing of
   * it is spent or locked at the venue yet. false: a restart; the ledger was read back from the store (or is still
   * the initial cash, with working orders placed before the restart locking part of it).
   */
  firstStart: boolean;
}

/**
 * The edge between the engine and a venue: the paper exchange in backtests and paper trading, a ccxt venue live. The
 * engine is the only caller; it registers one listener, sends orders it has already persisted, and feeds market data
 * to venues that simulate matching (live venues ignore it).
 */
export interface ExchangeAdapter {
  readonly venue: string;
  readonly capabilities: ExchangeCapabilities;
  setListener(listener: ExecutionListener): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** An in-process venue may answer at once (the paper exchange); a remote one returns a promise. */
  submit(order: OmsOrder): VenueAck | Promise<VenueAck>;
  cancel(order: OmsOrder): Promise<CancelAck>;
  /** Replaces the working order's quantity / prices with the modified ones. */
  modify(order: OmsOrder): Promise<void>;
  /**
   * At each start, once `start()` has resolved: the orders the engine's store says are working at this venue, and the
   * engine's ledger. A simulated venue re-books them; a real one reconciles them against what it reports, and may
   * refuse (throw) a ledger the account cannot hold.
   */
  restore(workingOrders: readonly OmsOrder[], balances: Readonly<Balances>, ledger: LedgerAtStart): Promise<void>;
  /**
   * A real venue, once started: the free amount of each asset the account held at start, next to which the ledger
   * holds only the engine's share (the service's health shows it). Simulated venues have no account beyond the ledger.
   */
  balancesAtStart?(): Balances;
  onBar?(bar: Bar): void;
  onTrade?(trade: Trade): void;
  onQuote?(quote: Quote): void;
  /** The strategies have acted on `bar` (venues with `fillsAtBarClose` match the new orders at its close). */
  onBarClose?(bar: Bar): void;
  /** Expires DAY orders whose session ended at or before `now` (simulated venues; market data does it too). */
  expireDue?(now: number): void;
}
