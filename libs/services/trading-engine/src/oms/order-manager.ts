import {
  ConflictError,
  DEFAULT_TIME_IN_FORCE,
  errorMessage,
  NotFoundError,
  RiskRejectedError,
  RrrError,
  isRrrError,
  isTerminalOrderStatus,
  oppositeSide,
  signedQuantity,
  validateOrderRequest,
  ValidationError,
  type Bar,
  type Clock,
  type FieldProblem,
  type Fill,
  type OrderRequest,
  type OrderStatus,
  type PlatformTopics,
  type Quote,
  type Trade,
} from '@rrr/core';
import type { KillSwitchAction, RiskOpenOrder, RiskSnapshot } from '@rrr/risk-management';
import type { ExchangeAdapter, ExecutionEvent, VenueAck, VenueExecution } from '../exchange/exchange-adapter';
import { applyFillToOrder } from '../orders/apply-fill-to-order';
import { isWorkingOmsOrder, type OmsOrder } from '../orders/oms-order';
import { applyOrderModification, type OrderModification } from '../orders/order-modification';
import { orderRequestFingerprint } from '../orders/order-request-fingerprint';
import { OrderTransitionError } from '../orders/order-transition-error';
import { assertOrderTransition } from '../orders/order-transitions';
import { dailySessionCalendar, type SessionCalendar } from '../orders/session-calendar';
import { reviseOrder, transitionOrder } from '../orders/transition-order';
import type { Portfolio } from '../portfolio/portfolio';
import { allowAllPreTradeCheck, type PreTradeCheck } from '../risk/pre-trade-check';
import type { OrderQuery, OrderWrite, TradingStore, TradingStoreChanges } from '../store/trading-store';
import { isPromise, type MaybePromise } from './maybe-promise';
import { orderRejectionRecord, rejectionProblems } from './order-rejection';
import { sequentialIds, type IdGenerator } from './sequential-ids';
import { symbolParts } from '../portfolio/symbol-parts';

/** Topics the engine publishes on, each after the change it reports has been persisted. */
export type TradingTopic =
  | 'order.submitted'
  | 'order.accepted'
  | 'order.rejected'
  | 'order.filled'
  | 'order.cancelled'
  | 'order.expired'
  | 'fill'
  | 'position';

export type TradingEventPublisher = <K extends TradingTopic>(topic: K, payload: PlatformTopics[K]) => void;

/** The logging the engine does; a pino logger fits. */
export interface TradingLogger {
  info(context: Record<string, unknown>, message: string): void;
  warn(context: Record<string, unknown>, message: string): void;
  error(context: Record<string, unknown>, message: string): void;
}

const silentLogger: TradingLogger = { info: () => undefined, warn: () => undefined, error: () => undefined };

export interface OrderManagerOptions {
  store: TradingStore;
  exchange: ExchangeAdapter;
  portfolio: Portfolio;
  clock: Clock;
  risk?: PreTradeCheck;
  publish?: TradingEventPublisher;
  /** Where DAY orders end; default: daily close 00:00 UTC. */
  sessions?: SessionCalendar;
  ids?: IdGenerator;
  /** The tradable universe; any other symbol is ORDER_INVALID. Omitted: any symbol quoted in the account currency. */
  symbols?: readonly string[];
  logger?: TradingLogger;
  /** Terminal orders kept in memory for getOrder and idempotent retries (older ones are read from the store). */
  recentOrderCache?: number;
  /** Told once, when a failed write stops the engine (so its owner can restart it from the database). */
  onFailure?: (error: RrrError) => void;
}

export interface SubmitOrderOptions {
  /** The strategy behind the order, stored with it. */
  strategyId?: string;
}

type Publication = [TradingTopic, PlatformTopics[TradingTopic]];

const STATUS_TOPIC: Partial<Record<OrderStatus, TradingTopic>> = {
  accepted: 'order.accepted',
  rejected: 'order.rejected',
  filled: 'order.filled',
  cancelled: 'order.cancelled',
  expired: 'order.expired',
};

/**
 * The order management system: owns every order's lifecycle and the book it moves.
 *
 * - submitOrder validates (ORDER_INVALID naming the field), applies client-order-id idempotency, checks reduce-only
 *   and pre-trade risk (RISK_REJECTED), then persists the order as pending-new BEFORE sending it to the venue, and
 *   resolves once the venue's answer (accepted / rejected) is persisted too. A refused order leaves only its
 *   rejection record.
 * - Venue events (fills, cancels, expiries, triggers) are checked against the lifecycle, applied to the order, the
 *   position and both balances of the pair, written in one atomic change set, and published only after it committed.
 * - Bracket exits are stored with the entry and released to the venue when the entry fills (or ends partly filled),
 *   sized to what filled; the first fill of one cancels the other.
 * A failed write stops the engine (health down, every call refused): memory may then be ahead of the database, and
 * only a restart, which rebuilds from the database, is safe.
 */
export class OrderManager {
  private readonly store: TradingStore;
  private readonly exchange: ExchangeAdapter;
  private readonly portfolio: Portfolio;
  private readonly clock: Clock;
  private readonly risk: PreTradeCheck;
  private readonly publishEvent: TradingEventPublisher | undefined;
  private readonly sessions: SessionCalendar;
  private readonly ids: IdGenerator;
  private readonly symbols: ReadonlySet<string> | null;
  private readonly logger: TradingLogger;
  private readonly recentLimit: number;
  private readonly onFailure: ((error: RrrError) => void) | undefined;

