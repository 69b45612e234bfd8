import {
  ConfigError,
  RrrError,
  ValidationError,
  createMetricsRegistry,
  sleep as defaultSleep,
  type Bar,
  type FieldProblem,
  type MetricsRegistry,
  type Trade,
} from '@rrr/core';
import type { Counter } from 'prom-client';
import WebSocket from 'ws';
import { silentApiLogger, type ApiLogger } from '../http/api-logger';
import { zodIssuesToProblems } from '../http/decode-json';
import { AsyncQueue } from '../stream/async-queue';
import {
  polygonAggregateToBar,
  polygonCryptoAggregateSchema,
  polygonCryptoTradeSchema,
  polygonStatusSchema,
  polygonTradeToTrade,
} from './polygon-feed-messages';

export const POLYGON_CRYPTO_WS_URL = 'wss://socket.polygon.io/crypto';

export type PolygonFeedEvent =
  | { type: 'trade'; trade: Trade }
  | { type: 'bar'; bar: Bar }
  | { type: 'status'; status: string; message: string };

export type PolygonFeedState =
  | 'idle'
  | 'connecting'
  | 'authenticating'
  | 'ready'
  | 'reconnecting'
  | 'stopped'
  | 'failed';

export interface PolygonReconnectOptions {
  /** Wait before the first reconnect after a drop; doubles per failed attempt. Default 5 s. */
  initialDelayMs: number;
  /** Ceiling of the wait. Default 60 s. */
  maxDelayMs: number;
  factor: number;
}

export interface PolygonCryptoFeedOptions {
  /** Defaults to `env.POLYGON_API_KEY`. */
  apiKey?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** `wss://socket.polygon.io/crypto` by default; tests use a FakePolygonServer's `wsUrl`. */
  url?: string;
  reconnect?: Partial<PolygonReconnectOptions>;
  /** A ping goes out this often; a connection that has not answered the previous one is dropped and reopened. */
  heartbeatIntervalMs?: number;
  connectTimeoutMs?: number;
  /** Events buffered per consumer before the oldest are dropped (and counted). */
  bufferSize?: number;
  logger?: ApiLogger;
  metrics?: MetricsRegistry;
  /** How reconnect waits are spent; tests inject one that records them. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export interface PolygonFeedHealth {
  state: PolygonFeedState;
  subscriptions: string[];
  /** Connections opened, the first one included. */
  connects: number;
  reconnects: number;
  events: number;
  invalidMessages: number;
  droppedEvents: number;
  lastEventAt: number | undefined;
}

const CHANNEL_PATTERN = /^(XT|XA|XQ|XL2|XAS)\.(\*|[A-Z0-9]+-[A-Z0-9]+)$/;

interface Consumer {
  kind: 'all' | 'trade' | 'bar';
  queue: AsyncQueue<PolygonFeedEvent> | AsyncQueue<Trade> | AsyncQueue<Bar>;
}

interface SessionEnd {
  wasReady: boolean;
  authFailure: RrrError | undefined;
}

/**
 * Polygon.io's crypto WebSocket feed: authenticates, subscribes to XT (trades) and XA (minute aggregates) channels,
 * and hands events out as core Trades and Bars to any number of async-iterable consumers. A dropped connection is
 * reopened with exponential backoff (5 s doubling to 60 s by default) and every channel subscribed so far is
 * subscribed again; a ping heartbeat detects a connection that went silent without closing. A rejected key stops the
 * feed (retrying cannot fix it) and fails every consumer with UNAUTHORIZED.
 */
export class PolygonCryptoFeed {
  private readonly apiKey: string;
  private readonly url: string;
  private readonly reconnect: PolygonReconnectOptions;
  private readonly heartbeatIntervalMs: number;
  private readonly connectTimeoutMs: number;
  private readonly bufferSize: number;
  private readonly logger: ApiLogger;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly channels = new Set<string>();
  private readonly consumers = new Set<Consumer>();
  private readonly stopController = new AbortController();
  private readonly counters: {
    events: Counter<'feed' | 'type'>;
    reconnects: Counter<'feed'>;
    invalid: Counter<'feed'>;
  };
  private socket: WebSocket | undefined;
  private current: PolygonFeedState = 'idle';
  private running: Promise<void> | undefined;
  private readyWaiters: { resolve: () => void; reject: (error: unknown) => void }[] = [];
  private stats = {
    connects: 0,
    reconnects: 0,
    events: 0,
    invalidMessages: 0,
    droppedEvents: 0,
    lastEventAt: undefined as number | undefined,
  };

