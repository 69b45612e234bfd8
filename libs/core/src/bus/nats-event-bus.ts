import type * as Nats from 'nats';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg, NatsConnection } from 'nats';
import { ConflictError, RrrError, ValidationError, errorMessage, type FieldProblem } from '../errors';
import { systemClock, type Clock } from '../time';
import {
  defaultHandlerErrorHook,
  type BusEventHandler,
  type BusEventMeta,
  type BusHandlerErrorHook,
  type BusHandlerErrorInfo,
  type BusSubscribeOptions,
  type BusSubscription,
  type EventBus,
  type KnownPattern,
} from './event-bus';
import { FifoQueue } from './fifo-queue';
import { assertTopic, assertTopicPattern, type MatchingTopic, type TopicOf, type TopicPattern } from './topic-pattern';
import type { PlatformTopics } from './topics';

let natsModule: typeof Nats | undefined;

/** The nats client costs ~40 ms to load: only a process that uses the NATS bus should pay for it. */
function nats(): typeof Nats {
  natsModule ??= require('nats') as typeof Nats;
  return natsModule;
}

/** Header carrying the publisher's clock reading, so `meta.ts` means the same thing on both buses. */
const TS_HEADER = 'Rrr-Ts';
const NAME = /^[A-Za-z0-9_-]+$/;
const PREFIX = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

export interface NatsEventBusOptions {
  /** JetStream stream holding the events; created on start if missing. */
  stream: string;
  /** Subject prefix: topic `order.filled` travels as `<prefix>.order.filled`. Default `rrr`. */
  prefix?: string;
  clock?: Clock;
  onHandlerError?: BusHandlerErrorHook;
  /** Durable subscriptions: deliveries of one event before it is given up (server-side `max_deliver`). Default 5. */
  maxDeliver?: number;
  /** Durable subscriptions: delay before a failed event is redelivered, doubled per attempt. Default 1,000 ms. */
  nakDelayMs?: number;
  /** Cap of that doubling delay. Default 30,000 ms. */
  maxNakDelayMs?: number;
  /** Durable subscriptions: time a handler has before the server assumes it died and redelivers. Default 30,000 ms. */
  ackWaitMs?: number;
  /** Durable subscriptions: events handed out but not yet acknowledged, which bounds the local mailbox. Default 1,000. */
  maxAckPending?: number;
}

export interface CreateNatsEventBusOptions extends NatsEventBusOptions {
  /** NATS server URL(s), e.g. `nats://127.0.0.1:4222`. */
  url: string | string[];
  /** Connection name shown in server monitoring. */
  name?: string;
  /** Default 2,000 ms. */
  connectTimeoutMs?: number;
}

interface ResolvedOptions {
  stream: string;
  prefix: string;
  clock: Clock;
  onHandlerError: BusHandlerErrorHook;
  maxDeliver: number;
  nakDelayMs: number;
  maxNakDelayMs: number;
  ackWaitMs: number;
  maxAckPending: number;
}

type AnyHandler = (payload: unknown, meta: BusEventMeta) => void | Promise<void>;

function isNotFound(error: unknown): boolean {
  return error instanceof nats().NatsError && (error.api_error?.code === 404 || /not found/i.test(error.message));
}

function resolveOptions(options: NatsEventBusOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    stream: options.stream,
    prefix: options.prefix ?? 'rrr',
    clock: options.clock ?? systemClock,
    onHandlerError: options.onHandlerError ?? defaultHandlerErrorHook,
    maxDeliver: options.maxDeliver ?? 5,
    nakDelayMs: options.nakDelayMs ?? 1_000,
    maxNakDelayMs: options.maxNakDelayMs ?? 30_000,
    ackWaitMs: options.ackWaitMs ?? 30_000,
    maxAckPending: options.maxAckPending ?? 1_000,
  };
  const problems: FieldProblem[] = [];
  if (typeof resolved.stream !== 'string' || !NAME.test(resolved.stream)) {
    problems.push({ field: 'stream', message: "must be letters, digits, '_' and '-'", value: resolved.stream });
  }
  if (!PREFIX.test(resolved.prefix)) {
    problems.push({
      field: 'prefix',
      message: 'must be dot-separated tokens without wildcards',
      value: resolved.prefix,
    });
  }
  for (const field of ['maxDeliver', 'maxAckPending'] as const) {
    if (!Number.isInteger(resolved[field]) || resolved[field] < 1) {
      problems.push({ field, message: 'must be an integer ≥ 1', value: resolved[field] });
    }
  }
  for (const field of ['nakDelayMs', 'maxNakDelayMs', 'ackWaitMs'] as const) {
    if (!Number.isFinite(resolved[field]) || resolved[field] < 0) {
      problems.push({ field, message: 'must be a number of milliseconds ≥ 0', value: resolved[field] });
    }
  }
  if (problems.length > 0) throw new ValidationError('NATS event bus options', problems);
  return resolved;
}