  private readonly working = new Map<string, OmsOrder>();
  /** Reduce-only orders working at the venue, per symbol: the ones a position change may leave stale. */
  private readonly reduceOnlyAtVenue = new Map<string, Set<string>>();
  /** What pre-trade risk sees of each working order; orders are immutable, so one view per order object. */
  private readonly riskViews = new WeakMap<OmsOrder, RiskOpenOrder>();
  private readonly recent = new Map<string, OmsOrder>();
  private readonly clientOrderIds = new Map<string, string>();
  private readonly clientOrderIdLocks = new Map<string, Promise<void>>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private followUps: Array<() => Promise<void>> = [];
  private followUpsRunning: Promise<void> | undefined;
  private marketDepth = 0;
  private failure: RrrError | undefined;

  constructor(options: OrderManagerOptions) {
    this.store = options.store;
    this.exchange = options.exchange;
    this.portfolio = options.portfolio;
    this.clock = options.clock;
    this.risk = options.risk ?? allowAllPreTradeCheck;
    this.publishEvent = options.publish;
    this.sessions = options.sessions ?? dailySessionCalendar();
    this.ids = options.ids ?? sequentialIds();
    this.symbols = options.symbols === undefined ? null : new Set(options.symbols);
    this.logger = options.logger ?? silentLogger;
    this.recentLimit = options.recentOrderCache ?? 10_000;
    this.onFailure = options.onFailure;
    this.exchange.setListener((event) => this.onExecution(event));
  }

  /** Why the engine stopped, when a write failed. */
  get failed(): RrrError | undefined {
    return this.failure;
  }

  get venue(): string {
    return this.exchange.venue;
  }

  // ---------------------------------------------------------------- recovery

  /**
   * Rebuilds the book from the store: ledger, positions, marks, working orders and id sequences exactly as
   * committed (until the first fill writes one, the ledger is the initial cash); re-books the venue's working orders
   * there; then settles what a crash left half-done — an order persisted but never acknowledged is sent again (venues
   * de-duplicate by client order id), and bracket exits whose entry already ended are released or cancelled.
   */
  async recover(equityHistorySince = 0): Promise<void> {
    const state = await this.store.loadState();
    this.ids.resumeAfter({ orderId: state.lastOrderId, fillId: state.lastFillId });
    const ledgerStored = Object.keys(state.balances).length > 0;
    const balances = ledgerStored ? state.balances : { [this.portfolio.quoteCurrency]: this.portfolio.initialCash };
    // Orders already working (placed before a restart, none filled yet) lock part of the cash at a real venue.
    const firstStart = !ledgerStored && state.workingOrders.length === 0;
    this.portfolio.restore({
      balances,
      positions: state.positions,
      marks: state.marks,
      equityHistory: await this.store.loadEquityHistory(equityHistorySince),
    });
    this.working.clear();
    for (const order of state.workingOrders) this.remember(order);
    await this.exchange.restore(
      state.workingOrders.filter((o) => o.status !== 'pending-new'),
      balances,
      { currency: this.portfolio.quoteCurrency, firstStart },
    );
    for (const order of state.workingOrders) {
      if (order.status !== 'pending-new') continue;
      if (order.parentId === undefined) {
        await this.send(order);
        continue;
      }
      const parent = this.working.get(order.parentId) ?? (await this.store.getOrder(order.parentId));
      if (parent !== undefined && isTerminalOrderStatus(parent.status)) await this.settleExits(parent);
    }
  }

  // ---------------------------------------------------------------- queries

  getWorkingOrders(): OmsOrder[] {
    return [...this.working.values()].map((o) => ({ ...o }));
  }

  async getOrder(id: string): Promise<OmsOrder> {
    const known = this.working.get(id) ?? this.recent.get(id) ?? (await this.store.getOrder(id));
    if (known === undefined) throw new NotFoundError('order', id);
    return { ...known };
  }

  async listOrders(query: OrderQuery = {}): Promise<OmsOrder[]> {
    return this.store.listOrders(query);
  }

  /** Resolves once every change so far is persisted and every follow-up (exit release, OCO cancel) has run. */
  async flush(): Promise<void> {
    await this.runFollowUps();
    await Promise.all([...this.inFlight.values()]);
    await this.store.flush();
  }

  // ---------------------------------------------------------------- submit

  /**
   * Submits an order. Resolves with the order once the venue's acknowledgement is persisted: status accepted (or
   * later, if it already filled), or rejected by the venue (reason in rejectReason). Throws ValidationError
   * (ORDER_INVALID, naming each field) or RiskRejectedError (RISK_REJECTED, details.field) for a refused request,
   * which leaves only a rejection record; ConflictError when the client order id names a different request.
   */
  async submitOrder(input: unknown, options: SubmitOrderOptions = {}): Promise<OmsOrder> {
    return this.submitOrderNow(input, options);
  }

  /**
   * submitOrder, answering at once when the store and the venue do (the in-memory store and the paper exchange, as in
   * a backtest), else with a promise: the same checks, the same writes in the same order, the order acknowledged only
   * after its writes were applied. A refused request then throws instead of rejecting.
   */
  submitOrderNow(input: unknown, options: SubmitOrderOptions = {}): MaybePromise<OmsOrder> {
    this.assertHealthy();
    const clientOrderId = (input as { clientOrderId?: unknown } | null)?.clientOrderId;
    if (typeof clientOrderId !== 'string') return this.submitRequest(input, options);
    return this.withClientOrderIdLock(clientOrderId, () => this.submitRequest(input, options, clientOrderId));
  }

