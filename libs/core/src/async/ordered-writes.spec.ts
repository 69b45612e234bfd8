import { OrderedWrites } from './ordered-writes';

describe('OrderedWrites', () => {
  it('runs writes one after another in the order queued, logs a failure and goes on', async () => {
    const logged: string[] = [];
    const writes = new OrderedWrites({
      error: (_context: unknown, message?: string) => void logged.push(String(message)),
    });
    const done: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    writes.persist('write a', async () => {
      await slow;
      done.push('a');
    });
    writes.persist('write b', async () => {
      throw new Error('disk full');
    });
    const c = writes.chained('write c', async () => {
      done.push('c');
      return 42;
    });
    await new Promise((resolve) => setImmediate(resolve));
    expect(done).toEqual([]);
    release();
    expect(await c).toBe(42);
    await writes.settled();
    expect(done).toEqual(['a', 'c']);
    expect(logged).toEqual(['could not write b']);
  });

  it('hands a chained write its own failure, and settles after it', async () => {
    const writes = new OrderedWrites();
    await expect(writes.chained('fail', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    await expect(writes.settled()).resolves.toBeUndefined();
  });
});
