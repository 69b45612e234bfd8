import {
  systemClock,
  TokenBucket,
  type BusEventMeta,
  type BusSubscription,
  type Clock,
  type EventBus,
  type MetricsRegistry,
  type RrrLogger,
} from '@rrr/core';
import type { WebSocket } from 'ws';
import type { ApiKeyPrincipal, ApiKeyStore } from '../security/api-key-store';
import type { PlaceOrder } from './place-order';
import { WS_CHANNELS, type WsChannel } from './ws-channels';
import { outboundFrame, WS_CLOSE, WsConnection, type WsConnectionHub } from './ws-connection';
import type { WsGatewayOptions } from './ws-gateway-options';

export interface WsGatewayDeps {
  bus: EventBus;
  apiKeys: ApiKeyStore;
  placeOrder: PlaceOrder;
  logger: RrrLogger;
  /** GET routes need a key: then channels need an authenticated connection too. */
  requireAuthForReads: boolean;
  metrics?: MetricsRegistry;
  clock?: Clock;
}

function symbolOf(payload: unknown): string | undefined {
  const symbol = (payload as { symbol?: unknown } | null)?.symbol;
  return typeof symbol === 'string' ? symbol : undefined;
}

/**
 * Relays bus events to WebSocket clients by channel and symbol, and takes their orders. The bus handlers are
 * synchronous and never wait on a socket: each event is serialised once and handed to every interested client's
 * bounded send queue, and a client whose queue is full is dropped (see WsConnection.send).
 */
export class WsGateway implements WsConnectionHub {
  readonly apiKeys: ApiKeyStore;
  readonly placeOrder: PlaceOrder;
  readonly requireAuthForReads: boolean;
  readonly clock: Clock;
  readonly logger: RrrLogger;
  private readonly bus: EventBus;
  private readonly connections = new Set<WsConnection>();
  private readonly byChannel = new Map<WsChannel, Set<WsConnection>>(WS_CHANNELS.map((c) => [c, new Set()]));
  private readonly orderBuckets = new Map<string, TokenBucket>();
  private subscriptions: BusSubscription[] = [];
  private heartbeatTimer: ReturnType<typeof setInterval> | undefined;
  private readonly clientsGauge: ReturnType<MetricsRegistry['gauge']> | undefined;
  private readonly disconnects: ReturnType<MetricsRegistry['counter']> | undefined;
  private readonly eventsSent: ReturnType<MetricsRegistry['counter']> | undefined;

  constructor(
    deps: WsGatewayDeps,
    readonly options: WsGatewayOptions,
  ) {
    this.bus = deps.bus;
    this.apiKeys = deps.apiKeys;
    this.placeOrder = deps.placeOrder;
    this.requireAuthForReads = deps.requireAuthForReads;
    this.logger = deps.logger;
    this.clock = deps.clock ?? systemClock;
    this.clientsGauge = deps.metrics?.gauge({ name: 'rrr_ws_clients', help: 'Connected WebSocket clients' });
    this.disconnects = deps.metrics?.counter({
      name: 'rrr_ws_disconnects_total',
      help: 'WebSocket connections closed, by close code',
      labelNames: ['code'],
    });
    this.eventsSent = deps.metrics?.counter({
      name: 'rrr_ws_events_sent_total',
      help: 'Bus events sent to WebSocket clients, by channel',
      labelNames: ['channel'],
    });
  }

  get clientCount(): number {
    return this.connections.size;
  }