  private submitRequest(input: unknown, options: SubmitOrderOptions, clientOrderId?: string): MaybePromise<OmsOrder> {
    const now = this.clock.now();
    const problems = this.validate(input);
    if (problems.length > 0) {
      return this.refuse(new ValidationError('order request', problems, 'ORDER_INVALID'), input, now);
    }
    const request = input as OrderRequest;
    const fingerprint = orderRequestFingerprint(request);
    if (clientOrderId === undefined) return this.placeOrder(input, request, fingerprint, now, options);
    const existing = this.findByClientOrderId(clientOrderId);
    if (isPromise(existing)) {
      return existing.then((found) =>
        this.retryOrPlace(found, clientOrderId, input, request, fingerprint, now, options),
      );
    }
    return this.retryOrPlace(existing, clientOrderId, input, request, fingerprint, now, options);
  }

  /** A client order id already known answers with its order (same request) or CONFLICT; a new one is placed. */
  private retryOrPlace(
    existing: OmsOrder | undefined,
    clientOrderId: string,
    input: unknown,
    request: OrderRequest,
    fingerprint: string,
    now: number,
    options: SubmitOrderOptions,
  ): MaybePromise<OmsOrder> {
    if (existing === undefined) return this.placeOrder(input, request, fingerprint, now, options);
    if (existing.requestFingerprint !== fingerprint) {
      throw new ConflictError(
        `client order id ${clientOrderId} already names order ${existing.id}, submitted with a different request`,
        { clientOrderId, orderId: existing.id },
      );
    }
    const current = (): OmsOrder => ({
      ...(this.working.get(existing.id) ?? this.recent.get(existing.id) ?? existing),
    });
    const inFlight = this.inFlight.get(existing.id);
    return inFlight === undefined ? current() : inFlight.then(current);
  }

  private placeOrder(
    input: unknown,
    request: OrderRequest,
    fingerprint: string,
    now: number,
    options: SubmitOrderOptions,
  ): MaybePromise<OmsOrder> {
    const reduceOnlyProblem = this.reduceOnlyProblem(request);
    if (reduceOnlyProblem !== undefined) {
      return this.refuse(new ValidationError('order request', [reduceOnlyProblem], 'ORDER_INVALID'), input, now);
    }
    const verdict = this.checkRisk(request, now);
    if (verdict !== undefined) return this.refuse(verdict, input, now);

    const entry = this.newOrder(request, fingerprint, now, options.strategyId);
    this.remember(entry);
    const orders: OrderWrite[] = [{ order: entry, expectedVersion: null }];
    if (entry.bracket !== undefined) {
      for (const exit of this.bracketExits(entry, now)) {
        this.remember(exit);
        orders.push({ order: exit, expectedVersion: null });
      }
    }
    const inserted = this.persist({ orders }, [['order.submitted', entry]]);
    if (inserted === undefined) return this.send(entry);
    // Write-ahead: a remote venue sees only orders already durable. An in-process one may see it at once: its answer
    // is written after the insert in the same ordered queue, and neither is acknowledged before both committed.
    if (this.exchange.capabilities.inProcess) {
      inserted.catch(ignore);
      return this.send(entry);
    }
    return inserted.then(() => this.send(entry));
  }

  private validate(input: unknown): FieldProblem[] {
    const problems = validateOrderRequest(input);
    const symbol = (input as { symbol?: unknown } | null)?.symbol;
    if (problems.some((p) => p.field === 'symbol') || typeof symbol !== 'string') return problems;
    if (this.symbols !== null && !this.symbols.has(symbol)) {
      problems.push({
        field: 'symbol',
        message: `is not a symbol this engine trades (${[...this.symbols].join(', ')})`,
        value: symbol,
      });
    } else if (symbolParts(symbol).quote !== this.portfolio.quoteCurrency) {
      problems.push({
        field: 'symbol',
        message: `is quoted in ${symbolParts(symbol).quote}, but this account is kept in ${this.portfolio.quoteCurrency}`,
        value: symbol,
      });
    }
    return problems;
  }

  /** A reduce-only order must face the position and not exceed it. */
  private reduceOnlyProblem(request: OrderRequest): FieldProblem | undefined {
    if (request.reduceOnly !== true) return undefined;
    const position = this.portfolio.quantity(request.symbol);
    const delta = signedQuantity(request.side, request.quantity);
    if (position === 0 || Math.sign(delta) === Math.sign(position)) {
      return {
        field: 'reduceOnly',
        message: `a ${request.side} cannot reduce the ${request.symbol} position of ${position}`,
        value: true,
      };
    }
    if (request.quantity > Math.abs(position) * (1 + 1e-9)) {
      return {
        field: 'quantity',
        message: `a reduce-only order may not exceed the ${Math.abs(position)} held (it would flip the position)`,
        value: request.quantity,
      };
    }
    return undefined;
  }

  private checkRisk(request: OrderRequest, now: number): RrrError | undefined {
    const snapshot = this.riskSnapshot(now, request);
    if (snapshot === undefined) {
      return new RiskRejectedError('reference-price', `no market price is known for ${request.symbol} yet`, {
        field: 'symbol',
      });
    }
    const verdict = this.risk.check(request, snapshot);
    if (verdict.approved) return undefined;
    const rejection = verdict.rejection ?? new RiskRejectedError('pre-trade', 'rejected without a reason');
    if (rejection instanceof RiskRejectedError) {
      const details = (rejection.details ?? {}) as { rule?: string; reason?: string } & Record<string, unknown>;
      const field = rejectionProblems(rejection)[0]?.field;
      return new RiskRejectedError(details.rule ?? 'pre-trade', details.reason ?? rejection.message, {
        ...details,
        field,
      });
    }
    return rejection;
  }

