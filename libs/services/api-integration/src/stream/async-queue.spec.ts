import { AsyncQueue } from './async-queue';

async function drain<T>(queue: AsyncQueue<T>): Promise<T[]> {
  const items: T[] = [];
  for await (const item of queue) items.push(item);
  return items;
}

describe('AsyncQueue', () => {
  it('hands pushed items to a waiting reader and buffers the rest in order', async () => {
    const queue = new AsyncQueue<number>();
    const first = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(await first).toEqual({ value: 1, done: false });
    queue.end();
    queue.push(4);
    expect(await drain(queue)).toEqual([2, 3]);
  });

  it('drops the oldest item when full and reports it', async () => {
    const dropped: number[] = [];
    const queue = new AsyncQueue<number>({ capacity: 2, onDrop: (item) => dropped.push(item) });
    [1, 2, 3, 4].forEach((i) => queue.push(i));
    queue.end();
    expect(await drain(queue)).toEqual([3, 4]);
    expect(dropped).toEqual([1, 2]);
  });

  it('delivers the buffer before a failure, then the failure once', async () => {
    const queue = new AsyncQueue<string>();
    queue.push('a');
    queue.fail(new Error('auth failed'));
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const item of queue) seen.push(item);
      })(),
    ).rejects.toThrow('auth failed');
    expect(seen).toEqual(['a']);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });

  it('rejects a reader already waiting when the producer fails', async () => {
    const queue = new AsyncQueue<string>();
    const waiting = queue.next();
    queue.fail(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
  });

  it('tells the producer when the consumer breaks out, and ignores later pushes', async () => {
    let closed = 0;
    const queue = new AsyncQueue<number>({ onClose: () => closed++ });
    queue.push(1);
    queue.push(2);
    for await (const item of queue) {
      expect(item).toBe(1);
      break;
    }
    expect(closed).toBe(1);
    queue.push(3);
    expect(queue.size).toBe(0);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
  });
});
