import {
  ValidationError,
  errorMessage,
  systemClock,
  validateBar,
  type Bar,
  type Clock,
  type FieldProblem,
  type Interval,
} from '@rrr/core';
import type { ExchangeClient } from '@rrr/api-integration';
import { setTimeout as sleep } from 'node:timers/promises';
import { TradeAggregator } from '../aggregation/trade-aggregator';
import { DamagedWindowRepairer } from './damaged-window-repairer';
import { deliverFeedEvent } from './deliver-feed-event';
import { liveHistoryWindow } from './live-history-window';
import { systemTimer, type FeedTimer } from './feed-timer';
import type { LiveFeedOptions } from './live-feed-options';
import { TradeGapDetector } from './trade-gap-detector';

/** What the feed uses of an exchange client: api-integration's ExchangeClient fits. */
export type ExchangeLiveFeedClient = Pick<ExchangeClient, 'id' | 'watchTrades' | 'fetchOHLCV'>;

export interface ExchangeLiveFeedOptions extends LiveFeedOptions {
  client: ExchangeLiveFeedClient;
  /**
   * How long after its window a bar waits for trades still on their way (venue and network latency): a window
   * closes once the clock is this far past its end. Default 2,000 ms.
   */
  lateToleranceMs?: number;
  /** Pause before watching a market again after its stream failed. Default 5,000 ms. */
  retryMs?: number;
}

/**
 * Real market data as the platform's live feed: each symbol's trades from the exchange's WebSocket stream (through
 * api-integration's client, which reconnects and resubscribes on its own), aggregated into bars with VWAP and trade
 * count; a window's bar is emitted once the clock, or the newest trade, has passed its end by `lateToleranceMs` (a
 * window without trades has no bar); a trade arriving later than that is counted in `lateTrades`, in no bar. A stream
 * that fails is watched again after `retryMs`. `history` reads the candles before live time from the venue's REST
 * API, so strategies and charts have a past at once.
 *
 * Trades lost to an outage (a jump in the venue's sequential trade ids, or a stream that failed) would make wrong bars:
 * the windows from the last trade before the gap to the first after it are marked damaged, and once closed they are
 * replaced by the venue's official candles (`DamagedWindowRepairer`); later bars of the symbol wait for the repair.
 */
export class ExchangeLiveFeed {
  readonly interval: Interval;
  readonly tickMs: number;
  /** Names the feed in errors, `binance live feed`. */
  private readonly name: string;
  private readonly clock: Clock;
  private readonly timer: FeedTimer;
  private readonly aggregator: TradeAggregator;
  private readonly gapDetector = new TradeGapDetector();
  private readonly repairer: DamagedWindowRepairer;
  private readonly lateToleranceMs: number;
  private readonly retryMs: number;
  private controller: AbortController | undefined;
  private handle: unknown;
  private watching: Promise<void>[] = [];
  private tradesReceived = 0;
  private barsEmitted = 0;
  private lastBarAt: number | undefined;
  private streamErrors = 0;

  constructor(private readonly options: ExchangeLiveFeedOptions) {
    this.interval = options.interval ?? '1m';
    this.tickMs = options.tickMs ?? 1_000;
    this.lateToleranceMs = options.lateToleranceMs ?? 2_000;
    this.retryMs = options.retryMs ?? 5_000;
    this.name = `${options.client.id} live feed`;
    const problems: FieldProblem[] = [];
    if (options.symbols.length === 0) problems.push({ field: 'symbols', message: 'must list at least one symbol' });
    for (const [field, value] of [
      ['tickMs', this.tickMs],
      ['retryMs', this.retryMs],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) problems.push({ field, message: 'must be an integer >= 1', value });
    }
    if (!Number.isFinite(this.lateToleranceMs) || this.lateToleranceMs < 0) {
      problems.push({ field: 'lateToleranceMs', message: 'must be a number >= 0', value: this.lateToleranceMs });
    }
    if (problems.length > 0) throw new ValidationError(this.name, problems);
    this.clock = options.clock ?? systemClock;
    this.timer = options.timer ?? systemTimer;
    this.repairer = new DamagedWindowRepairer({
      feed: this.name,
      interval: this.interval,
      fetchCandles: (symbol, from, to) => this.candles(symbol, from, to),
      deliver: (bar) => {
        this.barsEmitted++;
        this.lastBarAt = bar.ts;
        deliverFeedEvent(this.options.onBar, bar, this.options.onError);
      },
      onError: (error) => this.options.onError?.(error),
    });
    this.aggregator = new TradeAggregator({
      interval: this.interval,
      // The same tolerance for trades as for the clock: a next-window print must not close a bar whose last trades
      // are still on their way.
      lateToleranceMs: this.lateToleranceMs,
      onBar: (bar) => this.repairer.barClosed(bar),
    });
  }

  get running(): boolean {
    return this.controller !== undefined;
  }