  /**
   * The book for pre-trade risk. Marks fall back to what the engine knows (last price, average cost, order prices);
   * undefined when the order itself cannot be priced at all.
   */
  riskSnapshot(now: number, request?: OrderRequest): RiskSnapshot | undefined {
    const marks: Record<string, number> = this.portfolio.marks();
    const positions = this.portfolio.openPositionsView();
    for (const p of positions) marks[p.symbol] ??= p.averagePrice;
    const openOrders: RiskOpenOrder[] = [];
    for (const o of this.working.values()) {
      const price = marks[o.symbol] ?? o.price ?? o.stopPrice;
      if (price === undefined) continue;
      marks[o.symbol] = price;
      let view = this.riskViews.get(o);
      if (view === undefined) {
        view = {
          id: o.id,
          clientOrderId: o.clientOrderId,
          symbol: o.symbol,
          side: o.side,
          quantity: o.quantity,
          filledQuantity: o.filledQuantity,
          status: o.status,
        };
        if (o.reduceOnly === true) view.reduceOnly = true;
        this.riskViews.set(o, view);
      }
      openOrders.push(view);
    }
    if (request !== undefined && marks[request.symbol] === undefined) {
      const price = request.price ?? request.stopPrice;
      if (price === undefined) return undefined;
      marks[request.symbol] = price;
    }
    const valuation = this.portfolio.valuation();
    return {
      equity: valuation.equity,
      cash: valuation.cash,
      positions,
      marks,
      openOrders,
      now,
      equityHistory: this.portfolio.equityHistoryView(),
    };
  }

  /** Records the refusal, then throws (or rejects with) the error. */
  private refuse(error: RrrError, input: unknown, now: number): MaybePromise<never> {
    const written = this.persist({ rejections: [orderRejectionRecord(error, input, now)] }, []);
    if (written === undefined) throw error;
    return written.then(() => {
      throw error;
    });
  }

  private newOrder(request: OrderRequest, fingerprint: string, now: number, strategyId?: string): OmsOrder {
    const id = this.ids.nextOrderId();
    const timeInForce = request.timeInForce ?? DEFAULT_TIME_IN_FORCE;
    const order: OmsOrder = {
      id,
      clientOrderId: request.clientOrderId ?? id,
      symbol: request.symbol,
      side: request.side,
      type: request.type,
      quantity: request.quantity,
      timeInForce,
      status: 'pending-new',
      filledQuantity: 0,
      averageFillPrice: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      venue: this.exchange.venue,
      requestFingerprint: fingerprint,
    };
    if (request.price != null) order.price = request.price;
    if (request.stopPrice != null) order.stopPrice = request.stopPrice;
    if (request.trailingPercent != null) order.trailingPercent = request.trailingPercent;
    if (request.trailingAmount != null) order.trailingAmount = request.trailingAmount;
    if (request.reduceOnly === true) order.reduceOnly = true;
    if (request.bracket != null && (request.bracket.stopLoss != null || request.bracket.takeProfit != null)) {
      order.bracket = {
        ...(request.bracket.stopLoss == null ? {} : { stopLoss: request.bracket.stopLoss }),
        ...(request.bracket.takeProfit == null ? {} : { takeProfit: request.bracket.takeProfit }),
      };
    }
    if (strategyId !== undefined) order.strategyId = strategyId;
    if (timeInForce === 'DAY') order.expiresAt = this.sessions.sessionEnd(now);
    return order;
  }

  /** A bracket's exits: reduce-only, GTC, opposite side, held (pending-new) until the entry fills. */
  private bracketExits(entry: OmsOrder, now: number): OmsOrder[] {
    if (entry.bracket === undefined) return [];
    const exits: OmsOrder[] = [];
    const base = {
      symbol: entry.symbol,
      side: oppositeSide(entry.side),
      quantity: entry.quantity,
      timeInForce: 'GTC' as const,
      reduceOnly: true,
      status: 'pending-new' as const,
      filledQuantity: 0,
      averageFillPrice: null,
      createdAt: now,
      updatedAt: now,
      version: 1,
      venue: entry.venue,
      parentId: entry.id,
      ...(entry.strategyId === undefined ? {} : { strategyId: entry.strategyId }),
    };
    if (entry.bracket.stopLoss !== undefined) {
      const request: OrderRequest = { ...base, type: 'stop', stopPrice: entry.bracket.stopLoss };
      const id = `${entry.id}-SL`;
      exits.push({
        ...base,
        id,
        clientOrderId: id,
        type: 'stop',
        stopPrice: entry.bracket.stopLoss,
        bracketRole: 'stop-loss',
        requestFingerprint: orderRequestFingerprint(request),
      });
    }
    if (entry.bracket.takeProfit !== undefined) {
      const request: OrderRequest = { ...base, type: 'limit', price: entry.bracket.takeProfit };
      const id = `${entry.id}-TP`;
      exits.push({
        ...base,
        id,
        clientOrderId: id,
        type: 'limit',
        price: entry.bracket.takeProfit,
        bracketRole: 'take-profit',
        requestFingerprint: orderRequestFingerprint(request),
      });
    }
    return exits;
  }

