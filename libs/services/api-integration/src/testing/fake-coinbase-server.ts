import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import { FakeHttpServer, type FakeFault, type FakeRecordedRequest, type FakeResponse } from './fake-http-server';

/** A spot product, e.g. `{ base: 'BTC', quote: 'USD', price: 60000 }` listed as `BTC-USD`. */
export interface FakeCoinbaseProduct {
  base: string;
  quote: string;
  price: number;
}

/** One candle; `start` is the open time in epoch ms (Coinbase sends seconds). */
export interface FakeCoinbaseCandle {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

export interface FakeCoinbaseTrade {
  productId: string;
  tradeId: string;
  price: number;
  size: number;
  /** Epoch ms. */
  time: number;
  side: 'BUY' | 'SELL';
}

export interface FakeCoinbaseServerOptions {
  /** Legacy (HMAC) Advanced Trade key and secret. */
  apiKey?: string;
  secret?: string;
  products?: FakeCoinbaseProduct[];
  /** Available balances by currency. */
  balances?: Record<string, number>;
}

/** A subscribe/unsubscribe message a WebSocket client sent, with the index of its connection. */
export interface FakeCoinbaseWsRequest {
  connection: number;
  type: string;
  channel: string;
  productIds: string[];
}

interface FeedConnection {
  index: number;
  channels: Map<string, Set<string>>;
}

/** Coinbase's largest candle window per request. */
const MAX_CANDLES = 350;

const GRANULARITY_SECONDS: Readonly<Record<string, number>> = {
  ONE_MINUTE: 60,
  FIVE_MINUTE: 300,
  FIFTEEN_MINUTE: 900,
  THIRTY_MINUTE: 1_800,
  ONE_HOUR: 3_600,
  TWO_HOUR: 7_200,
  SIX_HOUR: 21_600,
  ONE_DAY: 86_400,
};

const text = (value: number): string => String(value);

/**
 * Coinbase Advanced Trade on loopback: public REST (`/api/v3/brokerage/market/products`, `…/products/{id}/candles` with
 * start/end in seconds, granularity names, newest-first candles and the 350-candle window limit), the v2 currency
 * endpoints ccxt loads with the markets, and the private `/api/v3/brokerage/accounts` and `transaction_summary` signed
 * the legacy way (CB-ACCESS-KEY / CB-ACCESS-SIGN = hex HMAC-SHA256 of timestamp + method + path + body /
 * CB-ACCESS-TIMESTAMP, checked within 30 s). WebSocket: `{"type":"subscribe","channel":"market_trades"|"ticker",
 * "product_ids":[…]}` on any path, answered on the `subscriptions` channel, with events pushed as Coinbase frames them.
 */
export class FakeCoinbaseServer {
  readonly apiKey: string;
  readonly secret: string;
  readonly wsRequests: FakeCoinbaseWsRequest[] = [];
  private readonly products = new Map<string, FakeCoinbaseProduct>();
  private readonly candles = new Map<string, FakeCoinbaseCandle[]>();
  private readonly balances = new Map<string, number>();
  private readonly feeds = new Map<WebSocket, FeedConnection>();
  private connectionCount = 0;
  private sequence = 0;

  private constructor(
    readonly server: FakeHttpServer,
    options: FakeCoinbaseServerOptions,
  ) {
    this.apiKey = options.apiKey ?? 'fake-coinbase-key';
    this.secret = options.secret ?? 'fake-coinbase-secret';
    for (const product of options.products ?? [
      { base: 'BTC', quote: 'USD', price: 60_000 },
      { base: 'ETH', quote: 'USD', price: 3_000 },
    ]) {
      this.products.set(`${product.base}-${product.quote}`, { ...product });
    }
    for (const [currency, amount] of Object.entries(options.balances ?? { USD: 5_000, BTC: 0.5 })) {
      this.balances.set(currency, amount);
    }
  }

  static async start(options: FakeCoinbaseServerOptions = {}): Promise<FakeCoinbaseServer> {
    // The handler is swapped in once the fake exists; nothing can connect before start() resolves.
    const server = await FakeHttpServer.start(() => ({ status: 503 }), {
      webSocket: true,
    });
    const fake = new FakeCoinbaseServer(server, options);
    server.setHandler((request) => fake.handle(request));
    server.onWebSocket((socket) => fake.accept(socket));
    return fake;
  }

  get restUrl(): string {
    return this.server.url;
  }

  get wsUrl(): string {
    return this.server.wsUrl;
  }

  get host(): string {
    return this.server.host;
  }

  get requests(): FakeRecordedRequest[] {
    return this.server.requests;
  }

  get wsConnections(): number {
    return this.connectionCount;
  }

  injectFaults(faults: readonly FakeFault[], path?: string): void {
    this.server.injectFaults(faults, path);
  }

  requestsTo(path: string): FakeRecordedRequest[] {
    return this.server.requestsTo(path);
  }

