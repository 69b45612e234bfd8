import { ValidationError, type Bar, type Interval, type Trade } from '@rrr/core';

export type SourceKind = 'bars' | 'trades';

/** What a source is, for logs, reports and backfill job ids. */
export interface SourceDescription {
  /**
   * Identity of the data: two sources with the same id yield the same items (it includes a synthetic market's seed, a
   * file's size and modification time…). Backfill job ids are derived from it.
   */
  id: string;
  /** Short name used in problems and logs: `file:data/btc.csv`, `bundled:SPX`, `synthetic:BTC-USD`. */
  name: string;
  kind: SourceKind;
  /** The one symbol the source yields, when it yields one. */
  symbol?: string;
  interval?: Interval;
  /** Range covered (epoch ms, [from, to)), when the source knows it. */
  from?: number;
  to?: number;
  details?: Record<string, unknown>;
}

export interface SourceReadOptions {
  /** Only items with ts >= from (epoch ms). */
  from?: number;
  /** Only items with ts < to (epoch ms). */
  to?: number;
  /** Stops reading: the iteration rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** A record the source could not turn into an item at all, with where it was and why. */
export interface SourceReject {
  reason: string;
  /** Line number in a file. */
  line?: number;
  ts?: number;
  symbol?: string;
  /** The record as written (kept when the row is quarantined). */
  raw?: string;
}

/** Consecutive items, in source order, with their provenance. */
export interface SourceBatch<T> {
  items: T[];
  /** Line of each item in its file, parallel to `items` (file sources only). */
  lines?: number[];
  /** Text of each item as written, parallel to `items` (file sources only). */
  raw?: string[];
  /** Records in this stretch of the source that could not be read. */
  rejects?: SourceReject[];
}

/**
 * The one interface of every market-data source: an async iterable of bars or trades. Pipelines read `batches()`,
 * which carries line numbers and unreadable records; plain `for await (const bar of source)` yields the items and
 * throws a DATA_INVALID ValidationError on the first unreadable record, so nothing is ever skipped silently.
 */
export interface DataSource<T extends Bar | Trade = Bar | Trade> extends AsyncIterable<T> {
  readonly kind: T extends Bar ? 'bars' : 'trades';
  describe(): SourceDescription;
  batches(options?: SourceReadOptions): AsyncIterable<SourceBatch<T>>;
}

export type BarSource = DataSource<Bar>;
export type TradeSource = DataSource<Trade>;

/** Items of a source as a plain async iterable, refusing unreadable records (see {@link DataSource}). */
export async function* iterateItems<T extends Bar | Trade>(
  name: string,
  batches: AsyncIterable<SourceBatch<T>>,
): AsyncGenerator<T> {
  for await (const batch of batches) {
    const reject = batch.rejects?.[0];
    if (reject !== undefined) {
      const where = reject.line === undefined ? name : `${name} line ${reject.line}`;
      throw new ValidationError(
        where,
        [{ field: 'record', message: reject.reason, value: reject.raw }],
        'DATA_INVALID',
      );
    }
    yield* batch.items;
  }
}

/** Assembles a source from its description and batch reader. */
export function defineSource<T extends Bar | Trade>(
  kind: T extends Bar ? 'bars' : 'trades',
  describe: () => SourceDescription,
  batches: (options?: SourceReadOptions) => AsyncIterable<SourceBatch<T>>,
): DataSource<T> {
  return {
    kind,
    describe,
    batches,
    [Symbol.asyncIterator]: () => iterateItems<T>(describe().name, batches())[Symbol.asyncIterator](),
  };
}

/** A source's own range [from, to) narrowed to the read window; empty when `to <= from`. */
export function narrowToWindow(
  from: number,
  to: number,
  read: SourceReadOptions | undefined,
): { from: number; to: number } {
  return { from: Math.max(from, read?.from ?? from), to: Math.min(to, read?.to ?? to) };
}

/** Whether `ts` lies in the read window [from, to). */
export function inWindow(ts: number, options: SourceReadOptions | undefined): boolean {
  if (options === undefined) return true;
  if (options.from !== undefined && ts < options.from) return false;
  if (options.to !== undefined && ts >= options.to) return false;
  return true;
}
