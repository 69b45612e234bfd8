import { barOpen } from './interval-ms';

export interface Candle {
  /** Open time, epoch ms. */
  ts: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface LiveTrade {
  ts: number;
  price: number;
  quantity: number;
}

/**
 * The candle a live trade belongs to, after the trade: `current` moved (and its volume grown) when the trade falls in
 * its window, else a new candle opening at the trade's price. The closed bar from the `bars` channel replaces it later.
 */
export function candleWithTrade(current: Candle | undefined, trade: LiveTrade, interval: string): Candle {
  const { price, quantity } = trade;
  const open = barOpen(trade.ts, interval);
  if (current === undefined || current.ts !== open) {
    return { ts: open, open: price, high: price, low: price, close: price, volume: quantity };
  }
  return {
    ts: open,
    open: current.open,
    high: Math.max(current.high, price),
    low: Math.min(current.low, price),
    close: price,
    volume: current.volume + quantity,
  };
}
