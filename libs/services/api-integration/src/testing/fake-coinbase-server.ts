import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { FakeHttpServer, FakeRecordedRequest, FakeResponse } from './fake-http-server';
import { FakeVenueServer } from './fake-venue-server';

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

/** A ticker event as the `ticker` channel carries it. */
export interface FakeCoinbaseTicker {
  productId: string;
  price: number;
  bestBid: number;
  bestBidQuantity: number;
  bestAsk: number;
  bestAskQuantity: number;
  volume24h: number;
}

/** An order as Advanced Trade reports it; sizes in base units, `filledValue` in quote. */
export interface FakeCoinbaseOrder {
  orderId: string;
  clientOrderId: string;
  productId: string;
  side: 'BUY' | 'SELL';
  /** The request's `order_configuration`, kept verbatim (ccxt reads the size and limit back from it). */
  configuration: Record<string, Record<string, string | boolean>>;
  status: 'OPEN' | 'FILLED' | 'CANCELLED';
  limitPrice?: number;
  /** Base quantity ordered (for a market buy sized in quote: what the quote buys at the fill price). */
  baseSize: number;
  filledSize: number;
  filledValue: number;
  totalFees: number;
  createdTime: number;
}

export interface FakeCoinbaseServerOptions {
  /** Legacy (HMAC) Advanced Trade key and secret. */
  apiKey?: string;
  secret?: string;
  products?: FakeCoinbaseProduct[];
  /** Available balances by currency. */
  balances?: Record<string, number>;
}

