import { DOMAIN_LIMITS, isRrrError, type OrderRequest, type OrderSide, type Signal } from '@rrr/core';
import { fixedStopPrice, takeProfitPrice } from '@rrr/risk-management';
import { createHash } from 'node:crypto';
import { isPromise, type MaybePromise } from '../oms/maybe-promise';
import type { OmsOrder } from '../orders/oms-order';
import type { Portfolio } from '../portfolio/portfolio';
import { fixedFractionSizer, type PositionSizer } from './position-sizer';

/** The part of the OMS the executor uses. */
export interface OrderSubmitter {
  /** The OrderManager's: answers at once when it can, so a backtest's signal costs no microtask turn. */
  submitOrderNow(request: OrderRequest, options?: { strategyId?: string }): MaybePromise<OmsOrder>;
  getWorkingOrders(): OmsOrder[];
}

export interface ProtectiveStopOptions {
  /** Stop-loss distance from the entry price as a fraction; default 0.02 (legacy fixed 2 %). */
  stopLossPct?: number;
  /** Take-profit at this multiple of the stop distance; default 3 (legacy 3:1). */
  rewardRisk?: number;
}

export interface SignalExecutorOptions {
  oms: OrderSubmitter;
  portfolio: Portfolio;
  /** Default: 10 % of equity per position. */
  sizer?: PositionSizer;
  /** Act on short signals by selling short; default false (a short signal only closes a long). */
  allowShort?: boolean;
  /** Attach a bracket (stop-loss + take-profit) to entries from flat; default none. */
  stops?: ProtectiveStopOptions;
  /** Closes remembered per symbol for sizers that estimate volatility; default 300. */
  closesKept?: number;
}

export type ExecutionOutcome =
  | { status: 'submitted'; order: OmsOrder }
  | { status: 'skipped'; reason: string }
  | { status: 'refused'; code: string; reason: string };

const MAX_CLIENT_ORDER_ID = DOMAIN_LIMITS.idMaxLength;

/**
 * Turns strategy signals into orders: a long signal makes the position long (sized by the sizer), a short one
 * short (or flat, when shorting is not allowed), a flat one closes it. A signal for the regime already held does
 * nothing (no re-sizing churn); neither does one while an order of that strategy is still working on the symbol.
 * Closing orders are reduce-only; entries from flat may carry a bracket. Every order goes through the OMS, so
 * through pre-trade risk; a refusal is reported, not thrown. The client order id is derived from strategy, symbol
 * and signal time: a signal replayed after a restart cannot trade twice.
 */
export class SignalExecutor {
  private readonly oms: OrderSubmitter;
  private readonly portfolio: Portfolio;
  private readonly sizer: PositionSizer;
  private readonly allowShort: boolean;
  private readonly stops: Required<ProtectiveStopOptions> | undefined;
  private readonly closesKept: number;
  private readonly closes = new Map<string, number[]>();

  constructor(options: SignalExecutorOptions) {
    this.oms = options.oms;
    this.portfolio = options.portfolio;
    this.sizer = options.sizer ?? fixedFractionSizer();
    this.allowShort = options.allowShort === true;
    this.stops =
      options.stops === undefined
        ? undefined
        : { stopLossPct: options.stops.stopLossPct ?? 0.02, rewardRisk: options.stops.rewardRisk ?? 3 };
    this.closesKept = options.closesKept ?? 300;
  }

  /** Remembers a close for volatility-based sizing; the engine calls it for every bar. */
  observeClose(symbol: string, close: number): void {
    let list = this.closes.get(symbol);
    if (list === undefined) {
      list = [];
      this.closes.set(symbol, list);
    }
    list.push(close);
    // Trimmed in one splice per closesKept bars: a shift per bar would move the whole window every bar.
    if (list.length >= 2 * this.closesKept) list.splice(0, list.length - this.closesKept);
  }

  /** The last `closesKept` closes of `symbol`, oldest first. */
  private recentCloses(symbol: string): number[] {
    const list = this.closes.get(symbol) ?? [];
    return list.length > this.closesKept ? list.slice(list.length - this.closesKept) : list;
  }

