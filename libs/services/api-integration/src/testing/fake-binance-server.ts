import { createHmac, timingSafeEqual } from 'node:crypto';
import type { WebSocket } from 'ws';
import type { FakeHttpServer, FakeRecordedRequest, FakeResponse } from './fake-http-server';
import { FakeVenueServer } from './fake-venue-server';

/** A spot market the fake lists in exchangeInfo, e.g. `{ base: 'BTC', quote: 'USDT', lastPrice: 60000 }`. */
export interface FakeBinanceMarket {
  base: string;
  quote: string;
  /** Price market orders fill at and the ticker reports. */
  lastPrice: number;
}

/** One candle: open time (ms) and OHLCV; close time, quote volume and trade count are derived. */
export interface FakeBinanceKline {
  openTime: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  trades?: number;
}

export interface FakeBinanceTrade {
  /** Binance market id, e.g. `BTCUSDT`. */
  symbol: string;
  id: number;
  price: number;
  quantity: number;
  time: number;
  /** True when the buyer was the maker (the aggressor sold). */
  buyerIsMaker: boolean;
}

export interface FakeBinanceServerOptions {
  apiKey?: string;
  secret?: string;
  markets?: FakeBinanceMarket[];
  /** Starting balances, free amounts by asset. */
  balances?: Record<string, number>;
  /** Whether WebSocket pings are answered; false simulates a peer that went silent. */
  autoPong?: boolean;
}

/** A subscription request a WebSocket client sent, with the index of its connection. */
export interface FakeBinanceWsRequest {
  connection: number;
  method: string;
  params: string[];
  id: number | string | null;
}

interface FakeOrder {
  symbol: string;
  orderId: number;
  clientOrderId: string;
  price: number;
  stopPrice: number;
  origQty: number;
  executedQty: number;
  cummulativeQuoteQty: number;
  status: 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';
  timeInForce: string;
  type: string;
  side: 'BUY' | 'SELL';
  time: number;
  updateTime: number;
}

interface StreamConnection {
  index: number;
  streams: Set<string>;
}

const KLINE_INTERVAL_MS: Readonly<Record<string, number>> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
};

const DEFAULT_RECV_WINDOW_MS = 5_000;

const fixed = (value: number): string => value.toFixed(8);

function binanceError(status: number, code: number, msg: string): FakeResponse {
  return { status, body: { code, msg } };
}

/**
 * Binance spot on loopback, speaking enough of the real protocols for ccxt: REST `/api/v3/ping|time|exchangeInfo|
 * klines|ticker/24hr`, and the signed `/api/v3/account` and `/api/v3/order` (POST/GET/DELETE) with the X-MBX-APIKEY
 * header, HMAC-SHA256 `signature` over query string + body, and the recvWindow timestamp check — answering Binance's
 * own error codes (-2015 bad key, -1022 bad signature, -1021 stale timestamp, -2010 insufficient balance, -2013 /
 * -2011 unknown order). Orders match against each market's `lastPrice`. The WebSocket side accepts
 * `{"method":"SUBSCRIBE","params":["btcusdt@trade"],"id":1}` on any path and pushes `trade` / `24hrTicker` events.
 */
export class FakeBinanceServer extends FakeVenueServer {
  readonly apiKey: string;
  readonly secret: string;
  /** SUBSCRIBE/UNSUBSCRIBE requests received over WebSocket, in order. */
  readonly wsRequests: FakeBinanceWsRequest[] = [];
  private readonly markets = new Map<string, FakeBinanceMarket>();
  private readonly klines = new Map<string, FakeBinanceKline[]>();
  private readonly balances = new Map<string, { free: number; locked: number }>();
  private readonly orders = new Map<number, FakeOrder>();
  private readonly streams = new Map<WebSocket, StreamConnection>();
  private nextOrderId = 1_000;
  private nextTradeId = 5_000;
  private connectionCount = 0;

