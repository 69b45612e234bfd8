import { connect, type NatsConnection } from 'nats';
import { ManualClock } from '../time';
import type { BusEventMeta, BusHandlerErrorHook, BusHandlerErrorInfo, EventBus } from './event-bus';
import { InProcessEventBus } from './in-process-event-bus';
import { createNatsEventBus } from './nats-event-bus';

/**
 * One behavioural contract, run against every EventBus implementation. Where the in-process bus deliberately differs
 * (no persistence behind `durable`) the harness says so and the test asserts the documented behaviour instead.
 */

type ContractTopics = {
  bar: { symbol: string; close: number; ts: number };
  trade: { id: number };
  'order.filled': { id: string; qty: number; tags: string[]; note: string | null };
  'order.cancelled': { id: string; reason: string };
};

interface Harness {
  name: string;
  /** Whether a durable subscription survives the bus that created it. */
  persistent: boolean;
  beforeAll(): Promise<void>;
  afterAll(): Promise<void>;
  create(options: { clock?: ManualClock; onHandlerError?: BusHandlerErrorHook }): Promise<EventBus<ContractTopics>>;
}

const NATS_URL = 'nats://127.0.0.1:4222';
const NATS_HINT =
  'start it with `start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log`';

const runId = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const natsStream = `RRRTEST_${runId}`;
const natsPrefix = `rrrtest_${runId}`;
let admin: NatsConnection | undefined;

