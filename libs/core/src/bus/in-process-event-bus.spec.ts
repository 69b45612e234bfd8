import { ValidationError } from '../errors';
import { ManualClock } from '../time';
import type { BusHandlerErrorInfo } from './event-bus';
import { InProcessEventBus } from './in-process-event-bus';
import { deferred } from '../async/testing/deferred';

type Topics = {
  bar: { close: number };
  signal: { strength: number };
  'order.submitted': { id: string };
};

describe('InProcessEventBus', () => {
  it('runs synchronous handlers inside publish(), cascades included', async () => {
    const bus = new InProcessEventBus<Topics>();
    const log: string[] = [];
    await bus.subscribe('bar', ({ close }) => {
      log.push(`bar ${close}`);
      void bus.publish('signal', { strength: close / 100 });
    });
    await bus.subscribe('signal', ({ strength }) => {
      log.push(`signal ${strength}`);
      void bus.publish('order.submitted', { id: `o-${strength}` });
    });
    await bus.subscribe('order.*', ({ id }) => void log.push(`order ${id}`));
    void bus.publish('bar', { close: 50 });
    // Nothing awaited: the whole cascade already ran.
    expect(log).toEqual(['bar 50', 'signal 0.5', 'order o-0.5']);
    await bus.close();
  });

  it('keeps order for one subscriber when a handler publishes to its own topic', async () => {
    const bus = new InProcessEventBus<Topics>();
    const first: number[] = [];
    const second: number[] = [];
    await bus.subscribe('bar', ({ close }) => {
      first.push(close);
      if (close === 1) void bus.publish('bar', { close: 2 });
    });
    await bus.subscribe('bar', ({ close }) => void second.push(close));
    await bus.publish('bar', { close: 1 });
    expect(first).toEqual([1, 2]);
    expect(second).toEqual([1, 2]);
    await bus.close();
  });

  it('lets a slow subscriber fall behind without holding up others or the publisher', async () => {
    const bus = new InProcessEventBus<Topics>();
    const gate = deferred();
    const slow: number[] = [];
    const fast: number[] = [];
    await bus.subscribe('bar', async ({ close }) => {
      await gate.promise;
      slow.push(close);
    });
    await bus.subscribe('bar', ({ close }) => void fast.push(close));
    for (let i = 0; i < 5; i++) await bus.publish('bar', { close: i });
    expect(fast).toEqual([0, 1, 2, 3, 4]);
    expect(slow).toEqual([]);
    expect(bus.backlog()).toEqual([
      { pattern: 'bar', pending: 4 },
      { pattern: 'bar', pending: 0 },
    ]);
    gate.resolve();
    await bus.idle();
    expect(slow).toEqual([0, 1, 2, 3, 4]);
    await bus.close();
  });

  it('makes publishers wait for room in a full mailbox, keeping publish order and losing nothing', async () => {
    const bus = new InProcessEventBus<Topics>({ maxQueue: 2 });
    const gates = [deferred(), deferred(), deferred(), deferred(), deferred()];
    const handled: number[] = [];
    await bus.subscribe('bar', async ({ close }) => {
      await gates[close].promise;
      handled.push(close);
    });
    const accepted: number[] = [];
    const publishes = [0, 1, 2, 3, 4].map((i) => bus.publish('bar', { close: i }).then(() => accepted.push(i)));
    await Promise.resolve();
    // 0 is being handled, 1 and 2 fill the mailbox; 3 and 4 wait.
    expect(accepted).toEqual([0, 1, 2]);
    gates[0].resolve();
    await new Promise((resolve) => setImmediate(resolve));
    expect(accepted).toEqual([0, 1, 2, 3]);
    gates.forEach((g) => g.resolve());
    await Promise.all(publishes);
    await bus.idle();
    expect(accepted).toEqual([0, 1, 2, 3, 4]);
    expect(handled).toEqual([0, 1, 2, 3, 4]);
    await bus.close();
  });

  it('reports handler errors, sync and async, with topic, sequence and subscription', async () => {
    const errors: Array<[string, BusHandlerErrorInfo]> = [];
    const bus = new InProcessEventBus<Topics>({
      onHandlerError: (e, info) => errors.push([(e as Error).message, info]),
    });
    await bus.subscribe(
      'bar',
      () => {
        throw new Error('sync');
      },
      { durable: 'strategy' },
    );
    await bus.subscribe('*', async () => {
      throw new Error('async');
    });
    await bus.publish('bar', { close: 1 });
    await bus.idle();
    expect(errors).toEqual([
      ['sync', { topic: 'bar', seq: 1, pattern: 'bar', durable: 'strategy' }],
      ['async', { topic: 'bar', seq: 1, pattern: '*' }],
    ]);
    await bus.close();
  });

  it('stamps events with its clock and numbers them in publish order', async () => {
    const clock = new ManualClock(1_000);
    const bus = new InProcessEventBus<Topics>({ clock });
    const metas: Array<[string, number, number]> = [];
    await bus.subscribe('>', (_p, meta) => void metas.push([meta.topic, meta.seq, meta.ts]));
    await bus.publish('bar', { close: 1 });
    clock.advance(250);
    await bus.publish('signal', { strength: 1 });
    expect(metas).toEqual([
      ['bar', 1, 1_000],
      ['signal', 2, 1_250],
    ]);
    await bus.close();
  });

  it('hands undelivered events of a replaced durable subscription to its successor, after its running handler', async () => {
    const bus = new InProcessEventBus<Topics>();
    const gate = deferred();
    const log: string[] = [];
    await bus.subscribe(
      'bar',
      async ({ close }) => {
        log.push(`old start ${close}`);
        await gate.promise;
        log.push(`old end ${close}`);
      },
      { durable: 'risk' },
    );
    for (const close of [1, 2, 3]) await bus.publish('bar', { close });
    await bus.subscribe('bar', ({ close }) => void log.push(`new ${close}`), { durable: 'risk' });
    await bus.publish('bar', { close: 4 });
    expect(log).toEqual(['old start 1']);
    gate.resolve();
    await bus.idle();
    expect(log).toEqual(['old start 1', 'old end 1', 'new 2', 'new 3', 'new 4']);
    await bus.close();
  });

  it('drains every mailbox on close, follow-up publishes included, then refuses publishes', async () => {
    const bus = new InProcessEventBus<Topics>();
    const gate = deferred();
    const log: string[] = [];
    await bus.subscribe('bar', async ({ close }) => {
      await gate.promise;
      log.push(`bar ${close}`);
      await bus.publish('signal', { strength: close });
    });
    await bus.subscribe('signal', ({ strength }) => void log.push(`signal ${strength}`));
    await bus.publish('bar', { close: 7 });
    const closing = bus.close();
    gate.resolve();
    await closing;
    expect(log).toEqual(['bar 7', 'signal 7']);
    await expect(bus.publish('bar', { close: 8 })).rejects.toThrow('the bus is closed');
    await expect(bus.subscribe('bar', () => undefined)).rejects.toThrow('the bus is closed');
  });

  it('unsubscribe waits for the running handler and drops the rest', async () => {
    const bus = new InProcessEventBus<Topics>();
    const gate = deferred();
    const handled: number[] = [];
    const subscription = await bus.subscribe('bar', async ({ close }) => {
      await gate.promise;
      handled.push(close);
    });
    await bus.publish('bar', { close: 1 });
    await bus.publish('bar', { close: 2 });
    let done = false;
    const leaving = subscription.unsubscribe().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    gate.resolve();
    await leaving;
    expect(handled).toEqual([1]);
    await bus.close();
  });

  it('rejects invalid topics, patterns and options', async () => {
    const bus = new InProcessEventBus<Topics>();
    await expect(bus.publish('bar.*' as 'bar', { close: 1 })).rejects.toThrow(ValidationError);
    await expect(bus.subscribe('>.bar' as 'bar', () => undefined)).rejects.toThrow(/only allowed as the last token/);
    expect(() => new InProcessEventBus({ maxQueue: 0 })).toThrow(/maxQueue: must be an integer ≥ 1/);
    await bus.close();
  });
});