/** Makes sure `stream` exists and captures `subject`; creates it (file storage) when missing. */
export async function ensureNatsStream(jsm: JetStreamManager, stream: string, subject: string): Promise<void> {
  try {
    const info = await jsm.streams.info(stream);
    const subjects = info.config.subjects ?? [];
    if (!subjects.includes(subject))
      await jsm.streams.update(stream, { ...info.config, subjects: [...subjects, subject] });
    return;
  } catch (error) {
    if (!isNotFound(error)) {
      throw new RrrError('BUS_ERROR', `cannot use JetStream stream ${stream} for ${subject}: ${errorMessage(error)}`, {
        cause: error,
        details: { stream, subject },
      });
    }
  }
  try {
    await jsm.streams.add({ name: stream, subjects: [subject], storage: nats().StorageType.File });
  } catch (error) {
    throw new RrrError('BUS_ERROR', `cannot create JetStream stream ${stream} for ${subject}: ${errorMessage(error)}`, {
      cause: error,
      details: { stream, subject },
    });
  }
}

interface NatsBusInternals {
  readonly options: ResolvedOptions;
  readonly connection: NatsConnection;
  forget(sub: NatsSubscription): void;
}

let jsonCodec: Nats.Codec<unknown> | undefined;
const codec = (): Nats.Codec<unknown> => (jsonCodec ??= nats().JSONCodec<unknown>());

/** One consumer's mailbox: events are handled one at a time, in delivery order, then acknowledged. */
class NatsSubscription implements BusSubscription {
  private readonly queue = new FifoQueue<JsMsg>();
  private running = false;
  private active = true;
  private messages: ConsumerMessages | undefined;
  private idleWaiters: Array<() => void> = [];
  private stopping: Promise<void> | undefined;

  constructor(
    private readonly bus: NatsBusInternals,
    readonly pattern: string,
    private readonly handler: AnyHandler,
    readonly durable: string | undefined,
  ) {}

  attach(messages: ConsumerMessages): void {
    this.messages = messages;
  }

  /** Consumer callback: must stay synchronous, so events are only queued here. */
  receive(msg: JsMsg): void {
    if (!this.active) {
      if (this.durable !== undefined) msg.nak();
      return;
    }
    this.queue.push(msg);
    if (!this.running) void this.run();
  }