  private constructor(server: FakeHttpServer, options: FakeBinanceServerOptions) {
    super(server);
    this.apiKey = options.apiKey ?? 'fake-binance-api-key';
    this.secret = options.secret ?? 'fake-binance-secret';
    const markets = options.markets ?? [
      { base: 'BTC', quote: 'USDT', lastPrice: 60_000 },
      { base: 'ETH', quote: 'USDT', lastPrice: 3_000 },
    ];
    for (const market of markets) this.markets.set(`${market.base}${market.quote}`, { ...market });
    for (const [asset, free] of Object.entries(options.balances ?? { USDT: 100_000, BTC: 1 })) {
      this.balances.set(asset, { free, locked: 0 });
    }
  }

  static async start(options: FakeBinanceServerOptions = {}): Promise<FakeBinanceServer> {
    return FakeVenueServer.listen((server) => new FakeBinanceServer(server, options), {
      autoPong: options.autoPong ?? true,
    });
  }

  /** WebSocket connections accepted so far. */
  get wsConnections(): number {
    return this.connectionCount;
  }

  /** Candles served by `/api/v3/klines` for `symbol` (`BTCUSDT`) at `interval` (`1m`, `1h`…); kept sorted. */
  setKlines(symbol: string, interval: string, rows: readonly FakeBinanceKline[]): void {
    this.klines.set(
      `${symbol}@${interval}`,
      [...rows].sort((a, b) => a.openTime - b.openTime),
    );
  }

  setLastPrice(symbol: string, price: number): void {
    const market = this.markets.get(symbol);
    if (market) market.lastPrice = price;
  }

  balance(asset: string): { free: number; locked: number } {
    return { ...(this.balances.get(asset) ?? { free: 0, locked: 0 }) };
  }

  /** SUBSCRIBE requests naming `stream` (`btcusdt@trade`), across connections. */
  subscriptionsOf(stream: string): FakeBinanceWsRequest[] {
    return this.wsRequests.filter((request) => request.method === 'SUBSCRIBE' && request.params.includes(stream));
  }

  /** Pushes a trade event to connections subscribed to `<symbol>@trade`; returns how many got it. */
  publishTrade(trade: FakeBinanceTrade): number {
    const now = Date.now();
    return this.publish(`${trade.symbol.toLowerCase()}@trade`, {
      e: 'trade',
      E: now,
      s: trade.symbol,
      t: trade.id,
      p: fixed(trade.price),
      q: fixed(trade.quantity),
      T: trade.time,
      m: trade.buyerIsMaker,
      M: true,
    });
  }

  /** Pushes a 24h ticker event for `symbol` with the given best bid/ask to `<symbol>@ticker` subscribers. */
  publishTicker(
    symbol: string,
    ticker: { last: number; bid: number; bidQty: number; ask: number; askQty: number; time: number },
  ): number {
    return this.publish(`${symbol.toLowerCase()}@ticker`, {
      e: '24hrTicker',
      E: ticker.time,
      s: symbol,
      p: '0.00000000',
      P: '0.000',
      w: fixed(ticker.last),
      x: fixed(ticker.last),
      c: fixed(ticker.last),
      Q: '0.01000000',
      b: fixed(ticker.bid),
      B: fixed(ticker.bidQty),
      a: fixed(ticker.ask),
      A: fixed(ticker.askQty),
      o: fixed(ticker.last),
      h: fixed(ticker.last),
      l: fixed(ticker.last),
      v: '1000.00000000',
      q: fixed(1_000 * ticker.last),
      O: ticker.time - 86_400_000,
      C: ticker.time,
      F: 0,
      L: 999,
      n: 1000,
    });
  }

  /** Sends text as-is to every connection. */
  sendRaw(text: string): void {
    for (const socket of this.streams.keys()) socket.send(text);
  }

  private publish(stream: string, payload: object): number {
    let delivered = 0;
    for (const [socket, connection] of this.streams) {
      if (connection.streams.has(stream)) {
        socket.send(JSON.stringify(payload));
        delivered++;
      }
    }
    return delivered;
  }