/** The fee tier `transaction_summary` reports; fills pay it on their quote value. */
const TAKER_FEE_RATE = 0.006;
const MAKER_FEE_RATE = 0.004;

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
 * start/end in seconds, granularity names, newest-first candles and the 350-candle window limit, `…/ticker`), the v2
 * currency endpoints ccxt loads with the markets, `/v2/time`, and the private `/api/v3/brokerage/accounts` and
 * `transaction_summary` signed the legacy way (CB-ACCESS-KEY / CB-ACCESS-SIGN = hex HMAC-SHA256 of timestamp + method +
 * path + body / CB-ACCESS-TIMESTAMP, checked within 30 s), as are the order endpoints (`POST …/orders` with
 * `market_market_ioc` or `limit_limit_gtc`, `POST …/orders/batch_cancel`, `GET …/orders/historical/{id}`) over a book
 * that fills at each product's price. WebSocket: `{"type":"subscribe","channel":"market_trades"|"ticker",
 * "product_ids":[…]}` on any path, answered on the `subscriptions` channel, with events pushed as Coinbase frames them.
 */
export class FakeCoinbaseServer extends FakeVenueServer {
  readonly apiKey: string;
  readonly secret: string;
  readonly wsRequests: FakeCoinbaseWsRequest[] = [];
  private readonly products = new Map<string, FakeCoinbaseProduct>();
  private readonly candles = new Map<string, FakeCoinbaseCandle[]>();
  private readonly balances = new Map<string, number>();
  private readonly feeds = new Map<WebSocket, FeedConnection>();
  private readonly orders = new Map<string, FakeCoinbaseOrder>();
  private connectionCount = 0;
  private sequence = 0;
  private orderCount = 0;

  private constructor(server: FakeHttpServer, options: FakeCoinbaseServerOptions) {
    super(server);
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
    return FakeVenueServer.listen((server) => new FakeCoinbaseServer(server, options));
  }

  get wsConnections(): number {
    return this.connectionCount;
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

  /** Pushes a ticker update to connections subscribed to `ticker` for its product; returns how many got it. */
  publishTicker(ticker: FakeCoinbaseTicker): number {
    return this.publish('ticker', ticker.productId, {
      type: 'update',
      tickers: [
        {
          type: 'ticker',
          product_id: ticker.productId,
          price: text(ticker.price),
          volume_24_h: text(ticker.volume24h),
          low_24_h: text(ticker.price),
          high_24_h: text(ticker.price),
          low_52_w: text(ticker.price),
          high_52_w: text(ticker.price),
          price_percent_chg_24_h: '0',
          best_bid: text(ticker.bestBid),
          best_bid_quantity: text(ticker.bestBidQuantity),
          best_ask: text(ticker.bestAsk),
          best_ask_quantity: text(ticker.bestAskQuantity),
        },
      ],
    });
  }

  /** Moves a product's price; resting limit orders it crosses fill at their limit (maker). */
  setPrice(productId: string, price: number): void {
    const product = this.products.get(productId);
    if (product === undefined) throw new Error(`no product ${productId}`);
    product.price = price;
    for (const order of this.orders.values()) {
      if (order.productId !== productId || order.status !== 'OPEN' || order.limitPrice === undefined) continue;
      const crossed = order.side === 'BUY' ? price <= order.limitPrice : price >= order.limitPrice;
      if (crossed) this.fill(order, order.limitPrice, MAKER_FEE_RATE);
    }
  }

  balance(currency: string): number {
    return this.balances.get(currency) ?? 0;
  }

  /** The order with this id, as the fake holds it. */
  order(orderId: string): FakeCoinbaseOrder | undefined {
    const order = this.orders.get(orderId);
    return order === undefined ? undefined : { ...order };
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

  protected accept(socket: WebSocket): void {
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

  protected handle(request: FakeRecordedRequest): FakeResponse {
    if (request.method === 'GET' && request.path === '/api/v3/brokerage/market/products') {
      return { status: 200, body: this.productList(request.query['product_type']) };
    }
    const candles = /^\/api\/v3\/brokerage\/market\/products\/([^/]+)\/candles$/.exec(request.path);
    if (request.method === 'GET' && candles !== null)
      return this.candlesFor(decodeURIComponent(candles[1]), request.query);
    const ticker = /^\/api\/v3\/brokerage\/market\/products\/([^/]+)\/ticker$/.exec(request.path);
    if (request.method === 'GET' && ticker !== null) return this.tickerFor(decodeURIComponent(ticker[1]));
    if (request.method === 'GET' && request.path === '/v2/time') {
      const now = Date.now();
      return { status: 200, body: { data: { iso: new Date(now).toISOString(), epoch: Math.floor(now / 1_000) } } };
    }
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
    if (request.path.startsWith('/api/v3/brokerage/orders')) {
      const refusal = this.checkSignature(request);
      if (refusal !== undefined) return refusal;
      return this.orderRoute(request);
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

  /** The public market ticker: the last trade and the touch (no spread: both at the product's price). */
  private tickerFor(productId: string): FakeResponse {
    const product = this.products.get(productId);
    if (product === undefined) {
      return {
        status: 404,
        body: { error: 'NOT_FOUND', error_details: 'product not found', message: 'product not found' },
      };
    }
    const price = text(product.price);
    return {
      status: 200,
      body: {
        trades: [
          {
            trade_id: String(this.sequence),
            product_id: productId,
            price,
            size: '0.001',
            time: new Date().toISOString(),
            side: 'BUY',
            bid: '',
            ask: '',
          },
        ],
        best_bid: price,
        best_ask: price,
      },
    };
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

  private orderRoute(request: FakeRecordedRequest): FakeResponse {
    if (request.method === 'POST' && request.path === '/api/v3/brokerage/orders') return this.createOrder(request.body);
    if (request.method === 'POST' && request.path === '/api/v3/brokerage/orders/batch_cancel') {
      return this.cancelOrders(request.body);
    }
    const historical = /^\/api\/v3\/brokerage\/orders\/historical\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && historical !== null) {
      const order = this.orders.get(decodeURIComponent(historical[1]));
      if (order === undefined) {
        return {
          status: 404,
          body: {
            error: 'NOT_FOUND',
            error_details: 'order with this orderId was not found',
            message: 'order not found',
          },
        };
      }
      return { status: 200, body: { order: this.orderBody(order) } };
    }
    return { status: 404, body: { error: 'NOT_FOUND', message: `no route ${request.method} ${request.path}` } };
  }

  /** Advanced Trade answers a refused order with HTTP 200 and `success: false`, naming the reason. */
  private orderFailure(error: string, message: string, configuration: unknown): FakeResponse {
    return {
      status: 200,
      body: {
        success: false,
        failure_reason: 'UNKNOWN_FAILURE_REASON',
        order_id: '',
        error_response: {
          error,
          message,
          error_details: '',
          preview_failure_reason: 'UNKNOWN_PREVIEW_FAILURE_REASON',
          new_order_failure_reason: error,
        },
        order_configuration: configuration ?? null,
      },
    };
  }

  private createOrder(body: string): FakeResponse {
    let request: {
      client_order_id?: unknown;
      product_id?: unknown;
      side?: unknown;
      order_configuration?: Record<string, Record<string, string | boolean>>;
    };
    try {
      request = JSON.parse(body) as typeof request;
    } catch {
      return { status: 400, body: { error: 'INVALID_ARGUMENT', message: 'request body is not JSON' } };
    }
    const configuration = request.order_configuration;
    const productId = typeof request.product_id === 'string' ? request.product_id : '';
    const product = this.products.get(productId);
    if (product === undefined) return this.orderFailure('INVALID_PRODUCT_ID', 'Invalid product_id', configuration);
    const side = request.side;
    if (side !== 'BUY' && side !== 'SELL') return this.orderFailure('INVALID_SIDE', 'Invalid side', configuration);
    const market = configuration?.['market_market_ioc'];
    const limit = configuration?.['limit_limit_gtc'];
    if (configuration === undefined || (market === undefined) === (limit === undefined)) {
      return this.orderFailure(
        'UNSUPPORTED_ORDER_CONFIGURATION',
        'only market_market_ioc and limit_limit_gtc are supported',
        configuration,
      );
    }
    const config = (market ?? limit) as Record<string, string | boolean>;
    const baseSize = Number(config['base_size']);
    const quoteSize = Number(config['quote_size']);
    const limitPrice = limit === undefined ? undefined : Number(limit['limit_price']);
    // A market buy may be sized in quote (what ccxt sends); everything else in base.
    const base = market !== undefined && config['base_size'] === undefined ? quoteSize / product.price : baseSize;
    if (!(base > 0) || (limitPrice !== undefined && !(limitPrice > 0))) {
      return this.orderFailure('INVALID_SIZE_PRECISION', 'Invalid order size or price', configuration);
    }
    const holdPrice = limitPrice ?? product.price;
    const short =
      side === 'BUY'
        ? this.balance(product.quote) < base * holdPrice * (1 + TAKER_FEE_RATE)
        : this.balance(product.base) < base;
    if (short) return this.orderFailure('INSUFFICIENT_FUND', 'Insufficient balance in source account', configuration);
    const order: FakeCoinbaseOrder = {
      orderId: `11111111-0000-4000-8000-${String(++this.orderCount).padStart(12, '0')}`,
      clientOrderId: typeof request.client_order_id === 'string' ? request.client_order_id : '',
      productId,
      side,
      configuration,
      status: 'OPEN',
      ...(limitPrice === undefined ? {} : { limitPrice }),
      baseSize: base,
      filledSize: 0,
      filledValue: 0,
      totalFees: 0,
      createdTime: Date.now(),
    };
    this.orders.set(order.orderId, order);
    const marketable =
      limitPrice === undefined || (side === 'BUY' ? limitPrice >= product.price : limitPrice <= product.price);
    if (marketable) this.fill(order, product.price, TAKER_FEE_RATE);
    return {
      status: 200,
      body: {
        success: true,
        failure_reason: 'UNKNOWN_FAILURE_REASON',
        order_id: order.orderId,
        success_response: {
          order_id: order.orderId,
          product_id: productId,
          side,
          client_order_id: order.clientOrderId,
        },
        order_configuration: configuration,
      },
    };
  }

  private fill(order: FakeCoinbaseOrder, price: number, feeRate: number): void {
    const product = this.products.get(order.productId) as FakeCoinbaseProduct;
    const value = order.baseSize * price;
    const fee = value * feeRate;
    const sign = order.side === 'BUY' ? 1 : -1;
    this.balances.set(product.base, this.balance(product.base) + sign * order.baseSize);
    this.balances.set(product.quote, this.balance(product.quote) - sign * value - fee);
    order.filledSize = order.baseSize;
    order.filledValue = value;
    order.totalFees = fee;
    order.status = 'FILLED';
  }

  private cancelOrders(body: string): FakeResponse {
    let ids: unknown;
    try {
      ids = (JSON.parse(body) as { order_ids?: unknown }).order_ids;
    } catch {
      return { status: 400, body: { error: 'INVALID_ARGUMENT', message: 'request body is not JSON' } };
    }
    if (!Array.isArray(ids))
      return { status: 400, body: { error: 'INVALID_ARGUMENT', message: 'order_ids is required' } };
    const results = ids.map((id) => {
      const order = typeof id === 'string' ? this.orders.get(id) : undefined;
      if (order === undefined) return { success: false, failure_reason: 'UNKNOWN_CANCEL_ORDER', order_id: id };
      if (order.status !== 'OPEN') return { success: false, failure_reason: 'INVALID_CANCEL_REQUEST', order_id: id };
      order.status = 'CANCELLED';
      return { success: true, failure_reason: 'UNKNOWN_CANCEL_FAILURE_REASON', order_id: id };
    });
    return { status: 200, body: { results } };
  }

  /** `GET …/orders/historical/{id}`'s `order`, in Advanced Trade's field names and string numbers. */
  private orderBody(order: FakeCoinbaseOrder): object {
    const average = order.filledSize > 0 ? order.filledValue / order.filledSize : 0;
    return {
      order_id: order.orderId,
      product_id: order.productId,
      user_id: '2222-000000-000000',
      order_configuration: order.configuration,
      side: order.side,
      client_order_id: order.clientOrderId,
      status: order.status,
      time_in_force:
        order.configuration['market_market_ioc'] === undefined ? 'GOOD_UNTIL_CANCELLED' : 'IMMEDIATE_OR_CANCEL',
      created_time: new Date(order.createdTime).toISOString(),
      completion_percentage: text(
        order.filledSize === order.baseSize ? 100 : (order.filledSize / order.baseSize) * 100,
      ),
      filled_size: text(order.filledSize),
      average_filled_price: text(average),
      fee: '',
      number_of_fills: order.filledSize > 0 ? '1' : '0',
      filled_value: text(order.filledValue),
      pending_cancel: false,
      size_in_quote: order.configuration['market_market_ioc']?.['quote_size'] !== undefined,
      total_fees: text(order.totalFees),
      size_inclusive_of_fees: false,
      total_value_after_fees: text(order.filledValue + (order.side === 'BUY' ? order.totalFees : -order.totalFees)),
      trigger_status: 'INVALID_ORDER_TYPE',
      order_type: order.limitPrice === undefined ? 'MARKET' : 'LIMIT',
      reject_reason: 'REJECT_REASON_UNSPECIFIED',
      settled: order.status !== 'OPEN',
      product_type: 'SPOT',
      reject_message: '',
      cancel_message: '',
      order_placement_source: 'RETAIL_ADVANCED',
      outstanding_hold_amount: '0',
      is_liquidation: false,
      last_fill_time: order.filledSize > 0 ? new Date(order.createdTime).toISOString() : null,
      edit_history: [],
      leverage: '',
      margin_type: 'UNKNOWN_MARGIN_TYPE',
      retail_portfolio_id: '3333-000000-000000',
    };
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