  constructor(options: PolygonCryptoFeedOptions = {}) {
    const apiKey = options.apiKey ?? (options.env ?? process.env)['POLYGON_API_KEY'];
    if (apiKey === undefined || apiKey.trim() === '') {
      throw new ConfigError(
        [{ field: 'POLYGON_API_KEY', message: 'is required for the Polygon.io feed; set it in the environment' }],
        'polygon crypto feed',
      );
    }
    this.apiKey = apiKey;
    this.url = options.url ?? POLYGON_CRYPTO_WS_URL;
    this.reconnect = { initialDelayMs: 5_000, maxDelayMs: 60_000, factor: 2, ...options.reconnect };
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? 30_000;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    this.bufferSize = options.bufferSize ?? 10_000;
    this.logger = options.logger ?? silentApiLogger;
    this.wait = options.sleep ?? defaultSleep;
    const metrics = options.metrics ?? createMetricsRegistry();
    this.counters = {
      events: metrics.counter({
        name: 'rrr_ws_events_total',
        help: 'Market-data events received over WebSocket feeds',
        labelNames: ['feed', 'type'],
      }),
      reconnects: metrics.counter({
        name: 'rrr_ws_reconnects_total',
        help: 'WebSocket feed reconnections after a drop',
        labelNames: ['feed'],
      }),
      invalid: metrics.counter({
        name: 'rrr_ws_invalid_messages_total',
        help: 'WebSocket feed messages rejected as malformed',
        labelNames: ['feed'],
      }),
    };
  }

  get state(): PolygonFeedState {
    return this.current;
  }

  /** Channels subscribed (and re-subscribed after every reconnect), e.g. `XT.BTC-USD`. */
  get subscriptions(): string[] {
    return [...this.channels];
  }

  /** Adds channels (`XT.BTC-USD`, `XA.*`); sent now when connected, and again after each reconnect. */
  subscribe(channels: readonly string[]): void {
    const added = this.checkChannels(channels).filter((channel) => !this.channels.has(channel));
    for (const channel of added) this.channels.add(channel);
    if (added.length > 0) this.sendIfReady('subscribe', added);
  }

  unsubscribe(channels: readonly string[]): void {
    const removed = this.checkChannels(channels).filter((channel) => this.channels.delete(channel));
    if (removed.length > 0) this.sendIfReady('unsubscribe', removed);
  }

  /** `subscribe(pairs.map(p => 'XT.' + p))`. */
  subscribeTrades(pairs: readonly string[]): void {
    this.subscribe(pairs.map((pair) => `XT.${pair}`));
  }

  /** `subscribe(pairs.map(p => 'XA.' + p))`. */
  subscribeAggregates(pairs: readonly string[]): void {
    this.subscribe(pairs.map((pair) => `XA.${pair}`));
  }

