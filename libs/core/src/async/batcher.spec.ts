import { RrrError, ValidationError } from '../errors';
import { Batcher } from './batcher';

function track<T>(promise: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/** A flush that records its batches and answers each item with its doubled value. */
function doubling() {
  const batches: number[][] = [];
  const flush = jest.fn(async (items: number[]) => {
    batches.push(items);
    return items.map((n) => n * 2);
  });
  return { batches, flush };
}

describe('Batcher', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('flushes as soon as maxSize items are in, and gives each caller its own result', async () => {
    const { batches, flush } = doubling();
    const batcher = new Batcher({ maxSize: 3, maxDelayMs: 1_000, flush });
    const results = [1, 2, 3, 4].map((n) => batcher.add(n));
    await jest.advanceTimersByTimeAsync(0);
    expect(batches).toEqual([[1, 2, 3]]);
    await expect(Promise.all(results.slice(0, 3))).resolves.toEqual([2, 4, 6]);
    expect(batcher.pending).toBe(1);
    expect(jest.getTimerCount()).toBe(1); // the timer of the second batch, started by item 4
    await batcher.close();
    await expect(results[3]).resolves.toBe(8);
    expect(batches).toEqual([[1, 2, 3], [4]]);
  });

  it('flushes maxDelayMs after the first item of a batch, not after the last', async () => {
    const { batches, flush } = doubling();
    const batcher = new Batcher({ maxSize: 100, maxDelayMs: 1_000, flush });
    const first = track(batcher.add(5));
    await jest.advanceTimersByTimeAsync(600);
    const second = track(batcher.add(6));
    await jest.advanceTimersByTimeAsync(399);
    expect(batches).toEqual([]);
    expect(first.settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(batches).toEqual([[5, 6]]);
    expect([first.value, second.value]).toEqual([10, 12]);
    expect(jest.getTimerCount()).toBe(0);
    // The next item starts a fresh delay.
    const third = track(batcher.add(7));
    await jest.advanceTimersByTimeAsync(999);
    expect(third.settled).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(third.value).toBe(14);
  });

  it('rejects the callers of a failing batch only', async () => {
    const failure = new Error('insert failed: disk full');
    let call = 0;
    const batcher = new Batcher<string, string>({
      maxSize: 2,
      maxDelayMs: 50,
      flush: async (items) => {
        call++;
        if (call === 1) throw failure;
        return items.map((s) => s.toUpperCase());
      },
    });
    const batch1 = [track(batcher.add('a')), track(batcher.add('b'))];
    const batch2 = [track(batcher.add('c')), track(batcher.add('d'))];
    await batcher.flush();
    expect(batch1.map((s) => s.error)).toEqual([failure, failure]);
    expect(batch2.map((s) => s.value)).toEqual(['C', 'D']);
  });

  it('rejects a batch whose flush returns the wrong number of results', async () => {
    const batcher = new Batcher<number, number>({ name: 'fills', maxSize: 3, maxDelayMs: 10, flush: async () => [1] });
    const outcomes = [batcher.add(1), batcher.add(2), batcher.add(3)].map((p) => p.catch((e: unknown) => e));
    const errors = await Promise.all(outcomes);
    expect(errors[0]).toBeInstanceOf(RrrError);
    expect((errors[0] as RrrError).code).toBe('INTERNAL');
    expect((errors[0] as RrrError).message).toBe(
      'batcher "fills": flush returned 1 results for 3 items; it must return one result per item',
    );
    expect(errors[1]).toBe(errors[0]);
  });

  it('flush() sends what is pending now and resolves once it is written', async () => {
    let release!: () => void;
    const written: number[][] = [];
    const batcher = new Batcher<number, number>({
      maxSize: 10,
      maxDelayMs: 60_000,
      flush: async (items) => {
        await new Promise<void>((resolve) => (release = resolve));
        written.push(items);
        return items;
      },
    });
    const item = track(batcher.add(1));
    const flushed = track(batcher.flush());
    await jest.advanceTimersByTimeAsync(0);
    expect(flushed.settled).toBe(false);
    release();
    await jest.advanceTimersByTimeAsync(0);
    expect(flushed.settled).toBe(true);
    expect(item.value).toBe(1);
    expect(written).toEqual([[1]]);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('runs one flush at a time by default, in the order the batches were cut', async () => {
    const order: string[] = [];
    const gates: (() => void)[] = [];
    const batcher = new Batcher<number, number>({
      maxSize: 1,
      maxDelayMs: 10,
      flush: async (items) => {
        order.push(`start ${items[0]}`);
        await new Promise<void>((resolve) => gates.push(resolve));
        order.push(`end ${items[0]}`);
        return items;
      },
    });
    const all = Promise.all([batcher.add(1), batcher.add(2)]);
    await jest.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['start 1']);
    gates[0]();
    await jest.advanceTimersByTimeAsync(0);
    expect(order).toEqual(['start 1', 'end 1', 'start 2']);
    gates[1]();
    await expect(all).resolves.toEqual([1, 2]);
  });

  it('overlaps flushes up to `concurrency`', async () => {
    const started: number[] = [];
    const gates: (() => void)[] = [];
    const batcher = new Batcher<number, number>({
      maxSize: 1,
      maxDelayMs: 10,
      concurrency: 2,
      flush: async (items) => {
        started.push(items[0]);
        await new Promise<void>((resolve) => gates.push(resolve));
        return items;
      },
    });
    const all = Promise.all([batcher.add(1), batcher.add(2), batcher.add(3)]);
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual([1, 2]);
    gates[0]();
    await jest.advanceTimersByTimeAsync(0);
    expect(started).toEqual([1, 2, 3]);
    gates[1]();
    gates[2]();
    await expect(all).resolves.toEqual([1, 2, 3]);
  });

  it('close() drains pending items and refuses new ones', async () => {
    const { batches, flush } = doubling();
    const batcher = new Batcher({ name: 'audit', maxSize: 10, maxDelayMs: 60_000, flush });
    const pending = [batcher.add(1), batcher.add(2)];
    await batcher.close();
    expect(batches).toEqual([[1, 2]]);
    await expect(Promise.all(pending)).resolves.toEqual([2, 4]);
    const refused = (await batcher.add(3).catch((e: unknown) => e)) as RrrError;
    expect(refused.code).toBe('SERVICE_UNAVAILABLE');
    expect(refused.message).toBe('batcher "audit" is closed');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('refuses invalid options', () => {
    const flush = async (items: number[]): Promise<number[]> => items;
    expect(() => new Batcher({ maxSize: 0, maxDelayMs: 10, flush })).toThrow(ValidationError);
    expect(() => new Batcher({ maxSize: 1, maxDelayMs: -1, flush })).toThrow('maxDelayMs: must be >= 0');
  });
});