  /**
   * Sends a pending-new order to the venue and applies its answer. While the answer or its write is outstanding the
   * order is in flight (a cancel or a retried submit waits for it).
   */
  private send(order: OmsOrder): MaybePromise<OmsOrder> {
    let ack: MaybePromise<VenueAck>;
    try {
      ack = this.exchange.submit(order);
    } catch (error) {
      ack = this.venueRefusal(order, error);
    }
    if (isPromise(ack)) {
      return this.trackInFlight(
        order.id,
        ack.then(
          (answer) => this.applyAck(order.id, answer),
          (error: unknown) => this.applyAck(order.id, this.venueRefusal(order, error)),
        ),
      );
    }
    const applied = this.applyAck(order.id, ack);
    return isPromise(applied) ? this.trackInFlight(order.id, applied) : applied;
  }

  private venueRefusal(order: OmsOrder, error: unknown): VenueAck {
    this.logger.error({ orderId: order.id, err: error }, 'venue refused to take the order');
    return { accepted: false, ts: this.clock.now(), reason: `venue error: ${errorMessage(error)}` };
  }

  private trackInFlight(id: string, pending: Promise<OmsOrder>): Promise<OmsOrder> {
    const settled = pending.then(ignore, ignore);
    this.inFlight.set(id, settled);
    void settled.then(() => {
      if (this.inFlight.get(id) === settled) this.inFlight.delete(id);
    });
    return pending;
  }

  private applyAck(id: string, ack: VenueAck): MaybePromise<OmsOrder> {
    const order = this.working.get(id);
    // Venue events (a fill) may have overtaken the acknowledgement; they already moved the order on.
    if (order === undefined || order.status !== 'pending-new') return this.latest(id);
    const next = ack.accepted
      ? transitionOrder(
          order,
          'accepted',
          ack.ts,
          ack.exchangeOrderId === undefined ? {} : { exchangeOrderId: ack.exchangeOrderId },
        )
      : transitionOrder(order, 'rejected', ack.ts, { rejectReason: ack.reason });
    const changes = this.replace(order, next);
    const publications: Publication[] = [[STATUS_TOPIC[next.status] as TradingTopic, next]];
    if (!ack.accepted) this.heldExitsEnded(next, changes, publications, ack.ts);
    const written = this.persist(changes, publications);
    return written === undefined ? this.latest(id) : written.then(() => this.latest(id));
  }

  // ---------------------------------------------------------------- cancel / modify

  /**
   * Cancels a working order: a held bracket exit at once, a venue order once the venue confirms. An order that is
   * already terminal (or ends while the cancel is on its way) is OrderTransitionError (CONFLICT) naming from and to.
   */
  async cancelOrder(id: string): Promise<OmsOrder> {
    this.assertHealthy();
    await this.inFlight.get(id);
    const order = await this.workingOrThrow(id, 'cancelled');
    if (order.status === 'pending-new') return this.endHeld(order, 'cancelled');
    const ack = await this.exchange.cancel(order);
    const current = this.working.get(id);
    if (current === undefined) {
      const final = await this.getOrder(id);
      throw new OrderTransitionError(id, final.status, 'cancelled', ack.cancelled ? undefined : ack.reason);
    }
    if (!ack.cancelled) throw new ConflictError(`order ${id} could not be cancelled: ${ack.reason}`, { orderId: id });
    const next = transitionOrder(current, 'cancelled', ack.ts);
    const changes = this.replace(current, next);
    const publications: Publication[] = [['order.cancelled', next]];
    this.heldExitsEnded(next, changes, publications, ack.ts);
    await this.persist(changes, publications);
    if (next.bracket !== undefined && next.filledQuantity > 0) this.later(() => this.settleExits(next));
    return { ...next };
  }

  /**
   * Changes a working order's quantity or prices (see applyOrderModification for the rules). A larger quantity goes
   * through pre-trade risk again. Venues without modify support answer CONFLICT: cancel and resubmit instead.
   */
  async modifyOrder(id: string, modification: OrderModification): Promise<OmsOrder> {
    this.assertHealthy();
    await this.inFlight.get(id);
    const order = await this.workingOrThrow(id, undefined);
    const now = this.clock.now();
    const next = applyOrderModification(order, modification, now);
    if (next.quantity > order.quantity && order.reduceOnly !== true) {
      const increase: OrderRequest = {
        symbol: order.symbol,
        side: order.side,
        type: order.type,
        quantity: next.quantity - order.quantity,
        ...(next.price === undefined ? {} : { price: next.price }),
        ...(next.stopPrice === undefined ? {} : { stopPrice: next.stopPrice }),
        ...(next.trailingPercent === undefined ? {} : { trailingPercent: next.trailingPercent }),
        ...(next.trailingAmount === undefined ? {} : { trailingAmount: next.trailingAmount }),
      };
      const rejection = this.checkRisk(increase, now);
      if (rejection !== undefined) throw rejection;
    }
    if (order.status !== 'pending-new') {
      if (!this.exchange.capabilities.modify) {
        throw new ConflictError(`${this.exchange.venue} cannot modify orders: cancel ${id} and submit a new one`, {
          orderId: id,
        });
      }
      await this.exchange.modify(next);
    }
    const current = this.working.get(id) ?? order;
    const applied = current.version === order.version ? next : applyOrderModification(current, modification, now);
    await this.persist(this.replace(current, applied), []);
    return { ...applied };
  }

  private async workingOrThrow(id: string, target: OrderStatus | undefined): Promise<OmsOrder> {
    const order = this.working.get(id);
    if (order !== undefined) return order;
    const known = await this.getOrder(id);
    if (target !== undefined) assertOrderTransition(known, target);
    throw new ConflictError(`order ${id} is ${known.status}: only a working order can be modified`, {
      orderId: id,
      status: known.status,
    });
  }