  /** Candles served for `productId` (`BTC-USD`) at any granularity; kept sorted. */
  setCandles(productId: string, rows: readonly FakeCoinbaseCandle[]): void {
    this.candles.set(
      productId,
      [...rows].sort((a, b) => a.start - b.start),
    );
  }

  /** Subscribe messages for `channel` naming `productId`. */
  subscriptionsOf(channel: string, productId: string): FakeCoinbaseWsRequest[] {
    return this.wsRequests.filter(
      (request) =>
        request.type === 'subscribe' && request.channel === channel && request.productIds.includes(productId),
    );
  }

  /** Pushes a trade to connections subscribed to `market_trades` for its product; returns how many got it. */
  publishTrade(trade: FakeCoinbaseTrade): number {
    return this.publish('market_trades', trade.productId, {
      type: 'update',
      trades: [
        {
          trade_id: trade.tradeId,
          product_id: trade.productId,
          price: text(trade.price),
          size: text(trade.size),
          side: trade.side,
          time: new Date(trade.time).toISOString(),
        },
      ],
    });
  }

  dropConnections(): void {
    this.server.dropWebSockets();
  }

  async close(): Promise<void> {
    await this.server.close();
  }

  private publish(channel: string, productId: string, event: object): number {
    let delivered = 0;
    for (const [socket, connection] of this.feeds) {
      if (connection.channels.get(channel)?.has(productId)) {
        socket.send(
          JSON.stringify({
            channel,
            client_id: '',
            timestamp: new Date().toISOString(),
            sequence_num: this.sequence++,
            events: [event],
          }),
        );
        delivered++;
      }
    }
    return delivered;
  }

  private accept(socket: WebSocket): void {
    const connection: FeedConnection = { index: this.connectionCount++, channels: new Map() };
    this.feeds.set(socket, connection);
    socket.on('close', () => this.feeds.delete(socket));
    socket.on('message', (data) => {
      let message: { type?: unknown; channel?: unknown; product_ids?: unknown };
      try {
        message = JSON.parse(data.toString()) as typeof message;
      } catch {
        socket.send(JSON.stringify({ type: 'error', message: 'failure to parse JSON' }));
        return;
      }
      const type = typeof message.type === 'string' ? message.type : '';
      const channel = typeof message.channel === 'string' ? message.channel : '';
      const productIds = Array.isArray(message.product_ids)
        ? message.product_ids.filter((id): id is string => typeof id === 'string')
        : [];
      this.wsRequests.push({ connection: connection.index, type, channel, productIds });
      if (type !== 'subscribe' && type !== 'unsubscribe') {
        socket.send(JSON.stringify({ type: 'error', message: `unknown message type ${type}` }));
        return;
      }
      const products = connection.channels.get(channel) ?? new Set<string>();
      for (const id of productIds) {
        if (type === 'subscribe') products.add(id);
        else products.delete(id);
      }
      connection.channels.set(channel, products);
      const subscriptions = Object.fromEntries([...connection.channels].map(([name, ids]) => [name, [...ids]]));
      socket.send(
        JSON.stringify({
          channel: 'subscriptions',
          client_id: '',
          timestamp: new Date().toISOString(),
          sequence_num: this.sequence++,
          events: [{ subscriptions }],
        }),
      );
    });
  }

  private handle(request: FakeRecordedRequest): FakeResponse {
    if (request.method === 'GET' && request.path === '/api/v3/brokerage/market/products') {
      return { status: 200, body: this.productList(request.query['product_type']) };
    }
    const candles = /^\/api\/v3\/brokerage\/market\/products\/([^/]+)\/candles$/.exec(request.path);
    if (request.method === 'GET' && candles !== null)
      return this.candlesFor(decodeURIComponent(candles[1]), request.query);
    if (request.method === 'GET' && request.path === '/v2/currencies') {
      return { status: 200, body: { data: [{ id: 'USD', name: 'US Dollar', min_size: '0.01' }] } };
    }
    if (request.method === 'GET' && request.path === '/v2/currencies/crypto') {
      return {
        status: 200,
        body: {
          data: [...new Set([...this.products.values()].map((p) => p.base))].map((code, i) => ({
            asset_id: `00000000-0000-0000-0000-00000000000${i}`,
            code,
            name: code,
            color: '#000000',
            sort_index: i,
            exponent: 8,
            type: 'crypto',
            address_regex: '^.+$',
          })),
        },
      };
    }
    if (request.method === 'GET' && request.path === '/v2/exchange-rates') {
      const rates = Object.fromEntries([...this.products.values()].map((p) => [p.base, text(1 / p.price)]));
      return { status: 200, body: { data: { currency: 'USD', rates } } };
    }
    if (request.path === '/api/v3/brokerage/accounts' || request.path === '/api/v3/brokerage/transaction_summary') {
      const refusal = this.checkSignature(request);
      if (refusal !== undefined) return refusal;
      return request.path.endsWith('accounts')
        ? { status: 200, body: this.accounts() }
        : { status: 200, body: this.transactionSummary() };
    }
    return { status: 404, body: { error: 'NOT_FOUND', message: `no route ${request.method} ${request.path}` } };
  }