const harnesses: Harness[] = [
  {
    name: 'InProcessEventBus',
    persistent: false,
    beforeAll: async () => undefined,
    afterAll: async () => undefined,
    create: async (options) => new InProcessEventBus<ContractTopics>(options),
  },
  {
    name: 'NatsEventBus',
    persistent: true,
    beforeAll: async () => {
      try {
        admin = await connect({ servers: NATS_URL, timeout: 2_000 });
      } catch (error) {
        throw new Error(`NATS JetStream is not reachable at ${NATS_URL} (${String(error)}); ${NATS_HINT}`);
      }
    },
    afterAll: async () => {
      if (!admin) return;
      const jsm = await admin.jetstreamManager();
      await jsm.streams.delete(natsStream).catch(() => false);
      await admin.close();
    },
    create: (options) =>
      createNatsEventBus<ContractTopics>({ url: NATS_URL, stream: natsStream, prefix: natsPrefix, ...options }),
  },
];

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe.each(harnesses)('EventBus contract: $name', (harness) => {
  let buses: Array<EventBus<ContractTopics>> = [];
  let durableCounter = 0;
  const durableName = () => `contract_${runId}_${++durableCounter}`;

  const open = async (options: Parameters<Harness['create']>[0] = {}) => {
    const bus = await harness.create(options);
    buses.push(bus);
    return bus;
  };

  beforeAll(() => harness.beforeAll());
  afterEach(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    buses = [];
  });
  afterAll(() => harness.afterAll());

  it('delivers the exact payload with its topic, sequence and publish time', async () => {
    const clock = new ManualClock(1_700_000_000_123);
    const bus = await open({ clock });
    const received: Array<{ payload: ContractTopics['order.filled']; meta: BusEventMeta }> = [];
    await bus.subscribe('order.filled', (payload, meta) => {
      received.push({ payload, meta });
    });
    const payload = { id: 'o-1', qty: 0.000123, tags: ['paper', 'BTC/USDT', 'ünïcødé'], note: null };
    await bus.publish('order.filled', payload);
    await waitFor('the event', () => received.length === 1);
    expect(received[0].payload).toEqual(payload);
    expect(received[0].meta.topic).toBe('order.filled');
    expect(received[0].meta.ts).toBe(1_700_000_000_123);
    expect(Number.isInteger(received[0].meta.seq) && received[0].meta.seq > 0).toBe(true);
  });

  it('matches wildcard patterns token by token', async () => {
    const bus = await open();
    const orders: string[] = [];
    const everything: string[] = [];
    await bus.subscribe('order.*', (_payload, meta) => {
      orders.push(meta.topic);
    });
    await bus.subscribe('>', (_payload, meta) => {
      everything.push(meta.topic);
    });
    await bus.publish('bar', { symbol: 'BTC-USD', close: 1, ts: 0 });
    await bus.publish('order.filled', { id: 'a', qty: 1, tags: [], note: null });
    await bus.publish('order.cancelled', { id: 'b', reason: 'user' });
    await waitFor('both subscribers', () => orders.length === 2 && everything.length === 3);
    expect(orders).toEqual(['order.filled', 'order.cancelled']);
    expect(everything).toEqual(['bar', 'order.filled', 'order.cancelled']);
  });

  it('keeps per-topic order over 1,000 events, for sync and async handlers', async () => {
    const bus = await open();
    const seen: Record<string, number[]> = { bar: [], trade: [] };
    const asyncTrades: number[] = [];
    const seqs: number[] = [];
    await bus.subscribe('>', (payload, meta) => {
      seen[meta.topic].push(
        meta.topic === 'trade' ? (payload as ContractTopics['trade']).id : (payload as ContractTopics['bar']).close,
      );
      seqs.push(meta.seq);
    });
    await bus.subscribe('trade', async ({ id }) => {
      // Uneven suspension points: a later event must still wait for an earlier one's handler.
      if (id % 7 === 0) await new Promise((resolve) => setTimeout(resolve, 1));
      else if (id % 3 === 0) await Promise.resolve();
      asyncTrades.push(id);
    });
    const publishes: Array<Promise<void>> = [];
    for (let i = 0; i < 500; i++) {
      publishes.push(bus.publish('bar', { symbol: 'ETH-USD', close: i, ts: i }));
      publishes.push(bus.publish('trade', { id: i }));
    }
    await Promise.all(publishes);
    await waitFor(
      '1,000 events',
      () => seen.bar.length === 500 && seen.trade.length === 500 && asyncTrades.length === 500,
    );
    const expected = Array.from({ length: 500 }, (_, i) => i);
    expect(seen.bar).toEqual(expected);
    expect(seen.trade).toEqual(expected);
    expect(asyncTrades).toEqual(expected);
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true);
  });

  it('stops delivering to a subscription once it is unsubscribed', async () => {
    const bus = await open();
    const stopped: number[] = [];
    const kept: number[] = [];
    const subscription = await bus.subscribe('trade', ({ id }) => {
      stopped.push(id);
    });
    await bus.subscribe('trade', ({ id }) => {
      kept.push(id);
    });
    await bus.publish('trade', { id: 1 });
    await waitFor('the first event on both', () => stopped.length === 1 && kept.length === 1);
    await subscription.unsubscribe();
    await bus.publish('trade', { id: 2 });
    await bus.publish('trade', { id: 3 });
    await waitFor('the later events', () => kept.length === 3);
    expect(kept).toEqual([1, 2, 3]);
    expect(stopped).toEqual([1]);
  });

  it('reports a throwing handler and keeps delivering to it and to everyone else', async () => {
    const errors: Array<{ error: unknown; info: BusHandlerErrorInfo }> = [];
    const bus = await open({ onHandlerError: (error, info) => errors.push({ error, info }) });
    let throwingCalls = 0;
    const healthy: number[] = [];
    await bus.subscribe('trade', ({ id }) => {
      throwingCalls++;
      throw new Error(`boom ${id}`);
    });
    await bus.subscribe('trade', async ({ id }) => {
      healthy.push(id);
    });
    for (const id of [1, 2, 3]) await bus.publish('trade', { id });
    await waitFor('all events and errors', () => healthy.length === 3 && errors.length === 3);
    expect(healthy).toEqual([1, 2, 3]);
    expect(throwingCalls).toBe(3);
    expect(errors.map((e) => (e.error as Error).message)).toEqual(['boom 1', 'boom 2', 'boom 3']);
    expect(errors[0].info).toMatchObject({ topic: 'trade', pattern: 'trade' });
  });

  it('lets a later subscription with the same durable name replace the earlier one on a bus', async () => {
    const bus = await open();
    const name = durableName();
    const first: number[] = [];
    const second: number[] = [];
    await bus.subscribe('trade', ({ id }) => void first.push(id), { durable: name });
    await bus.subscribe('trade', ({ id }) => void second.push(id), { durable: name });
    for (const id of [1, 2, 3]) await bus.publish('trade', { id });
    await waitFor('the replacement to receive', () => second.length === 3);
    expect(second).toEqual([1, 2, 3]);
    expect(first).toEqual([]);
  });

  it(
    harness.persistent
      ? 'resumes a durable subscription after a restart with exactly the events it missed'
      : 'has no persistence behind a durable name: after a restart only new events arrive',
    async () => {
      const name = durableName();
      const before = await open();
      const firstRun: number[] = [];
      await before.subscribe('trade', ({ id }) => void firstRun.push(id), { durable: name });
      for (const id of [1, 2, 3]) await before.publish('trade', { id });
      await waitFor('the first three', () => firstRun.length === 3);
      await before.close();

      const after = await open();
      for (const id of [4, 5]) await after.publish('trade', { id });
      const secondRun: number[] = [];
      await after.subscribe('trade', ({ id }) => void secondRun.push(id), { durable: name });
      // A sentinel published after resubscribing: once it is in, everything before it has been delivered.
      await after.publish('trade', { id: 6 });
      await waitFor('the sentinel', () => secondRun.includes(6));
      expect(firstRun).toEqual([1, 2, 3]);
      expect(secondRun).toEqual(harness.persistent ? [4, 5, 6] : [6]);
    },
  );

  it('refuses to publish once closed', async () => {
    const bus = await open();
    await bus.close();
    await expect(bus.publish('trade', { id: 1 })).rejects.toMatchObject({ code: 'BUS_ERROR' });
  });
});