  private async endHeld(order: OmsOrder, status: 'cancelled' | 'expired'): Promise<OmsOrder> {
    const next = transitionOrder(order, status, this.clock.now());
    await this.persist(this.replace(order, next), [[STATUS_TOPIC[status] as TradingTopic, next]]);
    return { ...next };
  }

  /**
   * Carries out the kill switch's actions: cancels first, then the flattening orders (reduce-only, so pre-trade risk
   * lets them through while new exposure is halted). Failures of single actions are reported, not thrown.
   */
  async executeRiskActions(actions: readonly KillSwitchAction[]): Promise<{ done: number; failed: string[] }> {
    let done = 0;
    const failed: string[] = [];
    for (const action of actions) {
      try {
        if (action.kind === 'cancel-order') {
          const id =
            action.orderId ??
            (action.clientOrderId === undefined ? undefined : this.clientOrderIds.get(action.clientOrderId));
          if (id === undefined) throw new NotFoundError('order', action.clientOrderId ?? '?');
          if (this.working.has(id)) await this.cancelOrder(id);
        } else {
          await this.submitOrder(action.order);
        }
        done += 1;
      } catch (error) {
        failed.push(`${action.kind}: ${errorMessage(error)}`);
      }
    }
    return { done, failed };
  }

  // ---------------------------------------------------------------- market data

  /** Feeds a bar: the venue matches its orders against it (paper), marks move to its close, DAY orders expire. */
  async onBar(bar: Bar): Promise<void> {
    await this.onBarNow(bar);
  }

  /** onBar, returning a promise only when follow-ups (exit releases, OCO cancels) have to run. */
  onBarNow(bar: Bar): Promise<void> | undefined {
    this.assertHealthy();
    this.dispatchMarket(() => {
      this.exchange.onBar?.(bar);
      this.portfolio.mark(bar.symbol, bar.close);
      this.exchange.expireDue?.(this.clock.now());
    });
    // Most bars fill nothing: no promise (a microtask turn per bar in a backtest) when nothing follows up.
    if (this.followUps.length > 0 || this.followUpsRunning !== undefined) return this.runFollowUps();
    return undefined;
  }

  /** The strategies have acted on `bar`: a venue that fills at the bar's close matches the orders they placed. */
  async onBarClose(bar: Bar): Promise<void> {
    this.assertHealthy();
    this.dispatchMarket(() => this.exchange.onBarClose?.(bar));
    await this.runFollowUps();
  }

  async onTrade(trade: Trade): Promise<void> {
    this.assertHealthy();
    this.dispatchMarket(() => {
      this.exchange.onTrade?.(trade);
      this.portfolio.mark(trade.symbol, trade.price);
    });
    await this.runFollowUps();
  }

  async onQuote(quote: Quote): Promise<void> {
    this.assertHealthy();
    this.dispatchMarket(() => {
      this.exchange.onQuote?.(quote);
      this.portfolio.mark(quote.symbol, (quote.bid + quote.ask) / 2);
    });
    await this.runFollowUps();
  }

  private dispatchMarket(fn: () => void): void {
    this.marketDepth += 1;
    try {
      fn();
    } finally {
      this.marketDepth -= 1;
    }
  }

  // ---------------------------------------------------------------- venue events

  private onExecution(event: ExecutionEvent): void {
    if (this.failure !== undefined) return;
    try {
      switch (event.type) {
        case 'fill':
          this.applyExecution(event.execution);
          break;
        case 'cancelled':
        case 'expired':
        case 'rejected':
          this.applyVenueEnd(event.orderId, event.type, event.ts, event.type === 'expired' ? undefined : event.reason);
          break;
        case 'triggered':
          this.reviseFromVenue(event.orderId, event.ts, { triggeredAt: event.ts });
          break;
        case 'trailing-reference':
          this.reviseFromVenue(event.orderId, event.ts, { trailingReference: event.reference });
          break;
      }
    } catch (error) {
      // The venue reported something the lifecycle does not allow: the book can no longer be trusted.
      this.fail(error);
    }
  }

  private applyExecution(execution: VenueExecution): void {
    const order = this.working.get(execution.orderId);
    if (order === undefined) {
      this.logger.warn({ orderId: execution.orderId }, 'fill for an order that is not working here: ignored');
      return;
    }
    const publications: Publication[] = [];
    let base = order;
    if (order.status === 'pending-new') {
      base = transitionOrder(order, 'accepted', execution.ts);
      publications.push(['order.accepted', base]);
    }
    const fill: Fill = {
      id: this.ids.nextFillId(),
      orderId: order.id,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      side: order.side,
      quantity: execution.quantity,
      price: execution.price,
      fee: execution.fee,
      feeCurrency: execution.feeCurrency,
      liquidity: execution.liquidity,
      ts: execution.ts,
    };
    const next = applyFillToOrder(base, fill);
    const { position, balances } = this.portfolio.applyFill(fill);
    const changes = this.replace(order, next);
    changes.fills = [fill];
    changes.positions = [{ position, markPrice: this.portfolio.markOf(fill.symbol) }];
    changes.balances = balances.map(({ currency, amount }) => ({ currency, amount, ts: fill.ts }));
    publications.push(['fill', fill], ['position', position]);
    if (next.status === 'filled') publications.push(['order.filled', next]);
    this.persistInBackground(changes, publications);

    if (next.status === 'filled' && next.bracket !== undefined) this.later(() => this.settleExits(next));
    if (next.parentId !== undefined && !this.exchange.capabilities.nativeOco) {
      this.later(() => this.cancelSiblings(next));
    }
    if (this.hasWorkingReduceOnly(next.symbol)) this.later(() => this.cancelStaleReduceOnly(next.symbol));
  }

