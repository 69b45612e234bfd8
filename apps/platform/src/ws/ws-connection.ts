import {
  assertValidOrderRequest,
  isRrrError,
  RrrError,
  TokenBucket,
  ValidationError,
  type Clock,
  type RrrLogger,
} from '@rrr/core';
import type { RawData, WebSocket } from 'ws';
import { scopeAllows } from '../security/api-key-scope';
import type { ApiKeyPrincipal, ApiKeyStore } from '../security/api-key-store';
import { ForbiddenError, UnauthorizedError } from '../security/auth-errors';
import type { PlaceOrder } from './place-order';
import { WS_CHANNELS, type WsChannel } from './ws-channels';
import type { WsGatewayOptions } from './ws-gateway-options';
import {
  parseClientFrame,
  type WsClientFrame,
  type WsFrameId,
  type WsSubscribeFrame,
  type WsUnsubscribeFrame,
} from './ws-protocol';

/** A serialised server frame, sized once and sent to many clients. */
export interface WsOutboundFrame {
  text: string;
  bytes: number;
}

export function outboundFrame(message: object): WsOutboundFrame {
  const text = JSON.stringify(message);
  return { text, bytes: Buffer.byteLength(text) };
}

/** Close codes the gateway uses (RFC 6455 and the 4000-4999 private range). */
export const WS_CLOSE = {
  goingAway: 1001,
  unsupportedData: 1003,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  tryAgainLater: 1013,
  missedHeartbeats: 4000,
} as const;

/** What a connection needs from its gateway. */
export interface WsConnectionHub {
  readonly options: WsGatewayOptions;
  readonly apiKeys: ApiKeyStore;
  readonly placeOrder: PlaceOrder;
  readonly requireAuthForReads: boolean;
  readonly clock: Clock;
  readonly logger: RrrLogger;
  /** The connection's channel set changed: re-index it for fan-out. */
  channelsChanged(connection: WsConnection): void;
  /** The connection is closing or closed: stop sending to it. */
  detach(connection: WsConnection, code: number): void;
  /** The order rate limit shared by every connection of `keyId`. */
  orderBucket(keyId: string): TokenBucket;
}

type SymbolFilter = Set<string> | 'all';

// A close reason travels in a control frame and may hold at most 123 bytes of UTF-8.
function closeReason(reason: string): string {
  let text = reason;
  while (Buffer.byteLength(text) > 123) text = text.slice(0, -1);
  return text;
}

function rawSize(data: RawData): number {
  if (Array.isArray(data)) return data.reduce((sum, chunk) => sum + chunk.length, 0);
  return data instanceof ArrayBuffer ? data.byteLength : data.length;
}

function rawText(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data as ArrayBuffer).toString('utf8');
}

/** One client: its subscriptions, key, heartbeat and error counters, and the bounded sending to its socket. */
export class WsConnection {
  private readonly subscriptions = new Map<WsChannel, SymbolFilter>();
  private readonly inbound: TokenBucket;
  private open = true;
  private missedHeartbeats = 0;
  private consecutiveErrors = 0;
  private authFailures = 0;

  constructor(
    readonly socket: WebSocket,
    private principal: ApiKeyPrincipal | null,
    private readonly hub: WsConnectionHub,
  ) {
    this.inbound = new TokenBucket({ ...hub.options.inboundFrames, name: 'websocket frames', clock: hub.clock });
    socket.on('message', (data, isBinary) => {
      try {
        this.onMessage(data, isBinary);
      } catch (error) {
        hub.logger.error({ err: error }, 'websocket frame handling failed');
        this.close(WS_CLOSE.internalError, 'internal error');
      }
    });
    socket.on('close', (code) => {
      this.open = false;
      hub.detach(this, code);
    });
  }

  get isOpen(): boolean {
    return this.open;
  }

  get keyId(): string | undefined {
    return this.principal?.keyId;
  }

  /** Greets the client with the protocol's parameters. */
  welcome(): void {
    const { heartbeatIntervalMs, maxMissedHeartbeats, maxPayloadBytes } = this.hub.options;
    this.sendJson({
      op: 'welcome',
      channels: WS_CHANNELS,
      heartbeatIntervalMs,
      maxMissedHeartbeats,
      maxPayloadBytes,
      authenticated: this.principal && { keyId: this.principal.keyId, scope: this.principal.scope },
    });
  }

  subscribes(channel: WsChannel): boolean {
    return this.subscriptions.has(channel);
  }

  /** Whether an event of `channel` about `symbol` goes to this client; events without a symbol go to every subscriber. */
  wants(channel: WsChannel, symbol: string | undefined): boolean {
    const filter = this.subscriptions.get(channel);
    if (filter === undefined) return false;
    return filter === 'all' || symbol === undefined || filter.has(symbol);
  }

