import { ValidationError, intervalMs, type Bar, type Interval, type Trade } from '@rrr/core';

export interface TradeAggregatorOptions {
  interval: Interval;
  /** Receives each bar once its window has closed, in window order per symbol. */
  onBar: (bar: Bar) => void;
  /**
   * How far behind the newest trade (event time, ms) a trade may arrive and still join its bar. A window closes once
   * the newest trade seen is at least this far past its end. Default 0: a window closes on the first trade beyond it.
   */
  lateToleranceMs?: number;
  /** A trade for a window that had already closed: it is not in any bar, and this says so. Default: counted only. */
  onLateTrade?: (trade: Trade, reason: string) => void;
}

/** One open window of one symbol; the first trade sets every price field. */
class Window {
  open = 0;
  openTs = Infinity;
  high = -Infinity;
  low = Infinity;
  close = 0;
  closeTs = -Infinity;
  volume = 0;
  notional = 0;
  count = 0;

  constructor(
    readonly start: number,
    readonly end: number,
  ) {}
}

class Series {
  /** Open windows, oldest first; with a tolerance below one interval there are at most two. */
  readonly windows: Window[] = [];
  /** End of the newest window emitted: trades before it are late. */
  closedUntil = -Infinity;
  newestTs = -Infinity;

  constructor(readonly symbol: string) {}
}

/**
 * Streams trades into OHLCV bars with VWAP (Σ price·quantity / Σ quantity) and trade count. Open and close are the
 * earliest and latest trades by timestamp (ties: first and last to arrive), so trades reordered within the tolerance
 * give the same bar as sorted ones. Per-trade work is a few comparisons on the symbol's current window.
 */
export class TradeAggregator {
  readonly interval: Interval;
  private readonly ms: number;
  private readonly tolerance: number;
  private readonly onBar: (bar: Bar) => void;
  private readonly onLateTrade: ((trade: Trade, reason: string) => void) | undefined;
  private readonly series = new Map<string, Series>();
  private lastSymbol = '';
  private last: Series | undefined;
  private late = 0;

  constructor(options: TradeAggregatorOptions) {
    this.interval = options.interval;
    this.ms = intervalMs(options.interval);
    const tolerance = options.lateToleranceMs ?? 0;
    if (!Number.isFinite(tolerance) || tolerance < 0) {
      throw new ValidationError('trade aggregator', [
        { field: 'lateToleranceMs', message: 'must be a number >= 0', value: tolerance },
      ]);
    }
    this.tolerance = tolerance;
    this.onBar = options.onBar;
    this.onLateTrade = options.onLateTrade;
  }

  /** Trades that arrived after their window had closed. */
  get lateTrades(): number {
    return this.late;
  }

  add(trade: Trade): void {
    const { ts, price, quantity } = trade;
    let series = this.last;
    if (trade.symbol !== this.lastSymbol || series === undefined) {
      series = this.series.get(trade.symbol);
      if (series === undefined) {
        series = new Series(trade.symbol);
        this.series.set(trade.symbol, series);
      }
      this.lastSymbol = trade.symbol;
      this.last = series;
    }
    const start = ts - (((ts % this.ms) + this.ms) % this.ms);
    if (start < series.closedUntil) {
      this.late++;
      this.onLateTrade?.(
        trade,
        `trade at ${new Date(ts).toISOString()} arrived after its ${this.interval} bar (${new Date(start).toISOString()}) had closed`,
      );
      return;
    }
    const windows = series.windows;
    let w = windows.length > 0 ? windows[windows.length - 1] : undefined;
    if (w === undefined || w.start !== start) w = this.windowFor(series, start);
    if (ts < w.openTs) {
      w.open = price;
      w.openTs = ts;
    }
    if (ts >= w.closeTs) {
      w.close = price;
      w.closeTs = ts;
    }
    if (price > w.high) w.high = price;
    if (price < w.low) w.low = price;
    w.volume += quantity;
    w.notional += price * quantity;
    w.count++;
    if (ts > series.newestTs) {
      series.newestTs = ts;
      if (ts - this.tolerance >= windows[0].end) this.closeUpTo(series, ts - this.tolerance);
    }
  }

  /** Closes every window that ended at or before `watermark` (event time minus nothing): for wall-clock-driven feeds. */
  advanceTo(watermark: number): void {
    for (const series of this.series.values()) this.closeUpTo(series, watermark);
  }

  /** Emits every open window (the end of a stream). */
  flush(): void {
    for (const series of this.series.values()) this.closeUpTo(series, Infinity);
  }

  private windowFor(series: Series, start: number): Window {
    const windows = series.windows;
    let i = windows.length;
    while (i > 0 && windows[i - 1].start > start) i--;
    if (i > 0 && windows[i - 1].start === start) return windows[i - 1];
    const created = new Window(start, start + this.ms);
    windows.splice(i, 0, created);
    return created;
  }

  private closeUpTo(series: Series, watermark: number): void {
    const windows = series.windows;
    let n = 0;
    while (n < windows.length && windows[n].end <= watermark) n++;
    if (n === 0) {
      if (watermark !== Infinity && watermark > series.closedUntil) {
        // Nothing open before the watermark: later trades before it are late too.
        series.closedUntil = Math.max(series.closedUntil, watermark - (((watermark % this.ms) + this.ms) % this.ms));
      }
      return;
    }
    const closed = windows.splice(0, n);
    for (const w of closed) {
      this.onBar({
        symbol: series.symbol,
        interval: this.interval,
        ts: w.start,
        open: w.open,
        high: w.high,
        low: w.low,
        close: w.close,
        volume: w.volume,
        vwap: w.volume > 0 ? w.notional / w.volume : w.close,
        trades: w.count,
      });
    }
    series.closedUntil = Math.max(series.closedUntil, closed[closed.length - 1].end);
  }
}

/** All bars of a finite list of trades (every window flushed at the end). */
export function aggregateTrades(trades: Iterable<Trade>, interval: Interval, lateToleranceMs = 0): Bar[] {
  const bars: Bar[] = [];
  const aggregator = new TradeAggregator({ interval, lateToleranceMs, onBar: (bar) => bars.push(bar) });
  for (const trade of trades) aggregator.add(trade);
  aggregator.flush();
  return bars;
}