  private hasWorkingReduceOnly(symbol: string): boolean {
    return (this.reduceOnlyAtVenue.get(symbol)?.size ?? 0) > 0;
  }

  private applyVenueEnd(id: string, status: 'cancelled' | 'expired' | 'rejected', ts: number, reason?: string): void {
    const order = this.working.get(id);
    if (order === undefined) {
      this.logger.warn({ orderId: id, status }, 'venue ended an order that is not working here: ignored');
      return;
    }
    const next = transitionOrder(
      order,
      status,
      ts,
      status === 'rejected' && reason !== undefined ? { rejectReason: reason } : {},
    );
    if (reason !== undefined && status === 'cancelled')
      this.logger.info({ orderId: id, reason }, 'venue cancelled order');
    const changes = this.replace(order, next);
    const publications: Publication[] = [[STATUS_TOPIC[status] as TradingTopic, next]];
    this.heldExitsEnded(next, changes, publications, ts);
    this.persistInBackground(changes, publications);
    if (next.bracket !== undefined && next.filledQuantity > 0) this.later(() => this.settleExits(next));
  }

  private reviseFromVenue(id: string, ts: number, patch: Partial<OmsOrder>): void {
    const order = this.working.get(id);
    if (order === undefined) return;
    this.persistInBackground(this.replace(order, reviseOrder(order, ts, patch)), []);
  }

  /**
   * An entry ended: with nothing filled its held exits are cancelled in the same change set (they will never have
   * anything to protect); with a partial fill they are released by settleExits.
   */
  private heldExitsEnded(entry: OmsOrder, changes: TradingStoreChanges, publications: Publication[], ts: number): void {
    if (entry.bracket === undefined || entry.filledQuantity > 0 || !isTerminalOrderStatus(entry.status)) return;
    for (const exit of this.exitsOf(entry.id)) {
      if (exit.status !== 'pending-new') continue;
      const next = transitionOrder(exit, 'cancelled', ts);
      const more = this.replace(exit, next);
      changes.orders = [...(changes.orders ?? []), ...(more.orders ?? [])];
      publications.push(['order.cancelled', next]);
    }
  }

  /** Releases an ended entry's held exits to the venue, sized to what the entry filled. */
  private async settleExits(entry: OmsOrder): Promise<void> {
    const exits = this.exitsOf(entry.id).filter((o) => o.status === 'pending-new');
    if (exits.length === 0) return;
    if (entry.filledQuantity === 0) {
      for (const exit of exits) await this.endHeld(exit, 'cancelled');
      return;
    }
    for (const exit of exits) {
      let order = exit;
      if (order.quantity !== entry.filledQuantity) {
        const resized = reviseOrder(order, this.clock.now(), { quantity: entry.filledQuantity });
        await this.persist(this.replace(order, resized), []);
        order = resized;
      }
      await this.send(order);
    }
  }

  private async cancelSiblings(exit: OmsOrder): Promise<void> {
    for (const sibling of this.exitsOf(exit.parentId as string)) {
      if (sibling.id !== exit.id && isWorkingOmsOrder(sibling)) await this.cancelQuietly(sibling.id);
    }
  }

  /** Reduce-only orders that can no longer reduce (the position went flat or changed side) are cancelled. */
  private async cancelStaleReduceOnly(symbol: string): Promise<void> {
    const position = this.portfolio.quantity(symbol);
    for (const order of [...this.working.values()]) {
      if (order.symbol !== symbol || order.reduceOnly !== true || order.status === 'pending-new') continue;
      const delta = signedQuantity(order.side, 1);
      if (position === 0 || Math.sign(delta) === Math.sign(position)) await this.cancelQuietly(order.id);
    }
  }