  /**
   * Sends without ever waiting: when the socket's unsent bytes plus this frame would exceed maxBufferedBytes, the client
   * is dropped (1013) instead — a slow reader costs itself its connection, never the publisher its time.
   */
  send(frame: WsOutboundFrame): boolean {
    if (!this.open) return false;
    const buffered = this.socket.bufferedAmount;
    if (buffered + frame.bytes > this.hub.options.maxBufferedBytes) {
      this.close(
        WS_CLOSE.tryAgainLater,
        `client too slow: ${buffered} bytes unsent, limit ${this.hub.options.maxBufferedBytes}; reconnect and resync`,
      );
      return false;
    }
    this.socket.send(frame.text);
    return true;
  }

  /** One heartbeat tick: close after maxMissedHeartbeats silent ticks, else ping. */
  heartbeat(now: number): void {
    const { maxMissedHeartbeats, heartbeatIntervalMs } = this.hub.options;
    if (this.missedHeartbeats >= maxMissedHeartbeats) {
      this.close(
        WS_CLOSE.missedHeartbeats,
        `missed ${this.missedHeartbeats} heartbeats (${heartbeatIntervalMs} ms apart): answer {"op":"ping"} with {"op":"pong"}`,
      );
      return;
    }
    this.missedHeartbeats++;
    this.sendJson({ op: 'ping', ts: now });
  }

  /** Stops sending, tells the hub, and starts the close handshake with a code and reason. */
  close(code: number, reason: string): void {
    if (!this.open) return;
    this.open = false;
    this.hub.detach(this, code);
    this.socket.close(code, closeReason(reason));
  }

  private sendJson(message: object): void {
    this.send(outboundFrame(message));
  }

  private sendError(error: RrrError, id: WsFrameId | undefined): void {
    this.sendJson({ op: 'error', ...(id === undefined ? {} : { id }), ...error.toJSON() });
  }

  private onMessage(data: RawData, isBinary: boolean): void {
    // Any frame is a sign of life, whatever it holds.
    this.missedHeartbeats = 0;
    if (!this.open) return;
    const size = rawSize(data);
    const { maxPayloadBytes } = this.hub.options;
    if (size > maxPayloadBytes) {
      this.close(WS_CLOSE.messageTooBig, `frame of ${size} bytes exceeds the ${maxPayloadBytes}-byte limit`);
      return;
    }
    if (isBinary) {
      this.close(WS_CLOSE.unsupportedData, 'binary frames are not supported: send JSON text frames');
      return;
    }
    if (!this.inbound.tryTake()) {
      this.invalidFrame(
        new RrrError('RATE_LIMITED', 'too many frames: slow down', {
          details: { retryAfterMs: this.inbound.msUntilAvailable() },
        }),
        undefined,
      );
      return;
    }
    const parsed = parseClientFrame(rawText(data));
    if (!parsed.ok) {
      this.invalidFrame(parsed.error, parsed.id);
      return;
    }
    this.consecutiveErrors = 0;
    this.handle(parsed.frame);
  }

  private invalidFrame(error: RrrError, id: WsFrameId | undefined): void {
    this.sendError(error, id);
    this.consecutiveErrors++;
    if (this.consecutiveErrors >= this.hub.options.maxConsecutiveErrors) {
      this.close(WS_CLOSE.policyViolation, `${this.consecutiveErrors} invalid frames in a row`);
    }
  }

  private handle(frame: WsClientFrame): void {
    switch (frame.op) {
      case 'ping':
        this.sendJson({ op: 'pong', ...(frame.id === undefined ? {} : { id: frame.id }), ts: this.hub.clock.now() });
        return;
      case 'pong':
        return;
      case 'subscribe':
        this.subscribe(frame);
        return;
      case 'unsubscribe':
        this.unsubscribe(frame);
        return;
      case 'auth':
        void this.authenticate(frame.key, frame.id);
        return;
      case 'order':
        void this.order(frame.request, frame.id);
        return;
    }
  }

  private describeSubscriptions(): Record<string, '*' | string[]> {
    const out: Record<string, '*' | string[]> = {};
    for (const [channel, filter] of this.subscriptions) out[channel] = filter === 'all' ? '*' : [...filter].sort();
    return out;
  }

