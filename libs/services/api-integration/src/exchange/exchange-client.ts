import type { Bar, Interval, Order, OrderRequest, Trade } from '@rrr/core';
import type { ExchangeId } from './exchange-credentials';

/** A spot market as the platform names it. */
export interface ExchangeMarket {
  /** Platform symbol, `BTC-USDT`. */
  symbol: string;
  /** ccxt's symbol, `BTC/USDT`. */
  exchangeSymbol: string;
  /** The venue's own id, `BTCUSDT` / `BTC-USD`. */
  id: string;
  base: string;
  quote: string;
  active: boolean;
}

/** A ticker update: last price and top of book as the venue reports them (fields it omits are undefined). */
export interface ExchangeTicker {
  symbol: string;
  ts: number;
  last: number | undefined;
  bid: number | undefined;
  bidSize: number | undefined;
  ask: number | undefined;
  askSize: number | undefined;
  /** Base-currency volume over the venue's rolling 24 h. */
  volume24h: number | undefined;
}

export interface ExchangeBalance {
  free: number;
  used: number;
  total: number;
}

export interface ExchangeOhlcvQuery {
  symbol: string;
  interval: Interval;
  /** Inclusive window start, epoch ms. */
  from: number;
  /** Exclusive window end, epoch ms. */
  to: number;
  /** Candles asked for per request; capped at the venue's maximum (Binance 1000, Coinbase 300). */
  pageLimit?: number;
  signal?: AbortSignal;
}

export interface ExchangeWatchOptions {
  /** Ends the iteration (also ended by `close()`). */
  signal?: AbortSignal;
}

export interface ExchangeClientDescription {
  exchange: ExchangeId;
  restUrl: string;
  wsUrl: string;
  credentials: { apiKey: string; secret: string; source: string };
}

/**
 * One exchange through ccxt (REST and ccxt.pro WebSocket), in platform types: symbols as `BTC-USDT`, candles as core
 * Bars, prints as core Trades, orders as core Order/OrderRequest. Streams are async iterables that reconnect and
 * resubscribe on their own; errors are RrrErrors.
 */
export interface ExchangeClient {
  readonly id: ExchangeId;
  /** Spot markets (loaded once, then cached by ccxt). */
  loadMarkets(): Promise<ExchangeMarket[]>;
  /** The venue's clock in epoch ms: one cheap public request, used as a connectivity probe. */
  fetchTime(): Promise<number>;
  /** Candles over [from, to), ascending, fetched page by page (since/limit) as the consumer pulls them. */
  fetchOHLCV(query: ExchangeOhlcvQuery): AsyncGenerator<Bar, void, undefined>;
  /** Live trades of one market; reconnects with backoff after a drop and resubscribes. */
  watchTrades(symbol: string, options?: ExchangeWatchOptions): AsyncIterableIterator<Trade>;
  watchTicker(symbol: string, options?: ExchangeWatchOptions): AsyncIterableIterator<ExchangeTicker>;
  /** Balances by asset; needs credentials. */
  fetchBalance(): Promise<Record<string, ExchangeBalance>>;
  createOrder(request: OrderRequest): Promise<Order>;
  cancelOrder(id: string, symbol: string): Promise<Order>;
  fetchOrder(id: string, symbol: string): Promise<Order>;
  /** What the client talks to, with credentials shown only as present or absent. */
  describe(): ExchangeClientDescription;
  toJSON(): ExchangeClientDescription;
  /** Closes WebSockets (ending every stream) and pooled HTTP connections. */
  close(): Promise<void>;
}