  get stats(): {
    source: string;
    trades: number;
    lateTrades: number;
    bars: number;
    streamErrors: number;
    gaps: number;
    repairedBars: number;
    repairFailures: number;
    lastBarAt?: number;
  } {
    return {
      source: this.options.client.id,
      trades: this.tradesReceived,
      lateTrades: this.aggregator.lateTrades,
      bars: this.barsEmitted,
      streamErrors: this.streamErrors,
      gaps: this.gapDetector.gaps,
      repairedBars: this.repairer.repairedBars,
      repairFailures: this.repairer.repairFailures,
      ...(this.lastBarAt === undefined ? {} : { lastBarAt: this.lastBarAt }),
    };
  }

  /**
   * The venue's candles before the window the clock is in: per symbol the last `bars` of them, or those after its
   * stored last bar (`lastStored`) when it has one (a gap longer than `bars` stays a gap). Invalid candles are
   * reported through `onError` and left out. Call it before `start`.
   */
  async history(bars: number, lastStored: ReadonlyMap<string, Bar> = new Map()): Promise<Bar[]> {
    const out: Bar[] = [];
    for (const symbol of this.options.symbols) {
      const { from, to } = liveHistoryWindow(this.name, this.interval, this.clock.now(), bars, lastStored.get(symbol));
      if (from >= to) continue;
      out.push(...(await this.candles(symbol, from, to)));
    }
    return out;
  }

  /** The venue's candles of `symbol` opening in [from, to); invalid ones are reported through `onError` and left out. */
  private async candles(symbol: string, from: number, to: number): Promise<Bar[]> {
    const out: Bar[] = [];
    for await (const bar of this.options.client.fetchOHLCV({ symbol, interval: this.interval, from, to })) {
      const problems = validateBar(bar);
      if (problems.length === 0) out.push(bar);
      else {
        const listed = problems.map((p) => `${p.field} ${p.message}`).join('; ');
        this.options.onError?.(
          new Error(`${this.options.client.id} candle ${symbol} ${new Date(bar.ts).toISOString()}: ${listed}`),
        );
      }
    }
    return out;
  }

  start(): void {
    if (this.controller !== undefined) return;
    const controller = new AbortController();
    this.controller = controller;
    this.watching = this.options.symbols.map((symbol) => this.watch(symbol, controller.signal));
    this.schedule();
  }

  /**
   * Stops watching and closing bars; the window still open is dropped (its bar would be incomplete), as are damaged
   * windows still waiting for their outage to end. Repairs already under way are delivered before it resolves.
   */
  async stop(): Promise<void> {
    const controller = this.controller;
    if (controller === undefined) return;
    this.controller = undefined;
    this.timer.clearTimeout(this.handle);
    this.handle = undefined;
    controller.abort();
    await Promise.all(this.watching);
    this.watching = [];
    await this.repairer.idle();
  }

  /** Closes the bars whose window (and tolerance) the clock has passed. */
  tick(): void {
    const watermark = this.clock.now() - this.lateToleranceMs;
    this.aggregator.advanceTo(watermark);
    this.repairer.advanceAll(watermark);
  }

  private schedule(): void {
    this.handle = this.timer.setTimeout(() => {
      this.tick();
      if (this.controller !== undefined) this.schedule();
    }, this.tickMs);
  }

  private async watch(symbol: string, signal: AbortSignal): Promise<void> {
    // The symbol as the trades spell it (the client's canonical form), which keys the bars and their repairs.
    let tradedSymbol: string | undefined;
    while (!signal.aborted) {
      try {
        for await (const trade of this.options.client.watchTrades(symbol, { signal })) {
          this.tradesReceived++;
          tradedSymbol = trade.symbol;
          // Before the trade joins its bar: the trade may close the damaged windows before it.
          const gap = this.gapDetector.observe(trade);
          if (gap !== undefined) this.repairer.damage(trade.symbol, gap.afterTs, gap.beforeTs, gap.reason);
          this.aggregator.add(trade);
          this.repairer.advance(trade.symbol, trade.ts - this.lateToleranceMs);
          deliverFeedEvent(this.options.onTrade, trade, this.options.onError);
        }
      } catch (error) {
        if (signal.aborted) return;
        this.streamErrors++;
        this.options.onError?.(
          new Error(`${this.options.client.id} trades of ${symbol}: ${errorMessage(error)}`, { cause: error }),
        );
      }
      if (signal.aborted) return;
      // Whatever prints until the stream is back is lost: hold the windows from the last trade on.
      const lastTs = tradedSymbol === undefined ? undefined : this.gapDetector.interrupted(tradedSymbol);
      if (tradedSymbol !== undefined && lastTs !== undefined) {
        this.repairer.damage(tradedSymbol, lastTs, undefined, 'the trade stream failed');
      }
      // Real time, not the feed's timer: the pause is the network's, and the pacing timer keeps its own schedule.
      await sleep(this.retryMs, undefined, { signal }).catch(() => undefined);
    }
  }
}
