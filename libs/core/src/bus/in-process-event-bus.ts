import { RrrError, ValidationError } from '../errors';
import { systemClock, type Clock } from '../time';
import {
  defaultHandlerErrorHook,
  type BusEventHandler,
  type BusEventMeta,
  type BusHandlerErrorHook,
  type BusSubscribeOptions,
  type BusSubscription,
  type EventBus,
  type KnownPattern,
} from './event-bus';
import { FifoQueue } from './fifo-queue';
import { assertTopic, compileTopicPattern, type MatchingTopic, type TopicOf, type TopicPattern } from './topic-pattern';
import type { PlatformTopics } from './topics';

export interface InProcessEventBusOptions {
  /** Source of `meta.ts`; a ManualClock makes backtests replay with simulated publish times. */
  clock?: Clock;
  /** Most events one subscription may have waiting; a publisher meeting a full queue waits for room. Default 10,000. */
  maxQueue?: number;
  onHandlerError?: BusHandlerErrorHook;
}

interface Envelope {
  payload: unknown;
  meta: BusEventMeta;
}

type AnyHandler = (payload: unknown, meta: BusEventMeta) => void | Promise<void>;

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/** One subscriber's ordered mailbox: handlers run one at a time, in arrival order. */
class InProcessSubscription implements BusSubscription {
  readonly matches: (topic: string) => boolean;
  private readonly queue = new FifoQueue<Envelope>();
  private running = false;
  private active = true;
  private idleWaiters: Array<() => void> = [];

  constructor(
    readonly pattern: string,
    private readonly handler: AnyHandler,
    readonly durable: string | undefined,
    private readonly bus: {
      report(error: unknown, envelope: Envelope, sub: InProcessSubscription): void;
      roomFreed(): void;
      forget(sub: InProcessSubscription): void;
    },
  ) {
    this.matches = compileTopicPattern(pattern);
  }

  get pending(): number {
    return this.queue.size;
  }

  get isActive(): boolean {
    return this.active;
  }

  enqueue(envelope: Envelope): void {
    if (this.active) this.queue.push(envelope);
  }

  /** Runs queued handlers now, synchronously for as long as handlers return synchronously. */
  pump(): void {
    if (this.running) return;
    this.running = true;
    this.drain();
  }