  private async cancelQuietly(id: string): Promise<void> {
    try {
      if (this.working.has(id)) await this.cancelOrder(id);
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }

  private exitsOf(parentId: string): OmsOrder[] {
    return [...this.working.values()].filter((o) => o.parentId === parentId);
  }

  // ---------------------------------------------------------------- state, persistence, follow-ups

  /** Puts `next` in place of `previous` in memory and returns the change set that persists it. */
  private replace(previous: OmsOrder, next: OmsOrder): TradingStoreChanges {
    this.remember(next);
    return { orders: [{ order: next, expectedVersion: previous.version }] };
  }

  private remember(order: OmsOrder): void {
    // Set once per order (a lookup is cheaper than a set on every transition); eviction below removes it again.
    if (this.clientOrderIds.get(order.clientOrderId) !== order.id)
      this.clientOrderIds.set(order.clientOrderId, order.id);
    if (order.reduceOnly === true) {
      let ids = this.reduceOnlyAtVenue.get(order.symbol);
      if (ids === undefined) {
        ids = new Set();
        this.reduceOnlyAtVenue.set(order.symbol, ids);
      }
      if (order.status === 'accepted' || order.status === 'partially-filled') ids.add(order.id);
      else ids.delete(order.id);
    }
    if (isWorkingOmsOrder(order)) {
      this.working.set(order.id, order);
      return;
    }
    this.working.delete(order.id);
    this.recent.delete(order.id);
    this.recent.set(order.id, order);
    // Evict in chunks: deleting one oldest entry per insert makes a Map skip ever more deleted slots to find the next.
    if (this.recent.size > this.recentLimit + Math.max(1, this.recentLimit >> 3)) {
      let excess = this.recent.size - this.recentLimit;
      for (const [id, dropped] of this.recent) {
        if (excess-- <= 0) break;
        this.recent.delete(id);
        if (this.clientOrderIds.get(dropped.clientOrderId) === id) this.clientOrderIds.delete(dropped.clientOrderId);
      }
    }
  }

  private latest(id: string): OmsOrder {
    const order = this.working.get(id) ?? this.recent.get(id);
    if (order === undefined) throw new NotFoundError('order', id);
    return { ...order };
  }

  private findByClientOrderId(clientOrderId: string): MaybePromise<OmsOrder | undefined> {
    const id = this.clientOrderIds.get(clientOrderId);
    if (id !== undefined) {
      const known = this.working.get(id) ?? this.recent.get(id);
      if (known !== undefined) return known;
    }
    return this.store.findOrderByClientOrderId(clientOrderId);
  }

  /**
   * Serialises submits of one client order id. The first one runs at once; it holds the id only while it is still
   * pending (a synchronous submit is over before anyone else can ask).
   */
  private withClientOrderIdLock<R>(clientOrderId: string, fn: () => MaybePromise<R>): MaybePromise<R> {
    const previous = this.clientOrderIdLocks.get(clientOrderId);
    if (previous !== undefined) return this.afterClientOrderIdLock(clientOrderId, previous, fn);
    const result = fn();
    if (!isPromise(result)) return result;
    const held = result.then(ignore, ignore);
    this.clientOrderIdLocks.set(clientOrderId, held);
    void held.then(() => {
      if (this.clientOrderIdLocks.get(clientOrderId) === held) this.clientOrderIdLocks.delete(clientOrderId);
    });
    return result;
  }

  private async afterClientOrderIdLock<R>(
    clientOrderId: string,
    previous: Promise<void>,
    fn: () => MaybePromise<R>,
  ): Promise<R> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const chained = previous.then(() => mine);
    this.clientOrderIdLocks.set(clientOrderId, chained);
    try {
      await previous;
      return await fn();
    } finally {
      release();
      if (this.clientOrderIdLocks.get(clientOrderId) === chained) this.clientOrderIdLocks.delete(clientOrderId);
    }
  }

  /**
   * Writes, then publishes. A failed write stops the engine. Returns nothing when the store applied the change set at
   * once (it is then already published), else the promise of the write.
   */
  private persist(changes: TradingStoreChanges, publications: Publication[]): Promise<void> | undefined {
    if (this.store.writeNow !== undefined) {
      try {
        this.store.writeNow(changes);
      } catch (error) {
        this.fail(error);
        throw this.failure;
      }
      this.publishAll(publications);
      return undefined;
    }
    return this.store.write(changes).then(
      () => this.publishAll(publications),
      (error: unknown) => {
        this.fail(error);
        throw this.failure;
      },
    );
  }

  private persistInBackground(changes: TradingStoreChanges, publications: Publication[]): void {
    try {
      this.persist(changes, publications)?.catch(ignore);
    } catch {
      // The write failed: fail() has stopped the engine and reported it.
    }
  }

  private publishAll(publications: Publication[]): void {
    for (const [topic, payload] of publications) this.publish(topic, payload);
  }

  private publish(topic: TradingTopic, payload: PlatformTopics[TradingTopic]): void {
    if (this.publishEvent === undefined) return;
    try {
      // Orders, fills and positions are replaced, never mutated, by the engine; a copy keeps subscribers' edits out.
      (this.publishEvent as (t: TradingTopic, p: unknown) => void)(topic, { ...payload });
    } catch (error) {
      this.logger.warn({ topic, err: error }, 'publishing a trading event failed');
    }
  }

  /** Runs work that must not interleave with the venue's matching loop: after the market event that caused it. */
  private later(task: () => Promise<void>): void {
    this.followUps.push(task);
    if (this.marketDepth === 0) queueMicrotask(() => void this.runFollowUps().catch(() => undefined));
  }

  private runFollowUps(): Promise<void> {
    if (this.followUpsRunning !== undefined) return this.followUpsRunning;
    if (this.followUps.length === 0) return Promise.resolve();
    // `finally` runs asynchronously, so the flag is cleared only after it was set.
    const running = this.drainFollowUps().finally(() => {
      this.followUpsRunning = undefined;
    });
    this.followUpsRunning = running;
    return running;
  }

  private async drainFollowUps(): Promise<void> {
    while (this.followUps.length > 0) {
      const task = this.followUps.shift() as () => Promise<void>;
      try {
        await task();
      } catch (error) {
        if (this.failure !== undefined) throw this.failure;
        this.logger.warn({ err: error }, 'follow-up after a venue event failed');
      }
    }
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = isRrrError(error)
      ? error
      : new RrrError('SERVICE_FAILED', `trading engine stopped: ${errorMessage(error)}`, { cause: error });
    this.logger.error({ err: error }, 'trading engine stopped: its state could not be persisted');
    this.onFailure?.(this.failure);
  }

  private assertHealthy(): void {
    if (this.failure !== undefined) {
      throw new RrrError('SERVICE_UNAVAILABLE', `trading engine is stopped after a failure: ${this.failure.message}`, {
        cause: this.failure,
      });
    }
  }
}

function ignore(): void {
  // Settled: the caller holding the original promise deals with its outcome.
}