  protected accept(socket: WebSocket): void {
    const connection: StreamConnection = { index: this.connectionCount++, streams: new Set() };
    this.streams.set(socket, connection);
    socket.on('close', () => this.streams.delete(socket));
    socket.on('message', (data) => {
      let request: { method?: unknown; params?: unknown; id?: unknown };
      try {
        request = JSON.parse(data.toString()) as typeof request;
      } catch {
        socket.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON' }, id: null }));
        return;
      }
      const method = typeof request.method === 'string' ? request.method : '';
      const params = Array.isArray(request.params)
        ? request.params.filter((p): p is string => typeof p === 'string')
        : [];
      const id = typeof request.id === 'number' || typeof request.id === 'string' ? request.id : null;
      this.wsRequests.push({ connection: connection.index, method, params, id });
      if (method === 'SUBSCRIBE') {
        for (const stream of params) connection.streams.add(stream);
        socket.send(JSON.stringify({ result: null, id }));
      } else if (method === 'UNSUBSCRIBE') {
        for (const stream of params) connection.streams.delete(stream);
        socket.send(JSON.stringify({ result: null, id }));
      } else if (method === 'LIST_SUBSCRIPTIONS') {
        socket.send(JSON.stringify({ result: [...connection.streams], id }));
      } else {
        socket.send(JSON.stringify({ error: { code: 2, msg: `Invalid request: unknown method ${method}` }, id }));
      }
    });
  }

  protected handle(request: FakeRecordedRequest): FakeResponse {
    const route = `${request.method} ${request.path}`;
    switch (route) {
      case 'GET /api/v3/ping':
        return { status: 200, body: {} };
      case 'GET /api/v3/time':
        return { status: 200, body: { serverTime: Date.now() } };
      case 'GET /api/v3/exchangeInfo':
        return { status: 200, body: this.exchangeInfo() };
      case 'GET /api/v3/klines':
        return this.klinesFor(request.query);
      case 'GET /api/v3/ticker/24hr':
        return this.ticker24hr(request.query['symbol']);
      case 'GET /api/v3/account':
      case 'POST /api/v3/order':
      case 'GET /api/v3/order':
      case 'DELETE /api/v3/order':
        return this.signed(request, route);
      default:
        return binanceError(404, -1000, `Unknown endpoint ${route}`);
    }
  }