  private subscribe(frame: WsSubscribeFrame): void {
    if (this.hub.requireAuthForReads && !this.principal) {
      this.sendError(
        new UnauthorizedError('this server requires an API key for reads: send {"op":"auth","key":"<api key>"} first'),
        frame.id,
      );
      return;
    }
    const next = new Map(this.subscriptions);
    for (const channel of frame.channels) {
      const current = next.get(channel);
      if (!frame.symbols || frame.symbols.length === 0 || current === 'all') {
        next.set(channel, 'all');
      } else {
        next.set(channel, new Set([...(current ?? []), ...frame.symbols]));
      }
    }
    const followed = new Set<string>();
    for (const filter of next.values()) if (filter !== 'all') for (const s of filter) followed.add(s);
    const max = this.hub.options.maxSymbolsPerClient;
    if (followed.size > max) {
      this.sendError(
        new ValidationError('subscribe', [
          {
            field: 'symbols',
            message: `a connection may follow at most ${max} symbols (this would make ${followed.size})`,
          },
        ]),
        frame.id,
      );
      return;
    }
    this.replaceSubscriptions(next);
    this.sendJson({
      op: 'subscribed',
      ...(frame.id === undefined ? {} : { id: frame.id }),
      subscriptions: this.describeSubscriptions(),
    });
  }

  private unsubscribe(frame: WsUnsubscribeFrame): void {
    const next = new Map(this.subscriptions);
    const named = frame.channels !== undefined && frame.channels.length > 0;
    const targets = named ? (frame.channels as WsChannel[]) : [...next.keys()];
    for (const channel of targets) {
      const filter = next.get(channel);
      if (filter === undefined) continue;
      if (!frame.symbols || frame.symbols.length === 0) {
        next.delete(channel);
        continue;
      }
      if (filter === 'all') {
        if (!named) continue;
        this.sendError(
          new ValidationError('unsubscribe', [
            {
              field: 'symbols',
              message: `channel ${channel} follows every symbol; unsubscribe the channel, then subscribe the symbols wanted`,
            },
          ]),
          frame.id,
        );
        return;
      }
      const rest = new Set(filter);
      for (const s of frame.symbols) rest.delete(s);
      if (rest.size === 0) next.delete(channel);
      else next.set(channel, rest);
    }
    this.replaceSubscriptions(next);
    this.sendJson({
      op: 'unsubscribed',
      ...(frame.id === undefined ? {} : { id: frame.id }),
      subscriptions: this.describeSubscriptions(),
    });
  }

  private replaceSubscriptions(next: Map<WsChannel, SymbolFilter>): void {
    this.subscriptions.clear();
    for (const [channel, filter] of next) this.subscriptions.set(channel, filter);
    this.hub.channelsChanged(this);
  }

  private async authenticate(key: string, id: WsFrameId | undefined): Promise<void> {
    try {
      const principal = await this.hub.apiKeys.authenticate(key);
      if (!this.open) return;
      this.principal = principal;
      this.authFailures = 0;
      this.sendJson({
        op: 'authenticated',
        ...(id === undefined ? {} : { id }),
        keyId: principal.keyId,
        scope: principal.scope,
      });
    } catch (error) {
      if (!(error instanceof UnauthorizedError)) {
        this.replyFailure(error, id);
        return;
      }
      this.authFailures++;
      this.sendError(error, id);
      if (this.authFailures >= this.hub.options.maxAuthFailures) {
        this.close(WS_CLOSE.policyViolation, `${this.authFailures} failed authentications`);
      }
    }
  }

  private async order(request: unknown, id: WsFrameId | undefined): Promise<void> {
    try {
      if (!this.principal) {
        throw new UnauthorizedError(
          'placing orders needs an authenticated connection: send {"op":"auth","key":"<api key>"} first',
        );
      }
      let principal: ApiKeyPrincipal;
      try {
        // Re-read: a key revoked since the connection authenticated must not place another order.
        principal = await this.hub.apiKeys.principal(this.principal.keyId);
      } catch (error) {
        if (error instanceof UnauthorizedError) this.principal = null;
        throw error;
      }
      if (!scopeAllows(principal.scope, 'trade')) {
        throw new ForbiddenError(principal.keyId, principal.scope, 'trade', 'placing orders');
      }
      this.hub.orderBucket(principal.keyId).takeOrThrow();
      const valid = assertValidOrderRequest(request);
      const order = await this.hub.placeOrder(valid, { keyId: principal.keyId });
      this.sendJson({ op: 'order.placed', ...(id === undefined ? {} : { id }), order });
    } catch (error) {
      this.replyFailure(error, id);
    }
  }

  private replyFailure(error: unknown, id: WsFrameId | undefined): void {
    if (isRrrError(error)) {
      if (error.httpStatus >= 500) this.hub.logger.error({ err: error }, 'websocket request failed');
      this.sendError(error, id);
      return;
    }
    this.hub.logger.error({ err: error }, 'websocket request failed');
    this.sendError(new RrrError('INTERNAL', 'internal error'), id);
  }
}
