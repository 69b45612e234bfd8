import {
  ConflictError,
  intervalMs,
  orderRemainingQuantity,
  ValidationError,
  type Bar,
  type Clock,
  type OrderSide,
  type Quote,
  type Trade,
} from '@rrr/core';
import { createSeededRng, type SeededRng } from '@rrr/risk-management';
import type {
  CancelAck,
  ExchangeAdapter,
  ExchangeCapabilities,
  ExecutionEvent,
  ExecutionListener,
  VenueAck,
} from '../exchange/exchange-adapter';
import type { OmsOrder } from '../orders/oms-order';
import { covers, type Balances } from '../portfolio/balances';
import { evaluatePaperOrder, type LimitFillRule, type PaperOrderState } from './evaluate-paper-order';
import { checkFeeSchedule, DEFAULT_FEE_SCHEDULE, executionFee, type FeeSchedule } from './fee-schedule';
import { arrivedInTime, barCloseWindow, barWindow, quoteWindow, tradeWindow, type PriceWindow } from './price-window';
import { fixedBpsSlippage, slippedPrice, type SlippageModel } from './slippage-model';
import { symbolParts } from '../portfolio/symbol-parts';

export interface PaperExchangeOptions {
  clock: Clock;
  /** Starting balances by currency, e.g. `{ USD: 100000 }`. */
  initialBalances: Balances;
  fees?: FeeSchedule;
  /** Default: fixed 5 bps. */
  slippage?: SlippageModel;
  /** Simulated order latency, uniform integer ms in [minMs, maxMs] from a seeded generator. Default 10–50 ms, seed 1. */
  latency?: { minMs: number; maxMs: number; seed?: number };
  /** Default 'through' (strictly beyond the limit). */
  limitFillRule?: LimitFillRule;
  /** Share of a bar's volume fills may take (shared by all orders on the bar); null: uncapped. Default 0.1. */
  barVolumeShare?: number | null;
  /** Let sells exceed the base asset held (a margin account); default false: a spot account. */
  allowShort?: boolean;
  /**
   * When orders placed on a bar first trade. 'next-open' (default, no look-ahead): from the next market data on — the
   * next bar's open at the earliest — as a live system that acts after a bar closes would. 'close': at that bar's
   * close (`onBarClose`), against a print of the close price and `barVolumeShare` of the bar's volume, slipped as the
   * bar's own fills — not achievable live, offered to measure how much a backtest flatters itself by assuming it.
   */
  barFillTiming?: BarFillTiming;
  venue?: string;
}

export type BarFillTiming = 'next-open' | 'close';

interface BookEntry {
  order: OmsOrder;
  /** Arrival sequence: orders match in arrival order (price-time priority among our own orders). */
  seq: number;
  /** When the order reached the venue: now + simulated latency. */
  activeAt: number;
  filled: number;
  state: PaperOrderState;
  /** Whether the order has been matched against a window (for IOC / FOK: their one chance). */
  hadChance: boolean;
  /** Quote currency held back per unit still to fill (buys) or base units per unit (spot sells). */
  unitReserve: number;
  reserveCurrency: string | null;
}

/** Below this an execution is rounding noise, not a fill. */
const MIN_EXECUTION = 1e-12;

/**
 * A simulated venue: orders rest in a book and match against the market data it is fed (bars, and trades or quotes
 * when present), with the fill rules of evaluatePaperOrder, a slippage model on aggressive fills, maker/taker fees,
 * fills capped by a share of bar volume, seeded latency on the injected clock, and balances for both assets of each
 * pair (a buy debits quote = cost + fee and credits base; a sell the reverse). A buy that the free quote balance
 * cannot cover is rejected, on arrival (from its limit / stop / last price) and again at execution (actual cost);
 * so is a sell of more base than held, unless shorting is allowed. No wall clock, no I/O: the backtester runs it.
 */
export class PaperExchange implements ExchangeAdapter {
  readonly venue: string;
  readonly capabilities: ExchangeCapabilities;
  private readonly clock: Clock;
  private readonly fees: FeeSchedule;
  private readonly slippage: SlippageModel;
  private readonly latencyMin: number;
  private readonly latencySpan: number;
  private readonly rng: SeededRng;
  private readonly limitFillRule: LimitFillRule;
  private readonly barVolumeShare: number | null;
  private readonly allowShort: boolean;
  private listener: ExecutionListener = () => undefined;
  private balanceBook: Balances;
  /** Per symbol, in arrival (seq) order: entries are only ever appended with a fresh seq. */
  private readonly books = new Map<string, Map<string, BookEntry>>();
  private readonly byId = new Map<string, BookEntry>();
  /** Σ of what working orders hold back, per currency, kept as orders book, fill and leave. */
  private readonly reservedTotals = new Map<string, number>();
  private readonly lastPrices = new Map<string, number>();
  private seq = 0;

