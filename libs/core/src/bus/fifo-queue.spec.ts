import { FifoQueue } from './fifo-queue';

describe('FifoQueue', () => {
  it('keeps first-in-first-out order across its internal compaction', () => {
    const queue = new FifoQueue<number>();
    const out: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      queue.push(i);
      if (i % 3 === 0) out.push(queue.shift() as number);
    }
    expect(queue.size).toBe(5_000 - out.length);
    while (queue.size > 0) out.push(queue.shift() as number);
    expect(out).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
    expect(queue.shift()).toBeUndefined();
  });

  it('hands over what it holds and is empty afterwards', () => {
    const queue = new FifoQueue<string>();
    ['a', 'b', 'c'].forEach((x) => queue.push(x));
    queue.shift();
    expect(queue.takeAll()).toEqual(['b', 'c']);
    expect(queue.size).toBe(0);
  });
});
