import type { Bar, Interval, Trade } from '@rrr/core';
import { TradeAggregator } from '../aggregation/trade-aggregator';
import type { SourceBatch, SourceKind } from '../sources/data-source';
import type { BarQualityChecker, QuarantineEntry } from '../validation/bar-quality-checker';

/** What one batch of a source turned into: bars to store and rows to quarantine. */
export interface StagedBatch {
  bars: Bar[];
  quarantined: QuarantineEntry[];
  /** Source items the batch held (rows read, for progress). */
  itemsRead: number;
  /** Characters of source text the batch covered (file sources), for progress against the file size. */
  charsRead: number;
}

export interface IngestStageOptions {
  kind: SourceKind;
  checker: BarQualityChecker;
  /** Trade sources: the interval their bars are built at. */
  interval?: Interval;
  /** Only bars of this series are kept (a backfill job is one series); others are counted in `otherSeries`. */
  only?: { symbol: string; interval: Interval };
}

/**
 * Turns source batches into checked bars: unreadable records become `unparseable` problems, trades are aggregated
 * into bars (a trade for an already-closed bar is an `out-of-order` problem), and every bar passes the quality
 * checker, whose policy decides between storing, repairing, rejecting and quarantining.
 */
export class IngestStage {
  private readonly checker: BarQualityChecker;
  private readonly aggregator: TradeAggregator | undefined;
  private pending: Bar[] = [];
  private otherSeriesCount = 0;
  private currentLine: number | undefined;
  private currentRaw: string | undefined;

  constructor(private readonly options: IngestStageOptions) {
    this.checker = options.checker;
    if (options.kind === 'trades') {
      this.aggregator = new TradeAggregator({
        interval: options.interval ?? '1m',
        onBar: (bar) => this.pending.push(bar),
        onLateTrade: (trade, reason) =>
          this.checker.refuseRow('out-of-order', reason, {
            line: this.currentLine,
            raw: this.currentRaw ?? JSON.stringify(trade),
            ts: trade.ts,
            symbol: trade.symbol,
          }),
      });
    }
  }

  /** Items skipped because they belong to another series than `only`. */
  get otherSeries(): number {
    return this.otherSeriesCount;
  }

  process(batch: SourceBatch<Bar | Trade>): StagedBatch {
    const { items, lines, raw } = batch;
    let chars = 0;
    for (const reject of batch.rejects ?? []) {
      chars += (reject.raw?.length ?? 0) + 1;
      this.checker.refuseRow('unparseable', reject.reason, reject);
    }
    const bars: Bar[] = [];
    const only = this.options.only;
    if (this.aggregator === undefined) {
      for (let i = 0; i < items.length; i++) {
        const bar = items[i] as Bar;
        const text = raw?.[i];
        if (text !== undefined) chars += text.length + 1;
        if (only !== undefined && (bar.symbol !== only.symbol || bar.interval !== only.interval)) {
          this.otherSeriesCount++;
          continue;
        }
        const checked = this.checker.check(bar, lines?.[i], text);
        if (checked !== undefined) bars.push(checked);
      }
    } else {
      for (let i = 0; i < items.length; i++) {
        const trade = items[i] as Trade;
        this.currentLine = lines?.[i];
        this.currentRaw = raw?.[i];
        if (this.currentRaw !== undefined) chars += this.currentRaw.length + 1;
        if (only !== undefined && trade.symbol !== only.symbol) {
          this.otherSeriesCount++;
          continue;
        }
        this.aggregator.add(trade);
      }
      this.currentLine = undefined;
      this.currentRaw = undefined;
      this.checkPending(bars);
    }
    return {
      bars,
      quarantined: this.checker.takeQuarantined(),
      itemsRead: items.length + (batch.rejects?.length ?? 0),
      charsRead: chars,
    };
  }

  /** The end of the source: bars still open in the aggregator are complete now. */
  finish(): StagedBatch {
    const bars: Bar[] = [];
    if (this.aggregator !== undefined) {
      this.aggregator.flush();
      this.checkPending(bars);
    }
    return { bars, quarantined: this.checker.takeQuarantined(), itemsRead: 0, charsRead: 0 };
  }

  private checkPending(out: Bar[]): void {
    const pending = this.pending;
    this.pending = [];
    for (const bar of pending) {
      const checked = this.checker.check(bar);
      if (checked !== undefined) out.push(checked);
    }
  }
}
