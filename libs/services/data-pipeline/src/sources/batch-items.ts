/**
 * Groups an async iterable into arrays of at most `size` items. With `maxDelayMs`, a partial batch is also released
 * once its first item has waited that long, so a slow live stream still delivers promptly.
 */
export async function* batchItems<T>(items: AsyncIterable<T>, size: number, maxDelayMs?: number): AsyncGenerator<T[]> {
  const iterator = items[Symbol.asyncIterator]();
  let batch: T[] = [];
  let pending: Promise<IteratorResult<T>> | undefined;
  let firstAt = 0;
  try {
    for (;;) {
      pending ??= iterator.next();
      let result: IteratorResult<T> | 'timeout';
      if (maxDelayMs !== undefined && batch.length > 0) {
        const wait = Math.max(0, firstAt + maxDelayMs - Date.now());
        let timer: ReturnType<typeof setTimeout> | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), wait);
        });
        result = await Promise.race([pending, timeout]);
        clearTimeout(timer);
      } else {
        result = await pending;
      }
      if (result === 'timeout') {
        yield batch;
        batch = [];
        continue;
      }
      pending = undefined;
      if (result.done === true) break;
      if (batch.length === 0) firstAt = Date.now();
      batch.push(result.value);
      if (batch.length >= size) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  } finally {
    // A consumer that stops early (break, abort) releases the underlying stream.
    await iterator.return?.();
  }
}
