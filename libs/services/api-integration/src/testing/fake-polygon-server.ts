import type { WebSocket } from 'ws';
import type { FakeHttpServer, FakeRecordedRequest, FakeResponse } from './fake-http-server';
import { FakeVenueServer } from './fake-venue-server';

/** A bar as Polygon's REST API returns it. */
export interface FakePolygonAggregate {
  t: number;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  vw?: number;
  n?: number;
}

/** A crypto trade event (XT) without its `ev` tag. c: 1 = sell, 2 = buy aggressor; x: exchange id. */
export interface FakePolygonCryptoTrade {
  pair: string;
  p: number;
  s: number;
  t: number;
  c?: number[];
  i: string;
  x: number;
}

/** A crypto minute aggregate event (XA) without its `ev` tag. s/e: window start/end (ms); z: trade count. */
export interface FakePolygonCryptoAggregate {
  pair: string;
  o: number;
  h: number;
  l: number;
  c: number;
  v: number;
  s: number;
  e: number;
  vw: number;
  z: number;
}

export interface FakePolygonServerOptions {
  /** The key the fake accepts, on REST (`apiKey` query) and WebSocket auth. */
  apiKey?: string;
  /** Most bars per REST page, whatever `limit` asks for; small values force pagination. */
  pageSize?: number;
  /** Whether WebSocket pings are answered. */
  autoPong?: boolean;
}

/** A control message a WebSocket client sent, with the index of its connection (0 = first connection). */
export interface FakePolygonControlMessage {
  connection: number;
  action: string;
  params: string;
}

interface FeedConnection {
  index: number;
  authenticated: boolean;
  channels: Set<string>;
}

const DAY_MS = 86_400_000;

function parseEdge(value: string, end: boolean): number | undefined {
  if (/^\d+$/.test(value)) return Number(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const start = Date.parse(`${value}T00:00:00Z`);
    return end ? start + DAY_MS - 1 : start;
  }
  return undefined;
}

/**
 * Polygon.io on loopback, speaking its real protocols: REST `/v2/aggs/ticker/{ticker}/range/{multiplier}/{timespan}/
 * {from}/{to}` with `apiKey` auth and `next_url` cursor pagination, and the crypto WebSocket feed at `/crypto`
 * (connected → auth → auth_success/auth_failed, subscribe/unsubscribe to `XT.<pair>` / `XA.<pair>` with `*` wildcard,
 * events as JSON arrays). Faults (429, 5xx, resets, malformed bodies) are scripted with `injectFaults`; WebSocket drops
 * with `dropConnections`.
 */
export class FakePolygonServer extends FakeVenueServer {
  readonly apiKey: string;
  /** Every auth/subscribe/unsubscribe message received, in order. */
  readonly controlMessages: FakePolygonControlMessage[] = [];
  private readonly pageSize: number;
  private readonly aggregatesByTicker = new Map<string, FakePolygonAggregate[]>();
  private readonly feed = new Map<WebSocket, FeedConnection>();
  private connectionCount = 0;

  private constructor(server: FakeHttpServer, options: FakePolygonServerOptions) {
    super(server);
    this.apiKey = options.apiKey ?? 'fake-polygon-key';
    this.pageSize = options.pageSize ?? 50_000;
  }

  static async start(options: FakePolygonServerOptions = {}): Promise<FakePolygonServer> {
    return FakeVenueServer.listen((server) => new FakePolygonServer(server, options), { autoPong: options.autoPong });
  }

  /** URL for PolygonCryptoFeed: the feed lives under `/crypto`. */
  override get wsUrl(): string {
    return `${this.server.wsUrl}/crypto`;
  }

  /** WebSocket connections accepted so far. */
  get feedConnections(): number {
    return this.connectionCount;
  }

  /** Replaces the bars the REST API serves for `ticker` (any multiplier/timespan); kept sorted by time. */
  setAggregates(ticker: string, rows: readonly FakePolygonAggregate[]): void {
    this.aggregatesByTicker.set(
      ticker,
      [...rows].sort((a, b) => a.t - b.t),
    );
  }

  /** Subscribe messages naming `channel` (across all connections). */
  subscriptionsOf(channel: string): FakePolygonControlMessage[] {
    return this.controlMessages.filter(
      (message) => message.action === 'subscribe' && message.params.split(',').includes(channel),
    );
  }

  /** Sends a trade to every authenticated connection subscribed to `XT.<pair>` (or `XT.*`); returns how many got it. */
  publishTrade(trade: FakePolygonCryptoTrade): number {
    return this.publish(`XT.${trade.pair}`, 'XT.*', [{ ev: 'XT', ...trade }]);
  }