  async execute(signal: Signal): Promise<ExecutionOutcome> {
    return this.executeNow(signal);
  }

  /** execute, answering at once when the OMS does (in-memory store, paper exchange). */
  executeNow(signal: Signal): MaybePromise<ExecutionOutcome> {
    const { symbol } = signal;
    const strategyId = signal.source;
    const pending = this.oms
      .getWorkingOrders()
      .find((o) => o.symbol === symbol && o.parentId === undefined && o.strategyId === strategyId);
    if (pending !== undefined)
      return { status: 'skipped', reason: `order ${pending.id} for ${symbol} is still working` };

    const current = this.portfolio.quantity(symbol);
    const wanted = signal.direction === 'short' && !this.allowShort ? 'flat' : signal.direction;
    if (
      (wanted === 'long' && current > 0) ||
      (wanted === 'short' && current < 0) ||
      (wanted === 'flat' && current === 0)
    ) {
      return { status: 'skipped', reason: `already ${wanted} ${symbol}` };
    }
    const price = signal.price ?? this.portfolio.markOf(symbol);
    if (price === undefined) return { status: 'skipped', reason: `no price known for ${symbol}` };

    let request: OrderRequest;
    if (wanted === 'flat') {
      request = this.order(symbol, current > 0 ? 'sell' : 'buy', Math.abs(current), true);
    } else {
      const size = this.sizer.size({
        signal,
        equity: this.portfolio.valuation().equity,
        price,
        position: current,
        closes: this.recentCloses(symbol),
      });
      if (!(size > 0)) return { status: 'skipped', reason: `${this.sizer.name} sized ${symbol} at 0` };
      const side: OrderSide = wanted === 'long' ? 'buy' : 'sell';
      const quantity = Math.min(DOMAIN_LIMITS.orderQuantityMax, Math.abs(current) + size);
      request = this.order(symbol, side, quantity, false);
      if (this.stops !== undefined && current === 0) {
        const direction = wanted === 'long' ? 'long' : 'short';
        const stopLoss = fixedStopPrice(price, direction, this.stops.stopLossPct);
        request.bracket = { stopLoss, takeProfit: takeProfitPrice(price, stopLoss, this.stops.rewardRisk) };
      }
    }
    request.clientOrderId = clientOrderIdFor(strategyId, symbol, signal.ts);
    let submitted: MaybePromise<OmsOrder>;
    try {
      submitted = this.oms.submitOrderNow(request, { strategyId });
    } catch (error) {
      return refusalOutcome(error);
    }
    if (isPromise(submitted)) return submitted.then(submittedOutcome, refusalOutcome);
    return submittedOutcome(submitted);
  }

  private order(symbol: string, side: OrderSide, quantity: number, reduceOnly: boolean): OrderRequest {
    const request: OrderRequest = { symbol, side, type: 'market', quantity };
    if (reduceOnly) request.reduceOnly = true;
    return request;
  }
}

function submittedOutcome(order: OmsOrder): ExecutionOutcome {
  return { status: 'submitted', order };
}

/** A refusal of the order is an outcome; any other failure is thrown on. */
function refusalOutcome(error: unknown): ExecutionOutcome {
  if (
    isRrrError(error) &&
    (error.code === 'RISK_REJECTED' || error.code === 'ORDER_INVALID' || error.code === 'CONFLICT')
  ) {
    return { status: 'refused', code: error.code, reason: error.message };
  }
  throw error;
}

/** `<strategy>:<symbol>:<ts>`, hashed when longer than an id may be. */
export function clientOrderIdFor(strategyId: string, symbol: string, ts: number): string {
  const plain = `${strategyId}:${symbol}:${ts}`.replace(/\s+/g, '_');
  if (plain.length <= MAX_CLIENT_ORDER_ID) return plain;
  return `sig:${createHash('sha256').update(plain).digest('hex').slice(0, 40)}`;
}