  private drain(): void {
    while (this.active && this.queue.size > 0) {
      const envelope = this.queue.shift() as Envelope;
      this.bus.roomFreed();
      let result: unknown;
      try {
        result = this.handler(envelope.payload, envelope.meta);
      } catch (error) {
        this.bus.report(error, envelope, this);
        continue;
      }
      if (isThenable(result)) {
        result.then(
          () => this.drain(),
          (error: unknown) => {
            this.bus.report(error, envelope, this);
            this.drain();
          },
        );
        return;
      }
    }
    this.running = false;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  /** Resolves when nothing is queued and no handler is running. */
  idle(): Promise<void> {
    if (!this.running && this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Stops delivery and hands over what was still queued (for a durable replacement). */
  deactivate(): Envelope[] {
    this.active = false;
    const rest = this.queue.takeAll();
    this.bus.roomFreed();
    return rest;
  }

  /** Takes over events queued for a replaced durable subscription once its last handler call has finished. */
  adopt(previous: InProcessSubscription, envelopes: Envelope[]): void {
    for (const envelope of envelopes) if (this.matches(envelope.meta.topic)) this.queue.push(envelope);
    if (!previous.running) {
      this.pump();
      return;
    }
    this.running = true;
    void previous.idle().then(() => {
      this.running = false;
      this.pump();
    });
  }

  async unsubscribe(): Promise<void> {
    if (this.active) {
      this.deactivate();
      this.bus.forget(this);
    }
    await this.idle();
  }
}

/**
 * The default bus: everything in one process, no I/O.
 *
 * Delivery policy:
 * - Each subscription has its own FIFO mailbox. A publish enqueues the event in every matching mailbox first and then
 *   runs idle subscribers' handlers synchronously, inside `publish()`; so with synchronous handlers a whole cascade
 *   (bar → signal → order) has happened when `publish()` returns, which keeps backtests deterministic.
 * - A handler that returns a promise is awaited before that subscription gets its next event. Other subscriptions and
 *   the publisher go on; the slow subscription's events wait in its mailbox.
 * - Mailboxes are bounded (`maxQueue`). When a matching mailbox is full, `publish()` waits until it has room, and
 *   later publishes queue behind it, so publish order is kept and no event is dropped (back-pressure, not loss).
 *   Consequence: an async handler that awaits a publish to a topic its own full mailbox receives would wait on itself.
 * - `durable` has no persistence here: a subscription made with a durable name that is already in use on this bus
 *   replaces the earlier one, which stops receiving and hands over its undelivered events.
 * - `close()` lets every mailbox drain (follow-up publishes from those handlers included), then refuses new publishes
 *   and drops all subscriptions.
 */
export class InProcessEventBus<T extends Record<string, unknown> = PlatformTopics> implements EventBus<T> {
  private readonly clock: Clock;
  private readonly maxQueue: number;
  private readonly onHandlerError: BusHandlerErrorHook;
  private subscriptions: InProcessSubscription[] = [];
  private readonly durables = new Map<string, InProcessSubscription>();
  private seq = 0;
  private closed = false;
  private closing: Promise<void> | undefined;
  /** Publishes waiting for mailbox room, in publish order. */
  private blocked: Array<{ envelope: Envelope; resolve: () => void }> = [];

  constructor(options: InProcessEventBusOptions = {}) {
    const maxQueue = options.maxQueue ?? 10_000;
    if (!Number.isInteger(maxQueue) || maxQueue < 1) {
      throw new ValidationError('in-process event bus options', [
        { field: 'maxQueue', message: 'must be an integer ≥ 1', value: maxQueue },
      ]);
    }
    this.clock = options.clock ?? systemClock;
    this.maxQueue = maxQueue;
    this.onHandlerError = options.onHandlerError ?? defaultHandlerErrorHook;
  }

  publish<K extends TopicOf<T>>(topic: K, payload: T[K]): Promise<void> {
    if (this.closed) return Promise.reject(new RrrError('BUS_ERROR', `cannot publish on ${topic}: the bus is closed`));
    try {
      assertTopic(topic);
    } catch (error) {
      return Promise.reject(error);
    }
    const envelope: Envelope = { payload, meta: { topic, seq: ++this.seq, ts: this.clock.now() } };
    if (this.blocked.length === 0 && this.hasRoomFor(topic)) {
      this.dispatch(envelope);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.blocked.push({ envelope, resolve }));
  }

  subscribe<P extends TopicPattern<T>>(
    pattern: P & KnownPattern<T, P>,
    handler: BusEventHandler<T[MatchingTopic<T, P>], MatchingTopic<T, P>>,
    options: BusSubscribeOptions = {},
  ): Promise<BusSubscription> {
    if (this.closed)
      return Promise.reject(new RrrError('BUS_ERROR', `cannot subscribe to ${pattern}: the bus is closed`));
    let subscription: InProcessSubscription;
    try {
      subscription = new InProcessSubscription(pattern, handler as AnyHandler, options.durable, this.hooks);
    } catch (error) {
      return Promise.reject(error);
    }
    if (options.durable !== undefined) {
      const previous = this.durables.get(options.durable);
      if (previous) {
        this.subscriptions = this.subscriptions.filter((s) => s !== previous);
        subscription.adopt(previous, previous.deactivate());
      }
      this.durables.set(options.durable, subscription);
    }
    this.subscriptions.push(subscription);
    return Promise.resolve(subscription);
  }

  /** Resolves once every subscription has handled everything queued so far (and nothing is waiting for room). */
  async idle(): Promise<void> {
    while (this.blocked.length > 0 || this.subscriptions.some((s) => s.pending > 0)) {
      await Promise.all(this.subscriptions.map((s) => s.idle()));
    }
    await Promise.all(this.subscriptions.map((s) => s.idle()));
  }

  /** Events queued per subscription pattern (for monitoring a slow consumer). */
  backlog(): Array<{ pattern: string; durable?: string; pending: number }> {
    return this.subscriptions.map((s) => ({
      pattern: s.pattern,
      ...(s.durable === undefined ? {} : { durable: s.durable }),
      pending: s.pending,
    }));
  }

  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    // Handlers still draining may publish follow-up events; those are delivered too before the bus shuts.
    await this.idle();
    this.closed = true;
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    this.durables.clear();
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
  }

  private readonly hooks = {
    report: (error: unknown, envelope: Envelope, sub: InProcessSubscription): void => {
      try {
        this.onHandlerError(error, {
          topic: envelope.meta.topic,
          seq: envelope.meta.seq,
          pattern: sub.pattern,
          ...(sub.durable === undefined ? {} : { durable: sub.durable }),
        });
      } catch {
        // A failing error hook must not take the bus down with it.
      }
    },
    roomFreed: (): void => this.releaseBlocked(),
    forget: (sub: InProcessSubscription): void => {
      this.subscriptions = this.subscriptions.filter((s) => s !== sub);
      if (sub.durable !== undefined && this.durables.get(sub.durable) === sub) this.durables.delete(sub.durable);
    },
  };

  private hasRoomFor(topic: string): boolean {
    for (const s of this.subscriptions) if (s.pending >= this.maxQueue && s.matches(topic)) return false;
    return true;
  }

  private dispatch(envelope: Envelope): void {
    const targets = this.subscriptions.filter((s) => s.matches(envelope.meta.topic));
    for (const s of targets) s.enqueue(envelope);
    for (const s of targets) s.pump();
  }

  private releasing = false;

  private releaseBlocked(): void {
    // Re-entrant calls (a handler freeing room while we dispatch) are folded into the running loop.
    if (this.releasing) return;
    this.releasing = true;
    try {
      while (this.blocked.length > 0 && this.hasRoomFor(this.blocked[0].envelope.meta.topic)) {
        const next = this.blocked.shift();
        if (!next) break;
        this.dispatch(next.envelope);
        next.resolve();
      }
    } finally {
      this.releasing = false;
    }
  }
}
