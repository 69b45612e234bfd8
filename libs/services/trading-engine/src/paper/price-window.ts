import { intervalMs, type Bar, type OrderSide, type Quote, type Trade } from '@rrr/core';

/**
 * The prices one piece of market data offers an order on one side, in one shape for bars, trades and quotes:
 * where trading starts (`first`), the extremes it reaches, and how much can execute. A bar offers open, high and low
 * (the path between them is unknown); a trade offers its price; a quote offers the ask to buyers and the bid to
 * sellers.
 */
export interface PriceWindow {
  kind: 'bar' | 'trade' | 'quote';
  /** When the window starts: the bar's open time, the trade's or quote's ts. */
  ts: number;
  /** Orders that arrived before this instant can trade in the window (a bar's end; a tick's own ts). */
  arrivalCutoff: number;
  /** Whether arrival exactly at the cutoff still counts: yes for ticks, no for a bar's (exclusive) end. */
  cutoffInclusive: boolean;
  first: number;
  high: number;
  low: number;
  /** Quantity that can still execute in this window; Infinity when uncapped. Shared by every order matched on it. */
  capacity: number;
  bar?: Bar;
}

/** Bars cap fills at `volumeShare` of their volume (null: uncapped); both sides share the one capacity. */
export function barWindow(bar: Bar, volumeShare: number | null): PriceWindow {
  return {
    kind: 'bar',
    ts: bar.ts,
    arrivalCutoff: bar.ts + intervalMs(bar.interval),
    cutoffInclusive: false,
    first: bar.open,
    high: bar.high,
    low: bar.low,
    capacity: volumeShare === null ? Number.POSITIVE_INFINITY : bar.volume * volumeShare,
    bar,
  };
}

/**
 * A print at a bar's close, for orders placed on that bar when fills happen at the close: they can take up to
 * `volumeShare` of the bar's volume (null: uncapped) at the close price. It keeps the bar, so slippage models that
 * read the bar's volume or range price these fills as they price the bar's own.
 */
export function barCloseWindow(bar: Bar, volumeShare: number | null): PriceWindow {
  const close = bar.ts + intervalMs(bar.interval);
  return {
    kind: 'trade',
    ts: close,
    arrivalCutoff: close,
    cutoffInclusive: true,
    first: bar.close,
    high: bar.close,
    low: bar.close,
    capacity: volumeShare === null ? Number.POSITIVE_INFINITY : bar.volume * volumeShare,
    bar,
  };
}

/** A print: the order can take up to the printed quantity at its price. */
export function tradeWindow(trade: Trade): PriceWindow {
  return {
    kind: 'trade',
    ts: trade.ts,
    arrivalCutoff: trade.ts,
    cutoffInclusive: true,
    first: trade.price,
    high: trade.price,
    low: trade.price,
    capacity: trade.quantity,
  };
}

/** Top of book for one side: buyers see the ask and its size, sellers the bid and its size. */
export function quoteWindow(quote: Quote, side: OrderSide): PriceWindow {
  const price = side === 'buy' ? quote.ask : quote.bid;
  return {
    kind: 'quote',
    ts: quote.ts,
    arrivalCutoff: quote.ts,
    cutoffInclusive: true,
    first: price,
    high: price,
    low: price,
    capacity: side === 'buy' ? quote.askSize : quote.bidSize,
  };
}

export function arrivedInTime(window: PriceWindow, activeAt: number): boolean {
  return window.cutoffInclusive ? activeAt <= window.arrivalCutoff : activeAt < window.arrivalCutoff;
}