  publishAggregate(aggregate: FakePolygonCryptoAggregate): number {
    return this.publish(`XA.${aggregate.pair}`, 'XA.*', [{ ev: 'XA', ...aggregate }]);
  }

  /** Sends text as-is to every authenticated connection: malformed-event tests. */
  sendRaw(text: string): void {
    for (const [socket, connection] of this.feed) if (connection.authenticated) socket.send(text);
  }

  private publish(channel: string, wildcard: string, events: object[]): number {
    let delivered = 0;
    for (const [socket, connection] of this.feed) {
      if (connection.authenticated && (connection.channels.has(channel) || connection.channels.has(wildcard))) {
        socket.send(JSON.stringify(events));
        delivered++;
      }
    }
    return delivered;
  }

  protected accept(socket: WebSocket): void {
    const connection: FeedConnection = { index: this.connectionCount++, authenticated: false, channels: new Set() };
    this.feed.set(socket, connection);
    socket.on('close', () => this.feed.delete(socket));
    const status = (status: string, message: string): void =>
      socket.send(JSON.stringify([{ ev: 'status', status, message }]));
    status('connected', 'Connected Successfully');
    socket.on('message', (data) => {
      let message: { action?: unknown; params?: unknown };
      try {
        message = JSON.parse(data.toString()) as { action?: unknown; params?: unknown };
      } catch {
        status('error', 'invalid JSON');
        return;
      }
      const action = typeof message.action === 'string' ? message.action : '';
      const params = typeof message.params === 'string' ? message.params : '';
      this.controlMessages.push({ connection: connection.index, action, params });
      if (action === 'auth') {
        if (params === this.apiKey) {
          connection.authenticated = true;
          status('auth_success', 'authenticated');
        } else {
          status('auth_failed', 'authentication failed');
          socket.close(1008, 'authentication failed');
        }
        return;
      }
      if (!connection.authenticated) {
        status('error', 'not authorized');
        return;
      }
      const channels = params.split(',').filter((channel) => channel !== '');
      if (action === 'subscribe') {
        for (const channel of channels) {
          connection.channels.add(channel);
          status('success', `subscribed to: ${channel}`);
        }
      } else if (action === 'unsubscribe') {
        for (const channel of channels) {
          connection.channels.delete(channel);
          status('success', `unsubscribed to: ${channel}`);
        }
      } else {
        status('error', `unknown action: ${action}`);
      }
    });
  }

  protected handle(request: FakeRecordedRequest): FakeResponse {
    const match =
      /^\/v2\/aggs\/ticker\/([^/]+)\/range\/(\d+)\/(minute|hour|day|week|month|quarter|year)\/([^/]+)\/([^/]+)$/.exec(
        request.path,
      );
    if (request.method !== 'GET' || match === null) {
      return { status: 404, body: { status: 'NOT_FOUND', request_id: 'fake', message: 'Not found' } };
    }
    if (request.query['apiKey'] !== this.apiKey) {
      return { status: 401, body: { status: 'ERROR', request_id: 'fake', error: 'Unknown API Key' } };
    }
    const [, rawTicker, multiplier, timespan, rawFrom, rawTo] = match;
    const ticker = decodeURIComponent(rawTicker);
    const from = parseEdge(rawFrom, false);
    const to = parseEdge(rawTo, true);
    if (from === undefined || to === undefined) {
      return {
        status: 400,
        body: { status: 'ERROR', request_id: 'fake', error: 'Could not parse the time parameter' },
      };
    }
    const requested = Number(request.query['limit'] ?? 5_000);
    const limit = Math.min(Number.isInteger(requested) && requested > 0 ? requested : 5_000, 50_000, this.pageSize);
    const offset =
      request.query['cursor'] === undefined ? 0 : Number(Buffer.from(request.query['cursor'], 'base64url').toString());
    const window = (this.aggregatesByTicker.get(ticker) ?? []).filter((row) => row.t >= from && row.t <= to);
    const results = window.slice(offset, offset + limit);
    const body: Record<string, unknown> = {
      ticker,
      queryCount: results.length,
      resultsCount: results.length,
      adjusted: request.query['adjusted'] !== 'false',
      status: 'OK',
      request_id: `fake-${this.server.requests.length}`,
      count: results.length,
    };
    if (results.length > 0) body['results'] = results;
    if (offset + limit < window.length) {
      // Like Polygon: same path, a cursor, and no apiKey.
      const cursor = Buffer.from(String(offset + limit)).toString('base64url');
      body['next_url'] =
        `${this.restUrl}/v2/aggs/ticker/${rawTicker}/range/${multiplier}/${timespan}/${rawFrom}/${rawTo}?cursor=${cursor}&adjusted=${body['adjusted']}&sort=asc&limit=${requested}`;
    }
    return { status: 200, body };
  }
}
