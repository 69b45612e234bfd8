import pLimit, { type LimitFunction } from 'p-limit';
import { RrrError } from '../errors';
import { checkOptions, isFiniteAtLeast, isIntAtLeast } from './option-checks';

export interface BatcherOptions<T, R> {
  /** A batch is flushed as soon as it holds this many items. */
  maxSize: number;
  /** ...or this long after its first item arrived, whichever comes first. */
  maxDelayMs: number;
  /** Handles one batch; must return one result per item, in the same order. */
  flush: (items: T[]) => Promise<R[]>;
  /** Batches flushed at once; 1 (default) keeps writes in the order they were added. */
  concurrency?: number;
  /** Named in errors. */
  name?: string;
}

interface Pending<T, R> {
  item: T;
  resolve: (result: R) => void;
  reject: (reason: unknown) => void;
}

/**
 * Collects single items into batches for one bulk call (a multi-row insert, a batched quote request) and hands each
 * caller the result for its own item. A failing flush rejects the callers of that batch only.
 */
export class Batcher<T, R> {
  readonly name: string;
  private readonly maxSize: number;
  private readonly maxDelayMs: number;
  private readonly flushFn: (items: T[]) => Promise<R[]>;
  private readonly limiter: LimitFunction;
  private batch: Pending<T, R>[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly running = new Set<Promise<void>>();
  private closed = false;

  constructor(options: BatcherOptions<T, R>) {
    const { maxSize, maxDelayMs, concurrency = 1, name = 'batcher' } = options;
    checkOptions(`batcher "${name}"`, [
      { field: 'maxSize', value: maxSize, ok: isIntAtLeast(maxSize, 1), message: 'must be an integer >= 1' },
      { field: 'maxDelayMs', value: maxDelayMs, ok: isFiniteAtLeast(maxDelayMs, 0), message: 'must be >= 0' },
      {
        field: 'concurrency',
        value: concurrency,
        ok: isIntAtLeast(concurrency, 1),
        message: 'must be an integer >= 1',
      },
      { field: 'flush', value: typeof options.flush, ok: typeof options.flush === 'function', message: 'required' },
    ]);
    this.name = name;
    this.maxSize = maxSize;
    this.maxDelayMs = maxDelayMs;
    this.flushFn = options.flush;
    this.limiter = pLimit(concurrency);
  }

  /** Items waiting for their batch to be flushed. */
  get pending(): number {
    return this.batch.length;
  }

  /** The result for `item`, once its batch has been flushed. */
  add(item: T): Promise<R> {
    if (this.closed) {
      return Promise.reject(new RrrError('SERVICE_UNAVAILABLE', `batcher "${this.name}" is closed`));
    }
    return new Promise<R>((resolve, reject) => {
      this.batch.push({ item, resolve, reject });
      if (this.batch.length >= this.maxSize) this.cut();
      else if (this.batch.length === 1) this.timer = setTimeout(() => this.cut(), this.maxDelayMs);
    });
  }

  /** Flushes what is pending now and resolves when every batch started so far has settled. */
  async flush(): Promise<void> {
    this.cut();
    while (this.running.size > 0) await Promise.all(this.running);
  }

  /** Refuses further items, then flushes and waits like `flush()`. */
  async close(): Promise<void> {
    this.closed = true;
    await this.flush();
  }

  private cut(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (this.batch.length === 0) return;
    const batch = this.batch;
    this.batch = [];
    const run = this.limiter(() => this.runBatch(batch)).finally(() => this.running.delete(run));
    this.running.add(run);
  }

  private async runBatch(batch: Pending<T, R>[]): Promise<void> {
    let results: R[];
    try {
      results = await this.flushFn(batch.map((entry) => entry.item));
    } catch (error) {
      for (const entry of batch) entry.reject(error);
      return;
    }
    if (!Array.isArray(results) || results.length !== batch.length) {
      const got = Array.isArray(results) ? `${results.length} results` : typeof results;
      const error = new RrrError(
        'INTERNAL',
        `batcher "${this.name}": flush returned ${got} for ${batch.length} items; it must return one result per item`,
        { details: { name: this.name, items: batch.length } },
      );
      for (const entry of batch) entry.reject(error);
      return;
    }
    batch.forEach((entry, index) => entry.resolve(results[index]));
  }
}
