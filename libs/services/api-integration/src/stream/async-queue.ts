export interface AsyncQueueOptions<T> {
  /** Items buffered for a slow reader before the oldest is dropped. */
  capacity?: number;
  /** Told about each item dropped for lack of room, so the loss is counted and logged rather than silent. */
  onDrop?: (item: T) => void;
  /** Called once when the reader stops (break out of for-await, `return()`), so the producer can forget it. */
  onClose?: () => void;
}

interface Reader<T> {
  resolve: (result: IteratorResult<T>) => void;
  reject: (error: unknown) => void;
}

/**
 * A push-to-pull bridge: producers `push` events (WebSocket messages) and one consumer reads them with for-await.
 * Bounded, because a stalled consumer must not grow memory without end; when full the oldest item is dropped and
 * reported through `onDrop`. `end()` finishes the iteration after the buffer drains; `fail(error)` rejects after it.
 */
export class AsyncQueue<T> implements AsyncIterableIterator<T> {
  private readonly buffer: T[] = [];
  private readonly readers: Reader<T>[] = [];
  private readonly capacity: number;
  private readonly onDrop: ((item: T) => void) | undefined;
  private readonly onClose: (() => void) | undefined;
  private finished = false;
  private failure: { error: unknown } | undefined;
  private closed = false;

  constructor(options: AsyncQueueOptions<T> = {}) {
    this.capacity = options.capacity ?? 10_000;
    this.onDrop = options.onDrop;
    this.onClose = options.onClose;
  }

  /** Items waiting to be read. */
  get size(): number {
    return this.buffer.length;
  }

  /** True once no more items will be accepted. */
  get isDone(): boolean {
    return this.finished || this.closed || this.failure !== undefined;
  }

  push(item: T): void {
    if (this.isDone) return;
    const reader = this.readers.shift();
    if (reader) {
      reader.resolve({ value: item, done: false });
      return;
    }
    this.buffer.push(item);
    if (this.buffer.length > this.capacity) {
      const dropped = this.buffer.shift() as T;
      this.onDrop?.(dropped);
    }
  }

  end(): void {
    if (this.isDone) return;
    this.finished = true;
    this.settleReaders();
  }

  fail(error: unknown): void {
    if (this.isDone) return;
    this.failure = { error };
    this.settleReaders();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.buffer.length > 0) return Promise.resolve({ value: this.buffer.shift() as T, done: false });
    if (this.failure !== undefined) {
      const { error } = this.failure;
      // Reported once; later reads see a finished iterator, as after any thrown iteration.
      this.failure = undefined;
      this.finished = true;
      return Promise.reject(error);
    }
    if (this.finished || this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.readers.push({ resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      this.buffer.length = 0;
      this.settleReaders();
      this.onClose?.();
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }

  private settleReaders(): void {
    // Readers only wait on an empty buffer, so there is nothing left to hand them.
    const readers = this.readers.splice(0);
    const failure = this.failure;
    if (failure !== undefined && readers.length > 0) {
      this.failure = undefined;
      this.finished = true;
      readers[0].reject(failure.error);
      for (const reader of readers.slice(1)) reader.resolve({ value: undefined, done: true });
      return;
    }
    for (const reader of readers) reader.resolve({ value: undefined, done: true });
  }
}
