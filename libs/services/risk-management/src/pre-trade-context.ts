import { signedQuantity, splitSymbol, ValidationError, type OrderRequest } from '@rrr/core';
import { measurePeriodLosses, type PeriodLosses } from './period-losses';
import { parseUtcTimeOfDay } from './risk-period';
import type { RiskLimits } from './risk-limits';
import { isWorkingOrder, workingQuantity, type RiskSnapshot } from './risk-snapshot';

/** One symbol's book: the position and what its working orders could add on each side. */
export interface SymbolBook {
  symbol: string;
  /** Base asset, e.g. BTC for BTC-USD and BTC/USDT: concentration is measured per base asset. */
  base: string;
  mark: number;
  position: number;
  /** Remaining quantity of working buy / sell orders that can add exposure (reduce-only orders cannot). */
  pendingBuy: number;
  pendingSell: number;
  /** Remaining quantity of every working order on each side, reduce-only included. */
  pendingBuyAll: number;
  pendingSellAll: number;
}

/**
 * The order and the book with everything the rules measure, computed once per evaluation. Exposure is measured
 * worst case: every working order that can add exposure is assumed to fill, none that reduces it is.
 */
export interface PreTradeContext {
  order: OrderRequest;
  snapshot: RiskSnapshot;
  limits: RiskLimits;
  /** Price the order's notional is taken at: its limit price, else its stop price, else the mark. */
  referencePrice: number;
  orderNotional: number;
  /** Mark of the order's symbol (the reference price when the snapshot has no mark for it). */
  mark: number;
  currentPosition: number;
  /** Position if this order and every working order on its side that can add exposure fill. */
  projectedPosition: number;
  /** False for reduce-only orders and for orders that, with the working orders on their side, only shrink the position. */
  increasesExposure: boolean;
  /** The order's symbol has no position and no working order that opens one. */
  opensNewPosition: boolean;
  /** Symbols with a position or a working order that can open one, before this order. */
  openPositionCount: number;
  grossExposureBefore: number;
  /** Σ over symbols of worst-case |quantity| × mark, with the order. */
  grossExposureAfter: number;
  baseAsset: string;
  /** Gross exposure to the order's base asset with the order. */
  baseExposureAfter: number;
  periodLosses: PeriodLosses;
  books: ReadonlyMap<string, SymbolBook>;
}

const baseAssetCache = new Map<string, string>();

export function baseAssetOf(symbol: string): string {
  let base = baseAssetCache.get(symbol);
  if (base === undefined) {
    base = splitSymbol(symbol).base;
    baseAssetCache.set(symbol, base);
  }
  return base;
}

/** Worst-case absolute quantity of a book, with `extraBuy` / `extraSell` more working on each side. */
export function worstCaseQuantity(book: SymbolBook, extraBuy = 0, extraSell = 0): number {
  return Math.max(
    Math.abs(book.position + book.pendingBuy + extraBuy),
    Math.abs(book.position - book.pendingSell - extraSell),
  );
}