  private async run(): Promise<void> {
    this.running = true;
    while (this.active && this.queue.size > 0) {
      await this.process(this.queue.shift() as JsMsg);
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private async process(msg: JsMsg): Promise<void> {
    const { options } = this.bus;
    const topic = msg.subject.slice(options.prefix.length + 1);
    const info: BusHandlerErrorInfo = {
      topic,
      seq: msg.seq,
      pattern: this.pattern,
      ...(this.durable === undefined ? {} : { durable: this.durable, deliveryCount: msg.info.deliveryCount }),
    };
    let payload: unknown;
    try {
      payload = codec().decode(msg.data);
    } catch (error) {
      // Redelivering bytes that are not JSON cannot help.
      if (this.durable !== undefined) msg.term();
      this.report(error, { ...info, final: true });
      return;
    }
    const stamped = Number(msg.headers?.get(TS_HEADER));
    const meta: BusEventMeta = {
      topic,
      seq: msg.seq,
      ts:
        Number.isFinite(stamped) && msg.headers?.has(TS_HEADER)
          ? stamped
          : Math.round(nats().millis(msg.info.timestampNanos)),
    };
    try {
      await this.handler(payload, meta);
      if (this.durable !== undefined) msg.ack();
    } catch (error) {
      if (this.durable === undefined) {
        this.report(error, info);
        return;
      }
      const count = msg.info.deliveryCount;
      const final = count >= options.maxDeliver;
      // Plain TERM: servers before 2.10 ignore a TERM that carries a reason.
      if (final) msg.term();
      else msg.nak(Math.min(options.nakDelayMs * 2 ** (count - 1), options.maxNakDelayMs));
      this.report(error, { ...info, final });
    }
  }

  private report(error: unknown, info: BusHandlerErrorInfo): void {
    try {
      this.bus.options.onHandlerError(error, info);
    } catch {
      // A failing error hook must not take the subscription down with it.
    }
  }

  private idle(): Promise<void> {
    if (!this.running) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  unsubscribe(): Promise<void> {
    this.stopping ??= this.stop();
    return this.stopping;
  }

  private async stop(): Promise<void> {
    this.active = false;
    this.bus.forget(this);
    await this.messages?.close();
    await this.idle();
    const undelivered = this.queue.takeAll();
    if (this.durable !== undefined) {
      // Handed back at once instead of after ack_wait, so a successor under the same name gets them immediately.
      for (const msg of undelivered) msg.nak();
    }
    if (!this.bus.connection.isClosed()) await this.bus.connection.flush();
  }
}

/**
 * The scale-out bus over NATS JetStream: every topic is a subject `<prefix>.<topic>` in one stream, payloads are
 * JSON, `publish()` resolves on the stream's acknowledgement.
 *
 * - Durable subscriptions use a durable pull consumer (explicit ack, starting at events published after its first
 *   creation). An event is acknowledged after its handler succeeded; a failing handler gets it again after
 *   `nakDelayMs` (doubling), at most `maxDeliver` deliveries in all. A subscriber that comes back under the same name
 *   (same or another process) resumes after the last acknowledged event.
 * - Other subscriptions use ephemeral ordered consumers that start at events published after `subscribe()` resolved
 *   and need no acknowledgement; what a slow handler has not yet taken is buffered locally.
 * - Per topic order holds for each subscriber; an event redelivered after a handler failure comes after later ones.
 * - Within one bus, a durable name already in use is replaced: the earlier subscription stops and hands its
 *   undelivered events back to the server.
 */
export class NatsEventBus<T extends Record<string, unknown> = PlatformTopics> implements EventBus<T> {
  readonly stream: string;
  readonly prefix: string;
  private readonly options: ResolvedOptions;
  private readonly js: JetStreamClient;
  private readonly subscriptions = new Set<NatsSubscription>();
  private readonly durables = new Map<string, NatsSubscription>();
  private closing: Promise<void> | undefined;
  private readonly internals: NatsBusInternals;

  /** Use `NatsEventBus.attach` or `createNatsEventBus`, which make sure the stream exists. */
  private constructor(
    private readonly connection: NatsConnection,
    private readonly jsm: JetStreamManager,
    options: ResolvedOptions,
    private readonly ownsConnection: boolean,
  ) {
    this.options = options;
    this.stream = options.stream;
    this.prefix = options.prefix;
    this.js = connection.jetstream();
    this.internals = {
      options,
      connection,
      forget: (sub) => {
        this.subscriptions.delete(sub);
        if (sub.durable !== undefined && this.durables.get(sub.durable) === sub) this.durables.delete(sub.durable);
      },
    };
  }

  /** A bus over an existing connection (which `close()` leaves open); creates the stream if it is missing. */
  static async attach<T extends Record<string, unknown> = PlatformTopics>(
    connection: NatsConnection,
    options: NatsEventBusOptions,
    ownsConnection = false,
  ): Promise<NatsEventBus<T>> {
    const resolved = resolveOptions(options);
    const jsm = await connection.jetstreamManager();
    await ensureNatsStream(jsm, resolved.stream, `${resolved.prefix}.>`);
    return new NatsEventBus<T>(connection, jsm, resolved, ownsConnection);
  }

  /** `order.filled` → `<prefix>.order.filled`. */
  subjectFor(topicOrPattern: string): string {
    return `${this.prefix}.${topicOrPattern}`;
  }

  async publish<K extends TopicOf<T>>(topic: K, payload: T[K]): Promise<void> {
    if (this.closing) throw new RrrError('BUS_ERROR', `cannot publish on ${topic}: the bus is closed`);
    assertTopic(topic);
    const subject = this.subjectFor(topic);
    const h = nats().headers();
    h.set(TS_HEADER, String(this.options.clock.now()));
    try {
      await this.js.publish(subject, codec().encode(payload), { headers: h });
    } catch (error) {
      throw new RrrError('BUS_ERROR', `publish on ${subject} to stream ${this.stream} failed: ${errorMessage(error)}`, {
        cause: error,
        details: { topic, subject, stream: this.stream },
      });
    }
  }

  async subscribe<P extends TopicPattern<T>>(
    pattern: P & KnownPattern<T, P>,
    handler: BusEventHandler<T[MatchingTopic<T, P>], MatchingTopic<T, P>>,
    options: BusSubscribeOptions = {},
  ): Promise<BusSubscription> {
    if (this.closing) throw new RrrError('BUS_ERROR', `cannot subscribe to ${pattern}: the bus is closed`);
    assertTopicPattern(pattern);
    const { durable } = options;
    if (durable !== undefined && !NAME.test(durable)) {
      throw new ValidationError('subscription', [
        { field: 'durable', message: "must be letters, digits, '_' and '-'", value: durable },
      ]);
    }
    const subject = this.subjectFor(pattern);
    const subscription = new NatsSubscription(this.internals, pattern, handler as unknown as AnyHandler, durable);
    try {
      if (durable !== undefined) {
        await this.durables.get(durable)?.unsubscribe();
        await this.ensureDurableConsumer(durable, subject);
        const consumer = await this.js.consumers.get(this.stream, durable);
        subscription.attach(
          await consumer.consume({
            callback: (msg) => subscription.receive(msg),
            max_messages: Math.min(this.options.maxAckPending, 256),
          }),
        );
        this.durables.set(durable, subscription);
      } else {
        const consumer = await this.js.consumers.get(this.stream, {
          filterSubjects: subject,
          deliver_policy: nats().DeliverPolicy.New,
        });
        subscription.attach(await consumer.consume({ callback: (msg) => subscription.receive(msg) }));
      }
    } catch (error) {
      if (error instanceof RrrError) throw error;
      throw new RrrError(
        'BUS_ERROR',
        `subscribe to ${subject} on stream ${this.stream} failed: ${errorMessage(error)}`,
        {
          cause: error,
          details: { pattern, subject, stream: this.stream, ...(durable === undefined ? {} : { durable }) },
        },
      );
    }
    this.subscriptions.add(subscription);
    return subscription;
  }

  private async ensureDurableConsumer(name: string, subject: string): Promise<void> {
    try {
      const info = await this.jsm.consumers.info(this.stream, name);
      const filters = info.config.filter_subjects ?? (info.config.filter_subject ? [info.config.filter_subject] : []);
      if (filters.length !== 1 || filters[0] !== subject) {
        throw new ConflictError(
          `durable consumer ${name} on stream ${this.stream} follows ${filters.join(', ') || 'every subject'}, not ${subject}`,
          { durable: name, stream: this.stream, existing: filters, requested: subject },
        );
      }
      return;
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
    await this.jsm.consumers.add(this.stream, {
      durable_name: name,
      filter_subject: subject,
      ack_policy: nats().AckPolicy.Explicit,
      deliver_policy: nats().DeliverPolicy.New,
      max_deliver: this.options.maxDeliver,
      ack_wait: nats().nanos(this.options.ackWaitMs),
      max_ack_pending: this.options.maxAckPending,
    });
  }

  /** Removes a durable consumer from the server, forgetting its position. */
  async deleteDurable(name: string): Promise<void> {
    await this.durables.get(name)?.unsubscribe();
    try {
      await this.jsm.consumers.delete(this.stream, name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }

  /** Stops every subscription (durable ones hand back what they had not handled), then drains an owned connection. */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.unsubscribe()));
    if (this.ownsConnection && !this.connection.isClosed()) await this.connection.drain();
  }
}

/** Connects to NATS, makes sure the stream exists and returns a bus that owns (and on close drains) the connection. */
export async function createNatsEventBus<T extends Record<string, unknown> = PlatformTopics>(
  options: CreateNatsEventBusOptions,
): Promise<NatsEventBus<T>> {
  resolveOptions(options);
  let connection: NatsConnection;
  try {
    connection = await nats().connect({
      servers: options.url,
      name: options.name ?? `rrr-${options.stream}`,
      timeout: options.connectTimeoutMs ?? 2_000,
    });
  } catch (error) {
    throw new RrrError('BUS_ERROR', `cannot connect to NATS at ${String(options.url)}: ${errorMessage(error)}`, {
      cause: error,
      details: { url: options.url },
    });
  }
  try {
    return await NatsEventBus.attach<T>(connection, options, true);
  } catch (error) {
    await connection.close();
    throw error;
  }
}