  constructor(options: PaperExchangeOptions) {
    const latency = options.latency ?? { minMs: 10, maxMs: 50, seed: 1 };
    const share = options.barVolumeShare === undefined ? 0.1 : options.barVolumeShare;
    const problems = [];
    if (
      !Number.isInteger(latency.minMs) ||
      latency.minMs < 0 ||
      !Number.isInteger(latency.maxMs) ||
      latency.maxMs < latency.minMs
    ) {
      problems.push({ field: 'latency', message: 'must be integer ms with 0 <= minMs <= maxMs', value: latency });
    }
    if (share !== null && !(share > 0 && share <= 1)) {
      problems.push({
        field: 'barVolumeShare',
        message: 'must be a fraction in (0, 1] or null (uncapped)',
        value: share,
      });
    }
    const barFillTiming = options.barFillTiming ?? 'next-open';
    if (barFillTiming !== 'next-open' && barFillTiming !== 'close') {
      problems.push({ field: 'barFillTiming', message: "must be 'next-open' or 'close'", value: barFillTiming });
    }
    if (problems.length > 0) throw new ValidationError('paper exchange options', problems);
    this.capabilities = {
      inProcess: true,
      nativeOco: true,
      modify: true,
      fillsAtBarClose: barFillTiming === 'close',
    };
    this.clock = options.clock;
    this.venue = options.venue ?? 'paper';
    this.fees = checkFeeSchedule(options.fees ?? DEFAULT_FEE_SCHEDULE);
    this.slippage = options.slippage ?? fixedBpsSlippage(5);
    this.latencyMin = latency.minMs;
    this.latencySpan = latency.maxMs - latency.minMs + 1;
    this.rng = createSeededRng(latency.seed ?? 1);
    this.limitFillRule = options.limitFillRule ?? 'through';
    this.barVolumeShare = share;
    this.allowShort = options.allowShort === true;
    this.balanceBook = { ...options.initialBalances };
  }

  setListener(listener: ExecutionListener): void {
    this.listener = listener;
  }

  async start(): Promise<void> {
    // Nothing to connect to: the book lives in this object.
  }

  async stop(): Promise<void> {
    // Orders stay booked: a stopped engine's working orders are re-booked by restore() when it starts again.
  }

  balances(): Balances {
    return { ...this.balanceBook };
  }

  /** Orders in the book, in matching order. */
  workingOrderIds(): string[] {
    return [...this.byId.keys()];
  }

  lastPrice(symbol: string): number | undefined {
    return this.lastPrices.get(symbol);
  }

  /** Answers at once: the book lives in this object. */
  submit(order: OmsOrder): VenueAck {
    const ts = this.clock.now();
    if (this.byId.has(order.id)) return { accepted: false, ts, reason: `order ${order.id} is already booked` };
    const entry = this.newEntry(order, ts + this.latencyMin + this.rng.nextInt(this.latencySpan), 0, false);
    const shortfall = this.reservationShortfall(entry);
    if (shortfall !== undefined) return { accepted: false, ts, reason: shortfall };
    this.book(entry);
    return { accepted: true, ts, exchangeOrderId: `${this.venue}-${order.id}` };
  }

  async cancel(order: OmsOrder): Promise<CancelAck> {
    const ts = this.clock.now();
    const entry = this.byId.get(order.id);
    if (entry === undefined)
      return { cancelled: false, ts, reason: `order ${order.id} is not working at ${this.venue}` };
    this.unbook(entry);
    return { cancelled: true, ts };
  }