export function buildPreTradeContext(order: OrderRequest, snapshot: RiskSnapshot, limits: RiskLimits): PreTradeContext {
  if (!Number.isFinite(snapshot.equity)) {
    throw new ValidationError('risk snapshot', [
      { field: 'equity', message: 'must be a finite number', value: snapshot.equity },
    ]);
  }
  if (!Number.isFinite(snapshot.now)) {
    throw new ValidationError('risk snapshot', [
      { field: 'now', message: 'must be epoch milliseconds', value: snapshot.now },
    ]);
  }
  const orderPrice = order.price ?? order.stopPrice;
  const books = new Map<string, SymbolBook>();
  const bookOf = (symbol: string): SymbolBook => {
    let book = books.get(symbol);
    if (book === undefined) {
      const mark = snapshot.marks[symbol] ?? (symbol === order.symbol ? orderPrice : undefined);
      if (mark === undefined || !(mark > 0) || !Number.isFinite(mark)) {
        throw new ValidationError('risk snapshot', [
          {
            field: `marks.${symbol}`,
            message: 'must be a price > 0 for every symbol with a position, a working order or the order being checked',
            value: mark,
          },
        ]);
      }
      book = {
        symbol,
        base: baseAssetOf(symbol),
        mark,
        position: 0,
        pendingBuy: 0,
        pendingSell: 0,
        pendingBuyAll: 0,
        pendingSellAll: 0,
      };
      books.set(symbol, book);
    }
    return book;
  };

  for (const p of snapshot.positions) {
    if (!Number.isFinite(p.quantity)) {
      throw new ValidationError('risk snapshot', [
        { field: `positions.${p.symbol}.quantity`, message: 'must be a finite number', value: p.quantity },
      ]);
    }
    if (p.quantity !== 0) bookOf(p.symbol).position += p.quantity;
  }
  for (const o of snapshot.openOrders) {
    if (!isWorkingOrder(o)) continue;
    const remaining = workingQuantity(o);
    if (remaining === 0) continue;
    const book = bookOf(o.symbol);
    if (o.side === 'buy') {
      book.pendingBuyAll += remaining;
      if (!o.reduceOnly) book.pendingBuy += remaining;
    } else {
      book.pendingSellAll += remaining;
      if (!o.reduceOnly) book.pendingSell += remaining;
    }
  }

  const own = bookOf(order.symbol);
  const hadBook = own.position !== 0 || own.pendingBuy > 0 || own.pendingSell > 0;
  let openPositionCount = 0;
  let grossExposureBefore = 0;
  for (const book of books.values()) {
    if (book.position !== 0 || book.pendingBuy > 0 || book.pendingSell > 0) openPositionCount += 1;
    grossExposureBefore += worstCaseQuantity(book) * book.mark;
  }

  const buy = order.side === 'buy';
  const signed = signedQuantity(order.side, order.quantity);
  // Shrinks the position only if this order and every working order on its side together cannot flip it.
  const sameSideAll = buy ? own.pendingBuyAll : own.pendingSellAll;
  const shrinks =
    own.position !== 0 &&
    Math.sign(signed) !== Math.sign(own.position) &&
    order.quantity + sameSideAll <= Math.abs(own.position);
  const increasesExposure = !order.reduceOnly && !shrinks;

  const extraBuy = increasesExposure && buy ? order.quantity : 0;
  const extraSell = increasesExposure && !buy ? order.quantity : 0;
  const ownBefore = worstCaseQuantity(own) * own.mark;
  const ownAfter = worstCaseQuantity(own, extraBuy, extraSell) * own.mark;
  const grossExposureAfter = grossExposureBefore - ownBefore + ownAfter;

  let baseExposureAfter = 0;
  for (const book of books.values()) {
    if (book.base === own.base) baseExposureAfter += book === own ? ownAfter : worstCaseQuantity(book) * book.mark;
  }

  const projectedPosition = buy
    ? own.position + own.pendingBuy + order.quantity
    : own.position - own.pendingSell - order.quantity;
  const referencePrice = orderPrice ?? own.mark;

  return {
    order,
    snapshot,
    limits,
    referencePrice,
    orderNotional: order.quantity * referencePrice,
    mark: own.mark,
    currentPosition: own.position,
    projectedPosition,
    increasesExposure,
    opensNewPosition: increasesExposure && !hadBook,
    openPositionCount,
    grossExposureBefore,
    grossExposureAfter,
    baseAsset: own.base,
    baseExposureAfter,
    periodLosses: measurePeriodLosses(
      snapshot.equityHistory,
      snapshot.equity,
      snapshot.now,
      dayOffsetOf(limits.circuitBreakerResetUtc),
    ),
    books,
  };
}

const dayOffsetCache = new Map<string, number>();

function dayOffsetOf(resetUtc: string): number {
  let offset = dayOffsetCache.get(resetUtc);
  if (offset === undefined) {
    offset = parseUtcTimeOfDay(resetUtc);
    dayOffsetCache.set(resetUtc, offset);
  }
  return offset;
}
