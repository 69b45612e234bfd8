import { INTERVAL_MS, ValidationError, floorToInterval, type Bar, type Interval } from '@rrr/core';

export interface BarResamplerOptions {
  /** Interval of the incoming bars. */
  from: Interval;
  /** Interval of the bars produced: a whole multiple of `from`. */
  to: Interval;
  onBar: (bar: Bar) => void;
  /** A bar older than the window being built (its window already closed): left out, and this says so. */
  onLateBar?: (bar: Bar, reason: string) => void;
}

class Building {
  high = -Infinity;
  low = Infinity;
  close = 0;
  volume = 0;
  /** Σ vwap·volume, meaningful only while every bar had a vwap. */
  notional = 0;
  allVwap = true;
  trades = 0;
  allTrades = true;

  constructor(
    readonly symbol: string,
    readonly start: number,
    readonly open: number,
  ) {}
}

/**
 * Streams bars of one interval into bars of a higher one (1m → 5m/15m/1h/4h/1d, 1h → 4h/1d …): open of the first,
 * close of the last, extremes, summed volume, volume-weighted vwap (kept only when every input bar has one), summed
 * trade count (likewise). Windows follow the UTC grid; each closes when a bar of a later window arrives or on flush.
 */
export class BarResampler {
  private readonly building = new Map<string, Building>();
  private readonly closedUntil = new Map<string, number>();
  private late = 0;

  constructor(private readonly options: BarResamplerOptions) {
    const fromMs = INTERVAL_MS[options.from];
    const toMs = INTERVAL_MS[options.to];
    if (fromMs === undefined || toMs === undefined || toMs <= fromMs || toMs % fromMs !== 0) {
      throw new ValidationError('bar resampler', [
        {
          field: 'to',
          message: `must be a whole multiple of ${options.from} and longer than it (got ${options.to})`,
          value: options.to,
        },
      ]);
    }
  }

  get lateBars(): number {
    return this.late;
  }

  add(bar: Bar): void {
    if (bar.interval !== this.options.from) {
      throw new ValidationError('bar resampler', [
        { field: 'interval', message: `expected ${this.options.from} bars (got ${bar.interval})`, value: bar.interval },
      ]);
    }
    const start = floorToInterval(bar.ts, this.options.to);
    let current = this.building.get(bar.symbol);
    if (current !== undefined && start > current.start) {
      this.emit(current);
      current = undefined;
    }
    if (current === undefined) {
      const closed = this.closedUntil.get(bar.symbol);
      if (closed !== undefined && start < closed) {
        this.late++;
        this.options.onLateBar?.(
          bar,
          `bar at ${new Date(bar.ts).toISOString()} arrived after its ${this.options.to} window had closed`,
        );
        return;
      }
      current = new Building(bar.symbol, start, bar.open);
      this.building.set(bar.symbol, current);
    } else if (start < current.start) {
      this.late++;
      this.options.onLateBar?.(
        bar,
        `bar at ${new Date(bar.ts).toISOString()} is older than the ${this.options.to} window being built`,
      );
      return;
    }
    if (bar.high > current.high) current.high = bar.high;
    if (bar.low < current.low) current.low = bar.low;
    current.close = bar.close;
    current.volume += bar.volume;
    if (bar.vwap === undefined) current.allVwap = false;
    else current.notional += bar.vwap * bar.volume;
    if (bar.trades === undefined) current.allTrades = false;
    else current.trades += bar.trades;
  }

  flush(): void {
    for (const current of [...this.building.values()]) this.emit(current);
  }

  private emit(b: Building): void {
    this.building.delete(b.symbol);
    this.closedUntil.set(b.symbol, b.start + INTERVAL_MS[this.options.to]);
    const bar: Bar = {
      symbol: b.symbol,
      interval: this.options.to,
      ts: b.start,
      open: b.open,
      high: b.high,
      low: b.low,
      close: b.close,
      volume: b.volume,
    };
    if (b.allVwap && b.volume > 0) bar.vwap = Math.min(b.high, Math.max(b.low, b.notional / b.volume));
    if (b.allTrades) bar.trades = b.trades;
    this.options.onBar(bar);
  }
}

/** All higher-interval bars of a finite, time-ordered list of bars. */
export function resampleBars(bars: Iterable<Bar>, from: Interval, to: Interval): Bar[] {
  const out: Bar[] = [];
  const resampler = new BarResampler({ from, to, onBar: (bar) => out.push(bar) });
  for (const bar of bars) resampler.add(bar);
  resampler.flush();
  return out;
}