  async modify(order: OmsOrder): Promise<void> {
    const entry = this.byId.get(order.id);
    if (entry === undefined)
      throw new ConflictError(`order ${order.id} is not working at ${this.venue}`, { orderId: order.id });
    const replacement = this.newEntry(order, entry.activeAt, entry.filled, true);
    replacement.state.triggered = entry.state.triggered;
    replacement.state.trailingReference = entry.state.trailingReference;
    const shortfall = this.reservationShortfall(replacement, entry);
    if (shortfall !== undefined) {
      throw new ConflictError(`cannot modify order ${order.id}: ${shortfall}`, { orderId: order.id });
    }
    // A replaced order loses its queue position, as on a real venue.
    this.unbook(entry);
    this.book(replacement);
  }

  async restore(workingOrders: readonly OmsOrder[], balances: Readonly<Balances>): Promise<void> {
    this.books.clear();
    this.byId.clear();
    this.reservedTotals.clear();
    this.balanceBook = { ...balances };
    const ours = workingOrders
      .filter((o) => o.venue === this.venue && (o.status === 'accepted' || o.status === 'partially-filled'))
      .sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
    for (const order of ours) {
      const entry = this.newEntry(order, order.createdAt, order.filledQuantity, true);
      entry.state.triggered = order.triggeredAt !== undefined;
      entry.state.trailingReference = order.trailingReference;
      this.book(entry);
    }
  }

  onBar(bar: Bar): void {
    if (this.books.get(bar.symbol)?.size) this.match(bar.symbol, bar.ts, () => barWindow(bar, this.barVolumeShare));
    this.lastPrices.set(bar.symbol, bar.close);
  }

  /** With barFillTiming 'close': the bar's orders (and any other working one) meet a print at its close. */
  onBarClose(bar: Bar): void {
    if (this.capabilities.fillsAtBarClose !== true) return;
    this.match(bar.symbol, bar.ts + intervalMs(bar.interval), () => barCloseWindow(bar, this.barVolumeShare));
    this.lastPrices.set(bar.symbol, bar.close);
  }

  onTrade(trade: Trade): void {
    this.match(trade.symbol, trade.ts, () => tradeWindow(trade));
    this.lastPrices.set(trade.symbol, trade.price);
  }

  onQuote(quote: Quote): void {
    const windows = { buy: quoteWindow(quote, 'buy'), sell: quoteWindow(quote, 'sell') };
    this.match(quote.symbol, quote.ts, (side) => windows[side]);
    this.lastPrices.set(quote.symbol, (quote.bid + quote.ask) / 2);
  }

  expireDue(now: number): void {
    // Called for every bar: an empty book (most of a backtest) costs no copy of it.
    if (this.byId.size === 0) return;
    for (const entry of [...this.byId.values()]) {
      const expiresAt = entry.order.expiresAt;
      if (expiresAt !== undefined && expiresAt <= now) this.expire(entry, expiresAt);
    }
  }

  private newEntry(order: OmsOrder, activeAt: number, filled: number, rested: boolean): BookEntry {
    const entry: BookEntry = {
      order,
      seq: ++this.seq,
      activeAt,
      filled,
      state: {
        side: order.side,
        type: order.type,
        price: order.price,
        stopPrice: order.stopPrice,
        trailingPercent: order.trailingPercent,
        trailingAmount: order.trailingAmount,
        triggered: order.triggeredAt !== undefined,
        trailingReference: order.trailingReference,
        rested,
      },
      hadChance: rested,
      unitReserve: 0,
      reserveCurrency: null,
    };
    this.setReservation(entry);
    return entry;
  }

  /**
   * Holds back what the order may spend: a buy its quantity × (limit, stop or last price) × (1 + slippage + taker
   * fee) of quote; a spot sell its quantity of base. Reduce-only exits hold nothing: they can only give back what a
   * position holds, and the two exits of a bracket would otherwise hold it twice.
   */
  private setReservation(entry: BookEntry): void {
    const { order } = entry;
    if (order.reduceOnly === true) return;
    const { base, quote } = symbolParts(order.symbol);
    if (order.side === 'buy') {
      // A limit caps the price paid; anything else may pay its reference plus slippage.
      const reference = order.price ?? order.stopPrice ?? this.lastPrices.get(order.symbol);
      if (reference === undefined) return;
      const slip =
        order.price !== undefined
          ? 0
          : this.slippage.fraction({ side: 'buy', referencePrice: reference, quantity: order.quantity });
      entry.unitReserve = reference * (1 + slip) * (1 + Math.max(this.fees.takerRate, this.fees.makerRate));
      entry.reserveCurrency = quote;
    } else if (!this.allowShort) {
      entry.unitReserve = 1;
      entry.reserveCurrency = base;
    }
  }