  private productList(productType: string | undefined): object {
    // Spot only: futures listings (product_type=FUTURE) come back empty, as for an account without derivatives.
    const products =
      productType !== undefined && productType !== 'SPOT'
        ? []
        : [...this.products.entries()].map(([id, product]) => ({
            product_id: id,
            price: text(product.price),
            price_percentage_change_24h: '0',
            volume_24h: '1000',
            volume_percentage_change_24h: '0',
            base_increment: '0.00000001',
            quote_increment: '0.01',
            quote_min_size: '1',
            quote_max_size: '150000000',
            base_min_size: '0.00000001',
            base_max_size: '3400',
            base_name: product.base,
            quote_name: product.quote,
            watched: false,
            is_disabled: false,
            new: false,
            status: 'online',
            cancel_only: false,
            limit_only: false,
            post_only: false,
            trading_disabled: false,
            auction_mode: false,
            product_type: 'SPOT',
            quote_currency_id: product.quote,
            base_currency_id: product.base,
            fcm_trading_session_details: null,
            mid_market_price: '',
            alias: '',
            alias_to: [],
            base_display_symbol: product.base,
            quote_display_symbol: product.quote,
            view_only: false,
            price_increment: '0.01',
            display_name: id,
            product_venue: 'CBE',
          }));
    return { products, num_products: products.length };
  }

  private candlesFor(productId: string, query: Record<string, string>): FakeResponse {
    if (!this.products.has(productId)) {
      return {
        status: 404,
        body: { error: 'NOT_FOUND', error_details: 'product not found', message: 'product not found' },
      };
    }
    const granularity = GRANULARITY_SECONDS[query['granularity'] ?? ''];
    const start = Number(query['start']);
    const end = Number(query['end']);
    if (granularity === undefined || !Number.isInteger(start) || !Number.isInteger(end) || end < start) {
      return {
        status: 400,
        body: {
          error: 'INVALID_ARGUMENT',
          error_details: 'start, end and granularity are required',
          message: 'invalid argument',
        },
      };
    }
    if ((end - start) / granularity > MAX_CANDLES) {
      return {
        status: 400,
        body: {
          error: 'INVALID_ARGUMENT',
          error_details: `number of candles requested should be less than ${MAX_CANDLES}`,
          message: `number of candles requested should be less than ${MAX_CANDLES}`,
        },
      };
    }
    const rows = (this.candles.get(productId) ?? [])
      .filter((row) => row.start >= start * 1_000 && row.start <= end * 1_000)
      .reverse()
      .map((row) => ({
        start: String(Math.floor(row.start / 1_000)),
        low: text(row.low),
        high: text(row.high),
        open: text(row.open),
        close: text(row.close),
        volume: text(row.volume),
      }));
    return { status: 200, body: { candles: rows } };
  }

  private checkSignature(request: FakeRecordedRequest): FakeResponse | undefined {
    // Advanced Trade answers a bad key or signature with a bare text body, not JSON.
    const unauthorized: FakeResponse = {
      status: 401,
      headers: { 'content-type': 'text/plain' },
      body: 'Unauthorized\n',
    };
    if (request.headers['cb-access-key'] !== this.apiKey) return unauthorized;
    const timestamp = request.headers['cb-access-timestamp'] ?? '';
    if (!/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1_000 - Number(timestamp)) > 30) return unauthorized;
    // v3 signs the path without its query string.
    const expected = createHmac('sha256', this.secret)
      .update(`${timestamp}${request.method}${request.path}${request.body}`)
      .digest('hex');
    const given = (request.headers['cb-access-sign'] ?? '').toLowerCase();
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected)))
      return unauthorized;
    return undefined;
  }

  private accounts(): object {
    const accounts = [...this.balances.entries()].map(([currency, amount], i) => ({
      uuid: `8bfc20d7-f7c6-4422-bf07-8243ca4169f${i}`,
      name: `${currency} Wallet`,
      currency,
      available_balance: { value: text(amount), currency },
      default: true,
      active: true,
      created_at: '2026-01-01T00:00:00Z',
      updated_at: '2026-01-01T00:00:00Z',
      deleted_at: null,
      type: currency === 'USD' ? 'ACCOUNT_TYPE_FIAT' : 'ACCOUNT_TYPE_CRYPTO',
      ready: true,
      hold: { value: '0', currency },
    }));
    return { accounts, has_next: false, cursor: '', size: accounts.length };
  }

  private transactionSummary(): object {
    return {
      total_volume: 0,
      total_fees: 0,
      fee_tier: {
        pricing_tier: 'Advanced 1',
        usd_from: '0',
        usd_to: '1000',
        taker_fee_rate: '0.006',
        maker_fee_rate: '0.004',
      },
      margin_rate: null,
      goods_and_services_tax: null,
      advanced_trade_only_volume: 0,
      advanced_trade_only_fees: 0,
      coinbase_pro_volume: 0,
      coinbase_pro_fees: 0,
    };
  }
}
