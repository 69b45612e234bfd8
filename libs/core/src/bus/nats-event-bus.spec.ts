import { connect, JSONCodec, type ConsumerInfo, type JetStreamManager, type NatsConnection } from 'nats';
import { RrrError, ValidationError } from '../errors';
import type { BusHandlerErrorInfo } from './event-bus';
import { createNatsEventBus, NatsEventBus } from './nats-event-bus';

type Topics = {
  'order.filled': { id: string; qty: number };
  trade: { id: number };
};

const NATS_URL = 'nats://127.0.0.1:4222';
const runId = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const stream = `RRRTEST_${runId}`;
const prefix = `rrrtest_${runId}`;

let admin: NatsConnection;
let jsm: JetStreamManager;
const buses: Array<NatsEventBus<Topics>> = [];

async function open(options: Partial<Parameters<typeof createNatsEventBus>[0]> = {}): Promise<NatsEventBus<Topics>> {
  const bus = await createNatsEventBus<Topics>({ url: NATS_URL, stream, prefix, ...options });
  buses.push(bus);
  return bus;
}

async function waitFor(what: string, predicate: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Consumer state once the server has processed every ack (acks travel on the bus's own connection). */
async function settledConsumer(durable: string): Promise<ConsumerInfo> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    const info = await jsm.consumers.info(stream, durable);
    if (info.num_ack_pending === 0) return info;
    if (Date.now() > deadline) throw new Error(`consumer ${durable} still has ${info.num_ack_pending} unacknowledged`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

beforeAll(async () => {
  try {
    admin = await connect({ servers: NATS_URL, timeout: 2_000 });
  } catch (error) {
    throw new Error(
      `NATS JetStream is not reachable at ${NATS_URL} (${String(error)}); start it with ` +
        '`start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log`',
    );
  }
  jsm = await admin.jetstreamManager();
});

afterEach(async () => {
  await Promise.all(buses.splice(0).map((bus) => bus.close()));
});

afterAll(async () => {
  if (!admin) return;
  await jsm.streams.delete(stream).catch(() => false);
  await admin.close();
});

describe('NatsEventBus', () => {
  it('creates the stream over <prefix>.> and stores topic order.filled as subject <prefix>.order.filled in JSON', async () => {
    const bus = await open();
    const info = await jsm.streams.info(stream);
    expect(info.config.subjects).toEqual([`${prefix}.>`]);
    expect(bus.subjectFor('order.filled')).toBe(`${prefix}.order.filled`);

    await bus.publish('order.filled', { id: 'o-7', qty: 2.5 });
    const last = await jsm.streams.getMessage(stream, { last_by_subj: `${prefix}.order.filled` });
    expect(last.subject).toBe(`${prefix}.order.filled`);
    expect(JSONCodec().decode(last.data)).toEqual({ id: 'o-7', qty: 2.5 });
  });

  it('redelivers after a failing durable handler and acknowledges once it succeeds', async () => {
    const errors: BusHandlerErrorInfo[] = [];
    const bus = await open({ nakDelayMs: 10, onHandlerError: (_error, info) => errors.push(info) });
    const durable = `retry_${runId}`;
    let calls = 0;
    const handled: number[] = [];
    await bus.subscribe(
      'trade',
      ({ id }) => {
        calls++;
        if (calls <= 2) throw new Error(`transient ${calls}`);
        handled.push(id);
      },
      { durable },
    );
    await bus.publish('trade', { id: 41 });
    await waitFor('the third delivery to succeed', () => handled.length === 1);
    expect(calls).toBe(3);
    expect(errors.map((e) => [e.deliveryCount, e.final])).toEqual([
      [1, false],
      [2, false],
    ]);
    const consumer = await settledConsumer(durable);
    expect(consumer.ack_floor.stream_seq).toBe(consumer.delivered.stream_seq);
  });

  it('gives an always-failing event up after maxDeliver deliveries and carries on with the next', async () => {
    const errors: BusHandlerErrorInfo[] = [];
    const bus = await open({ nakDelayMs: 5, maxDeliver: 3, onHandlerError: (_error, info) => errors.push(info) });
    const durable = `poison_${runId}`;
    const handled: number[] = [];
    await bus.subscribe(
      'trade',
      ({ id }) => {
        if (id === 13) throw new Error('poison');
        handled.push(id);
      },
      { durable },
    );
    await bus.publish('trade', { id: 13 });
    await waitFor('the final attempt', () => errors.some((e) => e.final));
    await bus.publish('trade', { id: 14 });
    await waitFor('the next event', () => handled.includes(14));
    expect(errors.map((e) => [e.deliveryCount, e.final])).toEqual([
      [1, false],
      [2, false],
      [3, true],
    ]);
    const consumer = await settledConsumer(durable);
    expect(consumer.num_pending).toBe(0);
    expect(consumer.ack_floor.stream_seq).toBe(consumer.delivered.stream_seq);
  });

  it('refuses a durable name whose consumer follows another subject', async () => {
    const bus = await open();
    const durable = `conflict_${runId}`;
    await (await bus.subscribe('trade', () => undefined, { durable })).unsubscribe();
    await expect(bus.subscribe('order.*', () => undefined, { durable })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringContaining(`${prefix}.trade, not ${prefix}.order.*`),
    });
  });

  it('names every invalid option', async () => {
    await expect(
      createNatsEventBus({ url: NATS_URL, stream: 'bad.name', prefix: 'a.*', maxDeliver: 0 }),
    ).rejects.toThrow(ValidationError);
    await expect(
      createNatsEventBus({ url: NATS_URL, stream: 'bad.name', prefix: 'a.*', maxDeliver: 0 }),
    ).rejects.toThrow(/stream: .*; prefix: .*; maxDeliver: must be an integer ≥ 1/);
  });

  it('fails with BUS_ERROR naming the URL when no server answers', async () => {
    const attempt = createNatsEventBus({ url: 'nats://127.0.0.1:1', stream, prefix, connectTimeoutMs: 500 });
    await expect(attempt).rejects.toBeInstanceOf(RrrError);
    await expect(attempt).rejects.toMatchObject({
      code: 'BUS_ERROR',
      message: expect.stringContaining('cannot connect to NATS at nats://127.0.0.1:1'),
    });
  });
});
