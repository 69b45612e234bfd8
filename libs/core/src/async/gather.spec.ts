import { gather, gatherSettled } from './gather';

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function gate(): { promise: Promise<void>; open: () => void; fail: (error: unknown) => void } {
  let open!: () => void;
  let fail!: (error: unknown) => void;
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

describe('gather', () => {
  it('runs deferred tasks with the limit and returns their results in order', async () => {
    const gates = [gate(), gate(), gate(), gate()];
    const started: number[] = [];
    const tasks = gates.map((g, i) => async () => {
      started.push(i);
      await g.promise;
      return i * i;
    });
    const result = gather(tasks, 2);
    await settle();
    expect(started).toEqual([0, 1]);
    gates[1].open();
    await settle();
    expect(started).toEqual([0, 1, 2]);
    gates[3].open();
    gates[2].open();
    gates[0].open();
    await expect(result).resolves.toEqual([0, 1, 4, 9]);
  });

  it('rejects with the first failure and starts no further task', async () => {
    const first = gate();
    const started: number[] = [];
    const failure = new Error('rejected by exchange');
    const tasks = [0, 1, 2].map((i) => async () => {
      started.push(i);
      if (i === 0) await first.promise;
      return i;
    });
    const result = gather(tasks, 1);
    await settle();
    first.fail(failure);
    await expect(result).rejects.toBe(failure);
    await settle();
    expect(started).toEqual([0]);
  });

  it('hands each task a signal that aborts when the caller aborts', async () => {
    const controller = new AbortController();
    let seen: AbortSignal | undefined;
    const result = gather(
      [
        (signal: AbortSignal) => {
          seen = signal;
          return new Promise<number>(() => undefined);
        },
      ],
      1,
      { signal: controller.signal },
    );
    await settle();
    controller.abort(new Error('stop'));
    await expect(result).rejects.toThrow('stop');
    expect(seen?.aborted).toBe(true);
  });
});

describe('gatherSettled', () => {
  it('runs every task despite failures and reports each outcome in input order', async () => {
    const failure = new Error('timeout on BTC-USD');
    let active = 0;
    let maxActive = 0;
    const tasks = ['ETH-USD', 'BTC-USD', 'SOL-USD', 'ADA-USD', 'XRP-USD'].map((symbol) => async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await settle();
      active--;
      if (symbol === 'BTC-USD') throw failure;
      return symbol.length;
    });
    const outcomes = await gatherSettled(tasks, 2);
    expect(outcomes).toEqual([
      { status: 'fulfilled', value: 7 },
      { status: 'rejected', reason: failure },
      { status: 'fulfilled', value: 7 },
      { status: 'fulfilled', value: 7 },
      { status: 'fulfilled', value: 7 },
    ]);
    expect(maxActive).toBe(2);
  });

  it('rejects as a whole only when the caller aborts', async () => {
    const controller = new AbortController();
    const hold = gate();
    const result = gatherSettled([() => hold.promise.then(() => 0), async () => 1], 1, { signal: controller.signal });
    await settle();
    const reason = new Error('shutdown');
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    hold.open();
  });
});