  private reserveOf(entry: BookEntry): number {
    return this.remainingOf(entry) * entry.unitReserve;
  }

  private adjustReserved(currency: string | null, delta: number): void {
    if (currency === null || delta === 0) return;
    this.reservedTotals.set(currency, (this.reservedTotals.get(currency) ?? 0) + delta);
  }

  /** What every working order except `except` (and `alsoExcept`) holds back in `currency`. */
  private reserved(currency: string, except?: BookEntry, alsoExcept?: BookEntry): number {
    let total = this.reservedTotals.get(currency) ?? 0;
    for (const e of [except, alsoExcept]) {
      if (e !== undefined && e.reserveCurrency === currency && this.byId.get(e.order.id) === e)
        total -= this.reserveOf(e);
    }
    return total;
  }

  private reservationShortfall(entry: BookEntry, replacing?: BookEntry): string | undefined {
    if (entry.reserveCurrency === null) return undefined;
    const need = this.reserveOf(entry);
    const free =
      (this.balanceBook[entry.reserveCurrency] ?? 0) - this.reserved(entry.reserveCurrency, entry, replacing);
    if (covers(free, need)) return undefined;
    return `insufficient ${entry.reserveCurrency} balance: the order needs ${round(need)} ${entry.reserveCurrency}, ${round(free)} is free`;
  }

  private remainingOf(entry: BookEntry): number {
    return orderRemainingQuantity({ quantity: entry.order.quantity, filledQuantity: entry.filled });
  }

  private book(entry: BookEntry): void {
    let list = this.books.get(entry.order.symbol);
    if (list === undefined) {
      list = new Map();
      this.books.set(entry.order.symbol, list);
    }
    list.set(entry.order.id, entry);
    this.byId.set(entry.order.id, entry);
    this.adjustReserved(entry.reserveCurrency, this.reserveOf(entry));
  }

  private unbook(entry: BookEntry): void {
    if (this.byId.get(entry.order.id) !== entry) return;
    this.adjustReserved(entry.reserveCurrency, -this.reserveOf(entry));
    this.byId.delete(entry.order.id);
    this.books.get(entry.order.symbol)?.delete(entry.order.id);
    // Adding and removing the same amounts leaves rounding dust: an empty book holds back exactly nothing.
    if (this.byId.size === 0) this.reservedTotals.clear();
  }

  private emit(event: ExecutionEvent): void {
    this.listener(event);
  }

  private expire(entry: BookEntry, at: number): void {
    this.unbook(entry);
    this.emit({ type: 'expired', orderId: entry.order.id, ts: at });
  }

  private end(entry: BookEntry, ts: number, reason: string, asRejection: boolean): void {
    this.unbook(entry);
    if (asRejection && entry.filled === 0) this.emit({ type: 'rejected', orderId: entry.order.id, ts, reason });
    else this.emit({ type: 'cancelled', orderId: entry.order.id, ts, reason });
  }

  /** One piece of market data against every order booked for the symbol, in arrival order. */
  private match(symbol: string, ts: number, windowFor: (side: OrderSide) => PriceWindow): void {
    const list = this.books.get(symbol);
    if (list === undefined || list.size === 0) return;
    let barShared: PriceWindow | undefined;
    const window = (side: OrderSide): PriceWindow => {
      const w = windowFor(side);
      if (w.kind !== 'bar') return w;
      // Buyers and sellers draw on one bar volume.
      barShared ??= w;
      return barShared;
    };
    for (const entry of [...list.values()]) {
      if (this.byId.get(entry.order.id) !== entry) continue;
      const expiresAt = entry.order.expiresAt;
      if (expiresAt !== undefined && ts >= expiresAt) {
        this.expire(entry, expiresAt);
        continue;
      }
      const w = window(entry.order.side);
      if (!arrivedInTime(w, entry.activeAt)) continue;
      this.matchEntry(entry, w);
    }
  }

