import type { MatchingTopic, TopicOf, TopicPattern } from './topic-pattern';
import type { PlatformTopics } from './topics';

/** What a handler learns about a delivered event besides its payload. */
export interface BusEventMeta<K extends string = string> {
  /** The concrete topic the event was published on (never a pattern). */
  topic: K;
  /** Position of the event in its log: the bus-wide publish counter in-process, the stream sequence on JetStream. */
  seq: number;
  /** Publish time in epoch milliseconds UTC, read from the publishing bus's clock. */
  ts: number;
}

export type BusEventHandler<P, K extends string = string> = (payload: P, meta: BusEventMeta<K>) => void | Promise<void>;

export interface BusSubscribeOptions {
  /**
   * Name of a durable subscription. On JetStream it names a durable consumer, so a subscriber that comes back under
   * the same name resumes after the last event it acknowledged. In-process there is no persistence: the name only
   * makes a later subscription with the same name replace the earlier one on the same bus.
   */
  durable?: string;
}

export interface BusSubscription {
  /** Stops delivery; resolves once no handler of this subscription is running any more. */
  unsubscribe(): Promise<void>;
}

/** Where a handler's failure is reported: the bus itself carries on. */
export interface BusHandlerErrorInfo {
  topic: string;
  seq: number;
  /** The topic or pattern the failing subscription was made with. */
  pattern: string;
  durable?: string;
  /** JetStream only: how many times this event has been delivered to the durable subscription so far. */
  deliveryCount?: number;
  /** JetStream only: true when the event will not be delivered again (redelivery budget spent, or undecodable). */
  final?: boolean;
}

export type BusHandlerErrorHook = (error: unknown, info: BusHandlerErrorInfo) => void;

/** Pattern `P` is rejected at compile time when it matches no topic of `T`. */
export type KnownPattern<T, P extends string> = [MatchingTopic<T, P>] extends [never]
  ? `pattern matches no topic of this bus`
  : P;

/**
 * A typed publish/subscribe bus over a topic map `T` (topic → payload type). Per topic, a subscriber sees events in
 * publish order; a handler that throws is reported and never stops the bus or other subscribers.
 */
export interface EventBus<T extends Record<string, unknown> = PlatformTopics> {
  /** Resolves once the bus has accepted the event (queued in-process; stored and acknowledged by JetStream). */
  publish<K extends TopicOf<T>>(topic: K, payload: T[K]): Promise<void>;
  /** Resolves once the subscription is live: events published after that are delivered to it. */
  subscribe<P extends TopicPattern<T>>(
    pattern: P & KnownPattern<T, P>,
    handler: BusEventHandler<T[MatchingTopic<T, P>], MatchingTopic<T, P>>,
    options?: BusSubscribeOptions,
  ): Promise<BusSubscription>;
  close(): Promise<void>;
}

export function defaultHandlerErrorHook(error: unknown, info: BusHandlerErrorInfo): void {
  console.error(`event bus: handler for ${info.pattern} failed on ${info.topic}#${info.seq}`, error);
}