  /** Subscribes to every channel's topic and starts the heartbeat. */
  async start(): Promise<void> {
    const bus = this.bus;
    this.subscriptions = await Promise.all([
      bus.subscribe('bar', (payload, meta) => this.deliver('bars', payload, meta)),
      bus.subscribe('trade', (payload, meta) => this.deliver('trades', payload, meta)),
      bus.subscribe('signal', (payload, meta) => this.deliver('signals', payload, meta)),
      bus.subscribe('prediction', (payload, meta) => this.deliver('predictions', payload, meta)),
      bus.subscribe('order.*', (payload, meta) => this.deliver('orders', payload, meta)),
      bus.subscribe('fill', (payload, meta) => this.deliver('fills', payload, meta)),
      bus.subscribe('position', (payload, meta) => this.deliver('portfolio', payload, meta)),
      bus.subscribe('risk.alert', (payload, meta) => this.deliver('alerts', payload, meta)),
      bus.subscribe('service.status', (payload, meta) => this.deliver('health', payload, meta)),
    ]);
    this.heartbeatTimer = setInterval(() => this.heartbeat(), this.options.heartbeatIntervalMs);
    this.heartbeatTimer.unref();
  }

  /** Takes a freshly upgraded socket; `principal` is the key its upgrade request authenticated with, if any. */
  accept(socket: WebSocket, principal: ApiKeyPrincipal | null): void {
    if (this.connections.size >= this.options.maxClients) {
      socket.close(WS_CLOSE.tryAgainLater, `server at capacity (${this.options.maxClients} clients)`);
      this.disconnects?.inc({ code: String(WS_CLOSE.tryAgainLater) });
      return;
    }
    const connection = new WsConnection(socket, principal, this);
    this.connections.add(connection);
    this.clientsGauge?.set(this.connections.size);
    connection.welcome();
  }

  channelsChanged(connection: WsConnection): void {
    for (const [channel, members] of this.byChannel) {
      if (connection.isOpen && connection.subscribes(channel)) members.add(connection);
      else members.delete(connection);
    }
  }

  detach(connection: WsConnection, code: number): void {
    if (!this.connections.delete(connection)) return;
    for (const members of this.byChannel.values()) members.delete(connection);
    this.clientsGauge?.set(this.connections.size);
    this.disconnects?.inc({ code: String(code) });
  }

  orderBucket(keyId: string): TokenBucket {
    let bucket = this.orderBuckets.get(keyId);
    if (bucket === undefined) {
      bucket = new TokenBucket({
        ...this.options.ordersPerKey,
        name: `websocket orders of key ${keyId}`,
        clock: this.clock,
      });
      this.orderBuckets.set(keyId, bucket);
    }
    return bucket;
  }

  /**
   * Stops relaying, then closes every client with 1001; a client that has not finished the close handshake after
   * closeGraceMs (one that does not read, typically) has its socket destroyed.
   */
  async close(): Promise<void> {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    const subscriptions = this.subscriptions;
    this.subscriptions = [];
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
    const sockets = [...this.connections].map((c) => c.socket);
    for (const connection of [...this.connections]) connection.close(WS_CLOSE.goingAway, 'server shutting down');
    const closed = sockets.map(
      (socket) =>
        new Promise<void>((resolve) => {
          if (socket.readyState === socket.CLOSED) resolve();
          else socket.once('close', () => resolve());
        }),
    );
    let timer: ReturnType<typeof setTimeout> | undefined;
    const grace = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.closeGraceMs);
    });
    const outcome = await Promise.race([Promise.all(closed), grace]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      for (const socket of sockets) if (socket.readyState !== socket.CLOSED) socket.terminate();
      await Promise.all(closed);
    }
  }

  private deliver(channel: WsChannel, payload: unknown, meta: BusEventMeta): void {
    const members = this.byChannel.get(channel);
    if (members === undefined || members.size === 0) return;
    const symbol = symbolOf(payload);
    let frame: ReturnType<typeof outboundFrame> | undefined;
    let sent = 0;
    for (const connection of members) {
      if (!connection.wants(channel, symbol)) continue;
      frame ??= outboundFrame({ op: 'event', channel, topic: meta.topic, seq: meta.seq, ts: meta.ts, data: payload });
      if (connection.send(frame)) sent++;
    }
    if (sent > 0) this.eventsSent?.inc({ channel }, sent);
  }

  private heartbeat(): void {
    const now = this.clock.now();
    for (const connection of [...this.connections]) connection.heartbeat(now);
  }
}