  private exchangeInfo(): object {
    return {
      timezone: 'UTC',
      serverTime: Date.now(),
      rateLimits: [
        { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
        { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      ],
      exchangeFilters: [],
      symbols: [...this.markets.entries()].map(([symbol, market]) => ({
        symbol,
        status: 'TRADING',
        baseAsset: market.base,
        baseAssetPrecision: 8,
        quoteAsset: market.quote,
        quotePrecision: 8,
        quoteAssetPrecision: 8,
        baseCommissionPrecision: 8,
        quoteCommissionPrecision: 8,
        orderTypes: [
          'LIMIT',
          'LIMIT_MAKER',
          'MARKET',
          'STOP_LOSS',
          'STOP_LOSS_LIMIT',
          'TAKE_PROFIT',
          'TAKE_PROFIT_LIMIT',
        ],
        icebergAllowed: true,
        ocoAllowed: true,
        otoAllowed: true,
        quoteOrderQtyMarketAllowed: true,
        allowTrailingStop: true,
        cancelReplaceAllowed: true,
        isSpotTradingAllowed: true,
        isMarginTradingAllowed: false,
        filters: [
          { filterType: 'PRICE_FILTER', minPrice: '0.01000000', maxPrice: '1000000.00000000', tickSize: '0.01000000' },
          { filterType: 'LOT_SIZE', minQty: '0.00001000', maxQty: '9000.00000000', stepSize: '0.00001000' },
          {
            filterType: 'NOTIONAL',
            minNotional: '5.00000000',
            applyMinToMarket: true,
            maxNotional: '9000000.00000000',
            applyMaxToMarket: false,
            avgPriceMins: 5,
          },
        ],
        permissions: [],
        permissionSets: [['SPOT']],
        defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
        allowedSelfTradePreventionModes: ['EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'],
      })),
    };
  }

  private klinesFor(query: Record<string, string>): FakeResponse {
    const symbol = query['symbol'];
    const interval = query['interval'];
    if (symbol === undefined || !this.markets.has(symbol)) return binanceError(400, -1121, 'Invalid symbol.');
    const intervalMs = interval === undefined ? undefined : KLINE_INTERVAL_MS[interval];
    if (intervalMs === undefined) return binanceError(400, -1120, 'Invalid interval.');
    const limit = query['limit'] === undefined ? 500 : Number(query['limit']);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) {
      return binanceError(400, -1100, "Illegal characters found in parameter 'limit'; legal range is '1..1000'.");
    }
    const start = query['startTime'] === undefined ? Number.NEGATIVE_INFINITY : Number(query['startTime']);
    const end = query['endTime'] === undefined ? Number.POSITIVE_INFINITY : Number(query['endTime']);
    const rows = (this.klines.get(`${symbol}@${interval}`) ?? [])
      .filter((row) => row.openTime >= start && row.openTime <= end)
      .slice(0, limit)
      .map((row) => [
        row.openTime,
        fixed(row.open),
        fixed(row.high),
        fixed(row.low),
        fixed(row.close),
        fixed(row.volume),
        row.openTime + intervalMs - 1,
        fixed(row.volume * row.close),
        row.trades ?? 0,
        fixed(row.volume / 2),
        fixed((row.volume / 2) * row.close),
        '0',
      ]);
    return { status: 200, body: rows };
  }

  private ticker24hr(symbol: string | undefined): FakeResponse {
    const market = symbol === undefined ? undefined : this.markets.get(symbol);
    if (symbol === undefined || market === undefined) return binanceError(400, -1121, 'Invalid symbol.');
    const now = Date.now();
    const last = market.lastPrice;
    return {
      status: 200,
      body: {
        symbol,
        priceChange: '0.00000000',
        priceChangePercent: '0.000',
        weightedAvgPrice: fixed(last),
        prevClosePrice: fixed(last),
        lastPrice: fixed(last),
        lastQty: '0.01000000',
        bidPrice: fixed(last - 0.01),
        bidQty: '1.00000000',
        askPrice: fixed(last + 0.01),
        askQty: '1.00000000',
        openPrice: fixed(last),
        highPrice: fixed(last),
        lowPrice: fixed(last),
        volume: '1000.00000000',
        quoteVolume: fixed(1_000 * last),
        openTime: now - 86_400_000,
        closeTime: now,
        firstId: 0,
        lastId: 999,
        count: 1000,
      },
    };
  }

  /** Key, signature and timestamp checks in Binance's order, then the endpoint. */
  private signed(request: FakeRecordedRequest, route: string): FakeResponse {
    const key = request.headers['x-mbx-apikey'];
    if (key === undefined || key === '') return binanceError(401, -2014, 'API-key format invalid.');
    if (key !== this.apiKey) return binanceError(401, -2015, 'Invalid API-key, IP, or permissions for action.');
    // totalParams is the query string followed directly by the body; the signature is its last parameter.
    const total = `${request.rawQuery}${request.body}`;
    const at = total.lastIndexOf('signature=');
    if (at < 0)
      return binanceError(400, -1102, "Mandatory parameter 'signature' was not sent, was empty/null, or malformed.");
    const signed = total.slice(0, at).replace(/&$/, '');
    const given = total
      .slice(at + 'signature='.length)
      .split('&')[0]
      .toLowerCase();
    const expected = createHmac('sha256', this.secret).update(signed).digest('hex');
    if (given.length !== expected.length || !timingSafeEqual(Buffer.from(given), Buffer.from(expected))) {
      return binanceError(400, -1022, 'Signature for this request is not valid.');
    }
    const params = Object.fromEntries(new URLSearchParams(signed).entries());
    const timestamp = Number(params['timestamp']);
    const recvWindow = params['recvWindow'] === undefined ? DEFAULT_RECV_WINDOW_MS : Number(params['recvWindow']);
    const now = Date.now();
    if (!Number.isFinite(timestamp) || timestamp > now + 1_000 || now - timestamp > recvWindow) {
      return binanceError(400, -1021, 'Timestamp for this request is outside of the recvWindow.');
    }
    switch (route) {
      case 'GET /api/v3/account':
        return { status: 200, body: this.account() };
      case 'POST /api/v3/order':
        return this.newOrder(params);
      case 'GET /api/v3/order':
        return this.queryOrder(params);
      default:
        return this.cancelOrder(params);
    }
  }

  private account(): object {
    return {
      makerCommission: 10,
      takerCommission: 10,
      buyerCommission: 0,
      sellerCommission: 0,
      commissionRates: { maker: '0.00100000', taker: '0.00100000', buyer: '0.00000000', seller: '0.00000000' },
      canTrade: true,
      canWithdraw: true,
      canDeposit: true,
      brokered: false,
      requireSelfTradePrevention: false,
      preventSor: false,
      updateTime: Date.now(),
      accountType: 'SPOT',
      balances: [...this.balances.entries()].map(([asset, balance]) => ({
        asset,
        free: fixed(balance.free),
        locked: fixed(balance.locked),
      })),
      permissions: ['SPOT'],
      uid: 354_937_868,
    };
  }

  private newOrder(params: Record<string, string>): FakeResponse {
    const market = this.markets.get(params['symbol'] ?? '');
    if (market === undefined) return binanceError(400, -1121, 'Invalid symbol.');
    const side = params['side'];
    const type = params['type'] ?? '';
    const quantity = Number(params['quantity']);
    if (side !== 'BUY' && side !== 'SELL') return binanceError(400, -1102, "Mandatory parameter 'side' was not sent.");
    if (!(quantity > 0)) return binanceError(400, -1102, "Mandatory parameter 'quantity' was not sent.");
    const needsPrice = type === 'LIMIT' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT_LIMIT';
    const needsStop =
      type === 'STOP_LOSS' || type === 'STOP_LOSS_LIMIT' || type === 'TAKE_PROFIT' || type === 'TAKE_PROFIT_LIMIT';
    const price = Number(params['price'] ?? 0);
    const stopPrice = Number(params['stopPrice'] ?? 0);
    if (
      !['MARKET', 'LIMIT', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT', 'LIMIT_MAKER'].includes(
        type,
      )
    ) {
      return binanceError(400, -1116, 'Invalid orderType.');
    }
    if (needsPrice && !(price > 0)) return binanceError(400, -1102, "Mandatory parameter 'price' was not sent.");
    if (needsStop && !(stopPrice > 0)) return binanceError(400, -1102, "Mandatory parameter 'stopPrice' was not sent.");

    const now = Date.now();
    const marketable =
      type === 'MARKET' ||
      (type === 'LIMIT' && (side === 'BUY' ? price >= market.lastPrice : price <= market.lastPrice));
    const fillPrice = type === 'MARKET' ? market.lastPrice : price;
    const [payAsset, payAmount] =
      side === 'BUY' ? [market.quote, quantity * (marketable ? fillPrice : price)] : [market.base, quantity];
    const balance = this.balances.get(payAsset) ?? { free: 0, locked: 0 };
    if (balance.free < payAmount - 1e-12) {
      return binanceError(400, -2010, 'Account has insufficient balance for requested action.');
    }
    const timeInForce =
      type === 'MARKET' || type === 'STOP_LOSS' || type === 'TAKE_PROFIT' ? 'GTC' : (params['timeInForce'] ?? 'GTC');
    const order: FakeOrder = {
      symbol: params['symbol'] as string,
      orderId: this.nextOrderId++,
      clientOrderId: params['newClientOrderId'] ?? `fake${this.nextOrderId}`,
      price: type === 'MARKET' ? 0 : price,
      stopPrice,
      origQty: quantity,
      executedQty: 0,
      cummulativeQuoteQty: 0,
      status: 'NEW',
      timeInForce,
      type,
      side,
      time: now,
      updateTime: now,
    };
    const fills: object[] = [];
    if (marketable) {
      order.status = 'FILLED';
      order.executedQty = quantity;
      order.cummulativeQuoteQty = quantity * fillPrice;
      this.settle(market, side, quantity, fillPrice);
      fills.push({
        price: fixed(fillPrice),
        qty: fixed(quantity),
        commission: '0.00000000',
        commissionAsset: market.quote,
        tradeId: this.nextTradeId++,
      });
    } else if (timeInForce === 'IOC' || timeInForce === 'FOK') {
      order.status = 'EXPIRED';
    } else {
      balance.free -= payAmount;
      balance.locked += payAmount;
      this.balances.set(payAsset, balance);
    }
    this.orders.set(order.orderId, order);
    return {
      status: 200,
      body: {
        ...this.orderView(order),
        transactTime: now,
        workingTime: now,
        origQuoteOrderQty: '0.00000000',
        fills,
        selfTradePreventionMode: 'EXPIRE_MAKER',
      },
    };
  }

  private settle(market: FakeBinanceMarket, side: 'BUY' | 'SELL', quantity: number, price: number): void {
    const base = this.balances.get(market.base) ?? { free: 0, locked: 0 };
    const quote = this.balances.get(market.quote) ?? { free: 0, locked: 0 };
    const sign = side === 'BUY' ? 1 : -1;
    base.free += sign * quantity;
    quote.free -= sign * quantity * price;
    this.balances.set(market.base, base);
    this.balances.set(market.quote, quote);
  }

  private findOrder(params: Record<string, string>): FakeOrder | undefined {
    const byId = params['orderId'] === undefined ? undefined : this.orders.get(Number(params['orderId']));
    const clientId = params['origClientOrderId'];
    const order = byId ?? [...this.orders.values()].find((o) => clientId !== undefined && o.clientOrderId === clientId);
    return order !== undefined && order.symbol === params['symbol'] ? order : undefined;
  }

  private queryOrder(params: Record<string, string>): FakeResponse {
    const order = this.findOrder(params);
    if (order === undefined) return binanceError(400, -2013, 'Order does not exist.');
    return {
      status: 200,
      body: {
        ...this.orderView(order),
        icebergQty: '0.00000000',
        time: order.time,
        updateTime: order.updateTime,
        isWorking: true,
        workingTime: order.time,
        origQuoteOrderQty: '0.00000000',
        selfTradePreventionMode: 'EXPIRE_MAKER',
      },
    };
  }

  private cancelOrder(params: Record<string, string>): FakeResponse {
    const order = this.findOrder(params);
    if (order === undefined || (order.status !== 'NEW' && order.status !== 'PARTIALLY_FILLED')) {
      return binanceError(400, -2011, 'Unknown order sent.');
    }
    order.status = 'CANCELED';
    order.updateTime = Date.now();
    const market = this.markets.get(order.symbol) as FakeBinanceMarket;
    const [asset, amount] =
      order.side === 'BUY' ? [market.quote, order.origQty * order.price] : [market.base, order.origQty];
    const balance = this.balances.get(asset) ?? { free: 0, locked: 0 };
    balance.locked -= amount;
    balance.free += amount;
    this.balances.set(asset, balance);
    return {
      status: 200,
      body: {
        symbol: order.symbol,
        origClientOrderId: order.clientOrderId,
        ...this.orderView(order),
        transactTime: order.updateTime,
        selfTradePreventionMode: 'EXPIRE_MAKER',
      },
    };
  }

  private orderView(order: FakeOrder): object {
    return {
      symbol: order.symbol,
      orderId: order.orderId,
      orderListId: -1,
      clientOrderId: order.clientOrderId,
      price: fixed(order.price),
      origQty: fixed(order.origQty),
      executedQty: fixed(order.executedQty),
      cummulativeQuoteQty: fixed(order.cummulativeQuoteQty),
      status: order.status,
      timeInForce: order.timeInForce,
      type: order.type,
      side: order.side,
      ...(order.stopPrice > 0 ? { stopPrice: fixed(order.stopPrice) } : {}),
    };
  }
}