  private matchEntry(entry: BookEntry, window: PriceWindow): void {
    const { order } = entry;
    const at = Math.max(window.ts, entry.activeAt);
    const decision = evaluatePaperOrder(entry.state, window, this.limitFillRule);
    if (decision.trailingReference !== undefined) {
      entry.state.trailingReference = decision.trailingReference;
      this.emit({ type: 'trailing-reference', orderId: order.id, ts: at, reference: decision.trailingReference });
    }
    if (decision.triggeredAt !== undefined) {
      entry.state.triggered = true;
      this.emit({ type: 'triggered', orderId: order.id, ts: at });
    }
    // IOC and FOK get exactly one chance: their first window, or for stop types the window that triggers them.
    const chance = !entry.hadChance && (!isStopType(order.type) || decision.triggeredAt !== undefined);
    if (decision.execution !== undefined) {
      const remaining = this.remainingOf(entry);
      const quantity = Math.min(remaining, window.capacity);
      if (order.timeInForce === 'FOK' && quantity < remaining * (1 - 1e-9)) {
        this.end(entry, at, `FOK: only ${round(quantity)} of ${round(remaining)} could execute`, false);
        return;
      }
      if (quantity > MIN_EXECUTION) {
        if (!this.execute(entry, window, decision.execution, quantity, at)) return;
      }
    }
    if (!this.byId.has(order.id)) return;
    if (chance && (order.timeInForce === 'IOC' || order.timeInForce === 'FOK')) {
      this.end(entry, at, `${order.timeInForce}: unfilled remainder cancelled`, false);
      return;
    }
    if (chance) entry.hadChance = true;
    // Whatever did not fill now rests in the book: a later fill at its limit adds liquidity.
    entry.state.rested = true;
  }

  /** Executes `quantity`; returns false when the order ended instead (no balance for it). */
  private execute(
    entry: BookEntry,
    window: PriceWindow,
    terms: { referencePrice: number; liquidity: 'maker' | 'taker'; aggressive: boolean; limit?: number },
    quantity: number,
    at: number,
  ): boolean {
    const { order } = entry;
    const buy = order.side === 'buy';
    let price = terms.referencePrice;
    if (terms.aggressive) {
      const fraction = this.slippage.fraction({ side: order.side, referencePrice: price, quantity, bar: window.bar });
      price = slippedPrice(order.side, price, fraction);
      if (terms.limit !== undefined) price = buy ? Math.min(price, terms.limit) : Math.max(price, terms.limit);
    }
    const { base, quote } = symbolParts(order.symbol);
    const notional = quantity * price;
    const fee = executionFee(notional, terms.liquidity, this.fees);
    const shortfall = buy
      ? this.shortfall(quote, notional + fee, entry)
      : this.allowShort
        ? undefined
        : this.shortfall(base, quantity, entry);
    if (shortfall !== undefined) {
      this.end(entry, at, shortfall, true);
      return false;
    }
    this.balanceBook[quote] = (this.balanceBook[quote] ?? 0) + (buy ? -notional : notional) - fee;
    this.balanceBook[base] = (this.balanceBook[base] ?? 0) + (buy ? quantity : 0 - quantity);
    window.capacity -= quantity;
    const before = this.reserveOf(entry);
    entry.filled += quantity;
    this.adjustReserved(entry.reserveCurrency, this.reserveOf(entry) - before);
    const complete = this.remainingOf(entry) === 0;
    if (complete) this.unbook(entry);
    this.emit({
      type: 'fill',
      execution: { orderId: order.id, quantity, price, fee, feeCurrency: quote, liquidity: terms.liquidity, ts: at },
    });
    if (order.parentId !== undefined) this.cancelSiblings(entry, at);
    return true;
  }

  private shortfall(currency: string, need: number, entry: BookEntry): string | undefined {
    const free = (this.balanceBook[currency] ?? 0) - this.reserved(currency, entry);
    if (covers(free, need)) return undefined;
    return `insufficient ${currency} balance at execution: needs ${round(need)} ${currency}, ${round(free)} is free`;
  }

  /** One-cancels-other: the first fill of a bracket exit takes its sibling out of the book. */
  private cancelSiblings(entry: BookEntry, at: number): void {
    for (const other of [...this.byId.values()]) {
      if (other !== entry && other.order.parentId === entry.order.parentId) {
        this.unbook(other);
        this.emit({
          type: 'cancelled',
          orderId: other.order.id,
          ts: at,
          reason: `one-cancels-other: ${entry.order.bracketRole ?? 'exit'} ${entry.order.id} filled`,
        });
      }
    }
  }
}

function isStopType(type: OmsOrder['type']): boolean {
  return type === 'stop' || type === 'stop-limit' || type === 'trailing-stop';
}

function round(value: number): string {
  return Number(value.toPrecision(10)).toString();
}
