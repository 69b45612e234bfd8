import { ValidationError } from '../errors';
import { mapConcurrent } from './map-concurrent';
import { deferred } from './testing/deferred';

/** Lets every queued promise callback run (p-limit hands slots over in microtasks). */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Items whose completion the test controls one by one. */
function controlledWork(count: number) {
  const gates = Array.from({ length: count }, () => deferred<void>());
  const started: number[] = [];
  const signals: AbortSignal[] = [];
  let active = 0;
  let maxActive = 0;
  const fn = async (item: number, index: number, signal: AbortSignal): Promise<string> => {
    started.push(index);
    signals[index] = signal;
    active++;
    maxActive = Math.max(maxActive, active);
    try {
      await gates[index].promise;
      return `r${item}`;
    } finally {
      active--;
    }
  };
  return { gates, started, signals, fn, maxActive: () => maxActive };
}

describe('mapConcurrent', () => {
  it('keeps input order although items finish in reverse order', async () => {
    const work = controlledWork(5);
    const result = mapConcurrent([10, 11, 12, 13, 14], 5, work.fn);
    await settle();
    for (let i = 4; i >= 0; i--) {
      work.gates[i].resolve();
      await settle();
    }
    await expect(result).resolves.toEqual(['r10', 'r11', 'r12', 'r13', 'r14']);
  });

  it('never runs more than `limit` at once and starts the next item as a slot frees', async () => {
    const work = controlledWork(7);
    const result = mapConcurrent([0, 1, 2, 3, 4, 5, 6], 3, work.fn);
    await settle();
    expect(work.started).toEqual([0, 1, 2]);
    work.gates[1].resolve();
    await settle();
    expect(work.started).toEqual([0, 1, 2, 3]);
    for (const gate of work.gates) gate.resolve();
    await expect(result).resolves.toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6']);
    expect(work.maxActive()).toBe(3);
  });

  it('rejects with the first error, starts nothing more and aborts the work in flight', async () => {
    const work = controlledWork(6);
    const result = mapConcurrent([0, 1, 2, 3, 4, 5], 2, work.fn);
    await settle();
    const failure = new Error('vendor returned 500');
    work.gates[0].reject(failure);
    await expect(result).rejects.toBe(failure);
    expect(work.signals[1].aborted).toBe(true);
    expect(work.signals[1].reason).toBe(failure);
    work.gates[1].resolve();
    await settle();
    expect(work.started).toEqual([0, 1]);
  });

  it('rejects with the abort reason when the caller aborts, launching nothing further', async () => {
    const work = controlledWork(4);
    const controller = new AbortController();
    const result = mapConcurrent([0, 1, 2, 3], 2, work.fn, { signal: controller.signal });
    await settle();
    const reason = new Error('backfill cancelled');
    controller.abort(reason);
    await expect(result).rejects.toBe(reason);
    expect(work.signals[0].aborted).toBe(true);
    work.gates[0].resolve();
    work.gates[1].resolve();
    await settle();
    expect(work.started).toEqual([0, 1]);
  });

  it('does not call fn at all when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('too late'));
    const fn = jest.fn(async (n: number) => n);
    await expect(mapConcurrent([1, 2], 2, fn, { signal: controller.signal })).rejects.toThrow('too late');
    expect(fn).not.toHaveBeenCalled();
  });

  it('maps any iterable, passes the index and accepts synchronous results', async () => {
    const result = await mapConcurrent(new Set(['a', 'b', 'c']), 2, (item, index) => `${index}:${item}`);
    expect(result).toEqual(['0:a', '1:b', '2:c']);
  });

  it('turns a synchronous throw into the rejection', async () => {
    const failure = new Error('boom');
    await expect(
      mapConcurrent([1, 2, 3], 1, (n) => {
        if (n === 2) throw failure;
        return n;
      }),
    ).rejects.toBe(failure);
  });

  it('resolves an empty input to an empty array', async () => {
    await expect(mapConcurrent([], 4, async () => 1)).resolves.toEqual([]);
  });

  it('refuses a limit that is not a positive integer', async () => {
    await expect(mapConcurrent([1], 0, async () => 1)).rejects.toBeInstanceOf(ValidationError);
    await expect(mapConcurrent([1], 1.5, async () => 1)).rejects.toThrow('limit: must be an integer >= 1');
  });
});