  /**
   * Opens the feed. Resolves once authenticated the first time; rejects if the key is refused or the feed is stopped
   * first. Connection failures before that are retried with backoff, so a vendor outage at start-up is waited out.
   */
  start(): Promise<void> {
    if (this.current === 'ready') return Promise.resolve();
    if (this.current === 'stopped' || this.current === 'failed') {
      return Promise.reject(new RrrError('SERVICE_UNAVAILABLE', `polygon feed is ${this.current}; create a new one`));
    }
    const ready = new Promise<void>((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
    this.running ??= this.run();
    return ready;
  }

  /** Closes the connection, ends every consumer's iteration and stops reconnecting. */
  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    this.stopController.abort();
    this.socket?.terminate();
    await this.running;
    this.current = 'stopped';
    this.settleReady(new RrrError('SERVICE_UNAVAILABLE', 'polygon feed stopped before it was ready'));
    for (const consumer of this.consumers) consumer.queue.end();
    this.consumers.clear();
  }

  /** Every trade, bar and status event, in arrival order. */
  events(): AsyncIterableIterator<PolygonFeedEvent> {
    return this.addConsumer<PolygonFeedEvent>('all');
  }

  /** Trades of every subscribed XT channel, as core Trades. */
  trades(): AsyncIterableIterator<Trade> {
    return this.addConsumer<Trade>('trade');
  }

  /** Minute bars of every subscribed XA channel, as core Bars. */
  bars(): AsyncIterableIterator<Bar> {
    return this.addConsumer<Bar>('bar');
  }

  health(): PolygonFeedHealth {
    return { state: this.current, subscriptions: this.subscriptions, ...this.stats };
  }

  private addConsumer<T extends PolygonFeedEvent | Trade | Bar>(kind: Consumer['kind']): AsyncQueue<T> {
    const consumer = {} as Consumer;
    const queue = new AsyncQueue<T>({
      capacity: this.bufferSize,
      onDrop: () => {
        this.stats.droppedEvents++;
        if (this.stats.droppedEvents === 1 || this.stats.droppedEvents % 1_000 === 0) {
          this.logger.warn(
            { feed: 'polygon', dropped: this.stats.droppedEvents },
            'feed consumer too slow; dropping oldest events',
          );
        }
      },
      onClose: () => this.consumers.delete(consumer),
    });
    consumer.kind = kind;
    consumer.queue = queue as unknown as Consumer['queue'];
    if (this.current === 'stopped') queue.end();
    else this.consumers.add(consumer);
    return queue;
  }

  private checkChannels(channels: readonly string[]): string[] {
    const problems: FieldProblem[] = [];
    channels.forEach((channel, i) => {
      if (!CHANNEL_PATTERN.test(channel)) {
        problems.push({
          field: `channels[${i}]`,
          message: 'must be <XT|XA|XQ|XL2|XAS>.<PAIR> such as XT.BTC-USD, or <prefix>.*',
          value: channel,
        });
      }
    });
    if (problems.length > 0) throw new ValidationError('polygon subscription', problems);
    return [...channels];
  }

  private sendIfReady(action: 'subscribe' | 'unsubscribe', channels: readonly string[]): void {
    if (this.current === 'ready' && this.socket?.readyState === WebSocket.OPEN) {
      this.socket.send(JSON.stringify({ action, params: channels.join(',') }));
    }
  }

  private settleReady(error?: unknown): void {
    const waiters = this.readyWaiters.splice(0);
    for (const waiter of waiters) {
      if (error === undefined) waiter.resolve();
      else waiter.reject(error);
    }
  }

  private async run(): Promise<void> {
    let failedAttempts = 0;
    while (!this.stopController.signal.aborted) {
      const session = await this.connectOnce();
      if (this.stopController.signal.aborted) break;
      if (session.authFailure !== undefined) {
        this.current = 'failed';
        this.settleReady(session.authFailure);
        for (const consumer of this.consumers) consumer.queue.fail(session.authFailure);
        this.consumers.clear();
        return;
      }
      // A connection that got as far as authenticating was healthy: its loss starts the backoff afresh.
      if (session.wasReady) failedAttempts = 0;
      const { initialDelayMs, maxDelayMs, factor } = this.reconnect;
      const delayMs = Math.min(maxDelayMs, initialDelayMs * factor ** failedAttempts);
      failedAttempts++;
      this.current = 'reconnecting';
      this.stats.reconnects++;
      this.counters.reconnects.inc({ feed: 'polygon' });
      this.logger.warn(
        { feed: 'polygon', delayMs, attempt: failedAttempts },
        'polygon feed disconnected; reconnecting',
      );
      try {
        await this.wait(delayMs, this.stopController.signal);
      } catch {
        break;
      }
    }
  }

  private connectOnce(): Promise<SessionEnd> {
    return new Promise<SessionEnd>((resolve) => {
      this.current = 'connecting';
      this.stats.connects++;
      const socket = new WebSocket(this.url, { handshakeTimeout: this.connectTimeoutMs });
      this.socket = socket;
      const session: SessionEnd = { wasReady: false, authFailure: undefined };
      let heartbeat: ReturnType<typeof setInterval> | undefined;
      let awaitingPong = false;

      socket.on('open', () => {
        this.current = 'authenticating';
        heartbeat = setInterval(() => {
          if (awaitingPong) {
            this.logger.warn(
              { feed: 'polygon', intervalMs: this.heartbeatIntervalMs },
              'polygon feed missed a pong; dropping the connection',
            );
            socket.terminate();
            return;
          }
          awaitingPong = true;
          socket.ping();
        }, this.heartbeatIntervalMs);
      });
      socket.on('pong', () => {
        awaitingPong = false;
      });
      socket.on('message', (data) => {
        this.handleMessage(socket, data.toString(), session);
      });
      socket.on('error', (error) => {
        // The URL carries no key (it goes in the auth message), so the message is safe to log.
        this.logger.warn({ feed: 'polygon', error: error.message }, 'polygon feed socket error');
      });
      socket.on('close', (code) => {
        if (heartbeat !== undefined) clearInterval(heartbeat);
        if (this.socket === socket) this.socket = undefined;
        this.logger.debug({ feed: 'polygon', code }, 'polygon feed closed');
        resolve(session);
      });
      if (this.stopController.signal.aborted) socket.terminate();
    });
  }

  private handleMessage(socket: WebSocket, text: string, session: SessionEnd): void {
    let events: unknown;
    try {
      events = JSON.parse(text);
    } catch {
      this.rejectMessage([{ field: '(message)', message: 'is not valid JSON' }], text);
      return;
    }
    const list = Array.isArray(events) ? events : [events];
    list.forEach((event, index) => {
      const ev = typeof event === 'object' && event !== null ? (event as { ev?: unknown }).ev : undefined;
      if (ev === 'status') this.handleStatus(socket, event, session);
      else if (ev === 'XT') this.handleTrade(event, index, text);
      else if (ev === 'XA') this.handleAggregate(event, index, text);
      else if (ev === undefined) this.rejectMessage([{ field: `[${index}].ev`, message: 'is required' }], text);
      else this.logger.debug({ feed: 'polygon', ev }, 'polygon feed event type not handled');
    });
  }

  private handleStatus(socket: WebSocket, event: unknown, session: SessionEnd): void {
    const parsed = polygonStatusSchema.safeParse(event);
    if (!parsed.success) {
      this.rejectMessage(zodIssuesToProblems(parsed.error.issues), JSON.stringify(event));
      return;
    }
    const { status, message = '' } = parsed.data;
    this.dispatch({ type: 'status', status, message });
    if (status === 'connected') {
      socket.send(JSON.stringify({ action: 'auth', params: this.apiKey }));
    } else if (status === 'auth_success') {
      session.wasReady = true;
      this.current = 'ready';
      if (this.channels.size > 0)
        socket.send(JSON.stringify({ action: 'subscribe', params: [...this.channels].join(',') }));
      this.logger.info({ feed: 'polygon', subscriptions: this.channels.size }, 'polygon feed authenticated');
      this.settleReady();
    } else if (status === 'auth_failed') {
      session.authFailure = new RrrError(
        'UNAUTHORIZED',
        `polygon feed ${new URL(this.url).host}: authentication failed (${message})`,
      );
      this.logger.error({ feed: 'polygon', message }, 'polygon feed authentication failed; not reconnecting');
      socket.close();
    } else {
      this.logger.debug({ feed: 'polygon', status, message }, 'polygon feed status');
    }
  }

  private handleTrade(event: unknown, index: number, text: string): void {
    const parsed = polygonCryptoTradeSchema.safeParse(event);
    if (!parsed.success) {
      this.rejectMessage(prefixProblems(zodIssuesToProblems(parsed.error.issues), index), text);
      return;
    }
    this.dispatch({ type: 'trade', trade: polygonTradeToTrade(parsed.data) });
  }

  private handleAggregate(event: unknown, index: number, text: string): void {
    const parsed = polygonCryptoAggregateSchema.safeParse(event);
    if (!parsed.success) {
      this.rejectMessage(prefixProblems(zodIssuesToProblems(parsed.error.issues), index), text);
      return;
    }
    this.dispatch({ type: 'bar', bar: polygonAggregateToBar(parsed.data) });
  }

  private rejectMessage(problems: FieldProblem[], text: string): void {
    this.stats.invalidMessages++;
    this.counters.invalid.inc({ feed: 'polygon' });
    const error = new ValidationError('polygon feed message', problems, 'DATA_INVALID');
    this.logger.warn(
      { feed: 'polygon', error: error.message, message: text.length > 200 ? `${text.slice(0, 200)}…` : text },
      'polygon feed message rejected',
    );
  }

  private dispatch(event: PolygonFeedEvent): void {
    if (event.type !== 'status') {
      this.stats.events++;
      this.stats.lastEventAt = Date.now();
      this.counters.events.inc({ feed: 'polygon', type: event.type });
    }
    for (const consumer of this.consumers) {
      if (consumer.kind === 'all') (consumer.queue as AsyncQueue<PolygonFeedEvent>).push(event);
      else if (consumer.kind === 'trade' && event.type === 'trade')
        (consumer.queue as AsyncQueue<Trade>).push(event.trade);
      else if (consumer.kind === 'bar' && event.type === 'bar') (consumer.queue as AsyncQueue<Bar>).push(event.bar);
    }
  }
}

function prefixProblems(problems: FieldProblem[], index: number): FieldProblem[] {
  return problems.map((problem) => ({
    ...problem,
    field: problem.field === '(root)' ? `[${index}]` : `[${index}].${problem.field}`,
  }));
}
