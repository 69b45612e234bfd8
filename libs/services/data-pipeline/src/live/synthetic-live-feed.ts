import {
  ValidationError,
  systemClock,
  type Bar,
  type Clock,
  type FieldProblem,
  type Interval,
  type Trade,
} from '@rrr/core';
import { TradeAggregator } from '../aggregation/trade-aggregator';
import { SyntheticMarket, type SyntheticMarketOptions } from '../sources/synthetic-market';

/** The timer a live feed paces itself with; tests inject one they drive by hand. */
export interface FeedTimer {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimer: FeedTimer = {
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SyntheticLiveFeedOptions {
  symbols: readonly string[];
  seed: number;
  /** Bars built from the trades. Default 1m. */
  interval?: Interval;
  /** Time between ticks (ms). Default 1,000. */
  tickMs?: number;
  /** Most trades per symbol per tick (1 … max, drawn per tick). Default 3. */
  maxTradesPerTick?: number;
  clock?: Clock;
  timer?: FeedTimer;
  /** Per-symbol market parameters (start price, volatility …) over the defaults. */
  markets?: Readonly<Record<string, Partial<Omit<SyntheticMarketOptions, 'symbol' | 'seed'>>>>;
  onTrade?: (trade: Trade) => void | Promise<void>;
  onBar?: (bar: Bar) => void | Promise<void>;
  /** A callback failed (it never stops the feed). */
  onError?: (error: unknown) => void;
}

/**
 * A seeded synthetic market running in (injected) real time: every tick each symbol prints a few trades spread over
 * the time since the last tick, and a bar is emitted as soon as the clock passes the end of its window. With a
 * ManualClock and a hand-driven timer the whole feed is deterministic.
 */
export class SyntheticLiveFeed {
  readonly interval: Interval;
  readonly tickMs: number;
  private readonly clock: Clock;
  private readonly timer: FeedTimer;
  private readonly markets: SyntheticMarket[];
  private readonly aggregator: TradeAggregator;
  private readonly maxTradesPerTick: number;
  private handle: unknown;
  private lastTickAt: number | undefined;
  private tradesEmitted = 0;
  private barsEmitted = 0;
  private lastBarAt: number | undefined;

  constructor(private readonly options: SyntheticLiveFeedOptions) {
    this.interval = options.interval ?? '1m';
    this.tickMs = options.tickMs ?? 1_000;
    this.maxTradesPerTick = options.maxTradesPerTick ?? 3;
    const problems: FieldProblem[] = [];
    if (options.symbols.length === 0) problems.push({ field: 'symbols', message: 'must list at least one symbol' });
    if (!Number.isInteger(this.tickMs) || this.tickMs < 1)
      problems.push({ field: 'tickMs', message: 'must be an integer >= 1', value: this.tickMs });
    if (!Number.isInteger(this.maxTradesPerTick) || this.maxTradesPerTick < 1) {
      problems.push({ field: 'maxTradesPerTick', message: 'must be an integer >= 1', value: this.maxTradesPerTick });
    }
    if (problems.length > 0) throw new ValidationError('synthetic live feed', problems);
    this.clock = options.clock ?? systemClock;
    this.timer = options.timer ?? systemTimer;
    this.markets = options.symbols.map(
      (symbol) => new SyntheticMarket({ ...options.markets?.[symbol], symbol, seed: options.seed }),
    );
    this.aggregator = new TradeAggregator({ interval: this.interval, onBar: (bar) => this.emitBar(bar) });
  }

  get running(): boolean {
    return this.handle !== undefined;
  }

  get stats(): { trades: number; bars: number; lastBarAt?: number } {
    return {
      trades: this.tradesEmitted,
      bars: this.barsEmitted,
      ...(this.lastBarAt === undefined ? {} : { lastBarAt: this.lastBarAt }),
    };
  }

  start(): void {
    if (this.handle !== undefined) return;
    this.lastTickAt ??= this.clock.now();
    this.schedule();
  }

  stop(): void {
    if (this.handle === undefined) return;
    this.timer.clearTimeout(this.handle);
    this.handle = undefined;
  }

  /** One step at the clock's current time: trades for every symbol, then every bar whose window has ended. */
  tick(): void {
    const now = this.clock.now();
    const since = this.lastTickAt ?? now - this.tickMs;
    const elapsed = Math.max(0, now - since);
    for (const market of this.markets) {
      // The count comes from the market's own stream, so adding a symbol does not change another's path.
      const count = 1 + Math.floor(market.uniform() * this.maxTradesPerTick);
      for (let k = 1; k <= count; k++) {
        const ts = since + Math.round((elapsed * k) / count);
        const trade = market.nextTrade(ts, elapsed / count);
        this.aggregator.add(trade);
        this.tradesEmitted++;
        this.deliver(this.options.onTrade, trade);
      }
    }
    this.lastTickAt = now;
    this.aggregator.advanceTo(now);
  }

  private schedule(): void {
    this.handle = this.timer.setTimeout(() => {
      this.tick();
      if (this.handle !== undefined) this.schedule();
    }, this.tickMs);
  }

  private emitBar(bar: Bar): void {
    this.barsEmitted++;
    this.lastBarAt = bar.ts;
    this.deliver(this.options.onBar, bar);
  }

  private deliver<T>(callback: ((value: T) => void | Promise<void>) | undefined, value: T): void {
    if (callback === undefined) return;
    try {
      const result = callback(value);
      if (result instanceof Promise) result.catch((err: unknown) => this.options.onError?.(err));
    } catch (err) {
      this.options.onError?.(err);
    }
  }
}
