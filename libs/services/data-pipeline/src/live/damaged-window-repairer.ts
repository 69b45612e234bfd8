import { errorMessage, floorToInterval, intervalMs, type Bar, type Interval } from '@rrr/core';

export interface DamagedWindowRepairerOptions {
  /** Names the feed in error messages, `binance live feed`. */
  feed: string;
  interval: Interval;
  /** The venue's official candles of `symbol` opening in [from, to); rejects when the venue could not be read. */
  fetchCandles(symbol: string, from: number, to: number): Promise<Bar[]>;
  /** Hands a bar to the feed's consumer; must not throw. */
  deliver(bar: Bar): void;
  onError(error: Error): void;
}

/** Windows [from, to) of one symbol whose trades are incomplete; `to` is Infinity while the outage lasts. */
interface DamagedSpan {
  from: number;
  to: number;
  /** The bars the received trades made for its windows: emitted only if the repair fails. */
  partials: Bar[];
}

class SymbolState {
  /** Spans not yet sent for repair, oldest first, disjoint. */
  readonly spans: DamagedSpan[] = [];
  /** Windows ending at or before this have closed. */
  watermark = -Infinity;
  /** The last delivery still waiting on a repair: later bars of the symbol queue behind it. */
  tail: Promise<void> | undefined;
}

const iso = (ts: number): string => new Date(ts).toISOString();

/**
 * Replaces the bars of windows whose trades a stream lost with the venue's official candles. The windows of a gap are
 * marked damaged; as they close, the bars the feed built from the trades it did receive are held back, and once the
 * last window of the span has closed one REST read of the span's candles takes their place (a window the venue has no
 * candle for had no trades and emits nothing). If the read fails, the held bars go out after all and the failure is
 * reported with the symbol and the windows, so no data is lost and none is passed off as complete.
 *
 * Order per symbol: every bar goes through one queue; a plain bar with no repair ahead of it goes out at once, any bar
 * closed while a repair is in flight waits behind it. That keeps time order without holding bars for symbols and
 * periods that had no gap.
 */
export class DamagedWindowRepairer {
  private readonly ms: number;
  private readonly symbols = new Map<string, SymbolState>();
  private repaired = 0;
  private failures = 0;

  constructor(private readonly options: DamagedWindowRepairerOptions) {
    this.ms = intervalMs(options.interval);
  }

  /** Candles emitted in place of damaged bars. */
  get repairedBars(): number {
    return this.repaired;
  }

  /** Repairs whose REST read failed (their partial bars were emitted). */
  get repairFailures(): number {
    return this.failures;
  }

  /**
   * Trades of `symbol` between `afterTs` and `beforeTs` are missing; `beforeTs` undefined while the outage lasts (the
   * next call with a `beforeTs` ends it). Windows that closed before the gap was known were already emitted: they are
   * reported, since they cannot be taken back without breaking the bars' time order.
   */
  damage(symbol: string, afterTs: number, beforeTs: number | undefined, reason: string): void {
    const state = this.state(symbol);
    const to = beforeTs === undefined ? Infinity : this.windowStart(beforeTs) + this.ms;
    const open = state.spans.at(-1)?.to === Infinity ? state.spans.at(-1) : undefined;
    if (open !== undefined) {
      // The outage the stream's failure opened ends here; its windows were held since, none went out.
      if (to !== Infinity) {
        open.to = Math.max(to, open.from + this.ms);
        this.launchEndingBy(symbol, state, state.watermark);
      }
      return;
    }
    const openFrom = this.windowStart(state.watermark);
    const wanted = this.windowStart(afterTs);
    const from = Math.max(wanted, openFrom);
    if (wanted < openFrom) {
      this.options.onError(
        new Error(
          `${this.options.feed}: ${symbol} ${this.options.interval} bars ${iso(wanted)} to ${iso(Math.min(openFrom, to))} ` +
            `were emitted before a gap in the trades was seen (${reason}); they may lack trades`,
        ),
      );
    }
    if (from >= to) return;
    const last = state.spans.at(-1);
    if (last !== undefined && from <= last.to) last.to = Math.max(last.to, to);
    else state.spans.push({ from, to, partials: [] });
  }

  /** A bar the feed built from trades, its window closed: held if damaged, queued in order otherwise. */
  barClosed(bar: Bar): void {
    const state = this.state(bar.symbol);
    // A later window closed: every span before it is complete (a span's own windows may have had no trades).
    this.launchEndingBy(bar.symbol, state, bar.ts);
    const span = state.spans.find((s) => bar.ts >= s.from && bar.ts < s.to);
    if (span !== undefined) span.partials.push(bar);
    else this.enqueue(state, bar);
  }

  /** Windows of `symbol` ending at or before `watermark` have closed: their spans go to repair. */
  advance(symbol: string, watermark: number): void {
    const state = this.state(symbol);
    if (watermark <= state.watermark) return;
    state.watermark = watermark;
    this.launchEndingBy(symbol, state, state.watermark);
  }

  /** The clock closed every window ending at or before `watermark`, for every symbol. */
  advanceAll(watermark: number): void {
    for (const symbol of this.symbols.keys()) this.advance(symbol, watermark);
  }

  /** Resolves once every repair in flight has been delivered. */
  async idle(): Promise<void> {
    await Promise.all([...this.symbols.values()].map((state) => state.tail));
  }

  private state(symbol: string): SymbolState {
    let state = this.symbols.get(symbol);
    if (state === undefined) {
      state = new SymbolState();
      this.symbols.set(symbol, state);
    }
    return state;
  }

  /** The open time of the window holding `ts`; the watermark's -Infinity (no window closed yet) stays as is. */
  private windowStart(ts: number): number {
    return Number.isFinite(ts) ? floorToInterval(ts, this.options.interval) : ts;
  }

  /** Sends for repair every span whose windows all end at or before `end`. */
  private launchEndingBy(symbol: string, state: SymbolState, end: number): void {
    while (state.spans.length > 0 && state.spans[0].to <= end) {
      this.launch(symbol, state, state.spans.shift() as DamagedSpan);
    }
  }

  private launch(symbol: string, state: SymbolState, span: DamagedSpan): void {
    const { feed, interval } = this.options;
    const repair = this.options.fetchCandles(symbol, span.from, span.to).then(
      (candles) => {
        this.repaired += candles.length;
        return candles;
      },
      (error: unknown) => {
        this.failures++;
        this.options.onError(
          new Error(
            `${feed}: repairing ${symbol} ${interval} bars ${iso(span.from)} to ${iso(span.to)} from the venue's ` +
              `candles failed (${errorMessage(error)}); emitted the ${span.partials.length} bar(s) built from the ` +
              `trades received`,
            { cause: error },
          ),
        );
        return span.partials;
      },
    );
    this.enqueue(state, repair);
  }

  private enqueue(state: SymbolState, item: Bar | Promise<Bar[]>): void {
    if (state.tail === undefined && !(item instanceof Promise)) {
      this.options.deliver(item);
      return;
    }
    const tail = (state.tail ?? Promise.resolve()).then(async () => {
      for (const bar of item instanceof Promise ? await item : [item]) this.options.deliver(bar);
    });
    state.tail = tail;
    void tail.then(() => {
      if (state.tail === tail) state.tail = undefined;
    });
  }
}
