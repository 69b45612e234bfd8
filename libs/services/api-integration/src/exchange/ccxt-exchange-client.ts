import {
  intervalMs,
  RrrError,
  validateTrade,
  ValidationError,
  type Bar,
  type Clock,
  type Order,
  type OrderRequest,
  type Trade,
} from '@rrr/core';
import type * as Ccxt from 'ccxt';
import type { ApiLogger } from '../http/api-logger';
import type { HttpClient } from '../http/http-client';
import { AsyncQueue } from '../stream/async-queue';
import { createCcxtFetch } from './ccxt-fetch';
import { ccxtOrderToOrder, orderRequestToCcxt, type CcxtOrderArgs } from './ccxt-order-mapping';
import type {
  ExchangeBalance,
  ExchangeClient,
  ExchangeClientDescription,
  ExchangeMarket,
  ExchangeOhlcvQuery,
  ExchangeTicker,
  ExchangeWatchOptions,
} from './exchange-client';
import { describeCredentials, type ExchangeCredentials, type ExchangeId } from './exchange-credentials';
import { toExchangeError } from './exchange-api-error';
import { fromExchangeSymbol, toExchangeSymbol } from './exchange-symbol';

type CcxtModule = typeof Ccxt;
type CcxtExchange = Ccxt.Exchange;

export interface WatchReconnectOptions {
  /** First wait after a dropped stream; doubles per failed attempt. */
  initialDelayMs: number;
  maxDelayMs: number;
}

/** Everything the client needs, resolved by `createExchangeClient`. */
export interface CcxtExchangeClientConfig {
  exchange: ExchangeId;
  credentials: ExchangeCredentials | undefined;
  /** Origins replacing the venue's REST and WebSocket origins (tests: a fake server). */
  urls: { rest?: string; ws?: string };
  http: HttpClient;
  ownsHttp: boolean;
  reconnect: WatchReconnectOptions;
  /** ccxt's WebSocket ping interval; a peer silent for two intervals is dropped (and the stream reconnects). */
  heartbeatIntervalMs: number;
  /** ccxt's own ceiling on one REST call, retries by the HttpClient included. */
  requestTimeoutMs: number;
  logger: ApiLogger;
  clock: Clock;
}

/** The most candles one request may ask for, per venue. */
const MAX_OHLCV_PAGE: Readonly<Record<ExchangeId, number>> = { binance: 1_000, coinbase: 300 };

/** ccxt options that keep each venue to spot and to the endpoints a spot client needs. */
const CCXT_OPTIONS: Readonly<Record<ExchangeId, Record<string, unknown>>> = {
  binance: {
    defaultType: 'spot',
    fetchMarkets: { types: ['spot'] },
    // Both need sapi endpoints and keys; markets carry everything a spot client uses.
    fetchCurrencies: false,
    fetchMargins: false,
    // watchTicker rides on watchTickers, whose default miniTicker stream carries no bid/ask.
    watchTickers: { name: 'ticker' },
  },
  coinbase: {
    // Advanced Trade's own accounts endpoint, rather than the retail v2 wallets.
    fetchBalance: 'v3PrivateGetBrokerageAccounts',
  },
};

/** Replaces the origin of every URL in ccxt's `urls.api` tree: http(s) ones by `rest`, ws(s) ones by `ws`. */
function overrideOrigins(tree: Record<string, unknown>, urls: { rest?: string; ws?: string }): void {
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string' && /^(https?|wss?):\/\//.test(value)) {
      const origin = new URL(value).origin;
      const replacement = value.startsWith('ws') ? urls.ws : urls.rest;
      if (replacement !== undefined) tree[key] = `${replacement.replace(/\/$/, '')}${value.slice(origin.length)}`;
    } else if (typeof value === 'object' && value !== null) {
      overrideOrigins(value as Record<string, unknown>, urls);
    }
  }
}

function firstUrl(tree: unknown, ws: boolean): string {
  if (typeof tree === 'string') return /^wss?:/.test(tree) === ws ? tree : '';
  if (typeof tree !== 'object' || tree === null) return '';
  for (const value of Object.values(tree)) {
    const found = firstUrl(value, ws);
    if (found !== '') return found;
  }
  return '';
}

const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined;

/** Fans one ccxt watch loop out to every consumer of the same stream. */
interface StreamHub<T> {
  consumers: Set<AsyncQueue<T>>;
}

/**
 * ExchangeClient over a ccxt.pro exchange. ccxt is loaded on first use (it is large, and consumers that only use
 * Polygon should not pay for it); its REST traffic goes through our HttpClient (see createCcxtFetch), its WebSockets
 * through ccxt.pro. Credentials live only inside the ccxt instance, which sits in a #private field so neither
 * `console.log(client)` nor JSON serialisation can reach them.
 */
export class CcxtExchangeClient implements ExchangeClient {
  readonly id: ExchangeId;
  readonly #config: CcxtExchangeClientConfig;
  #ccxt: Promise<{ module: CcxtModule; exchange: CcxtExchange }> | undefined;
  readonly #hubs = new Map<string, StreamHub<unknown>>();
  readonly #closing = new AbortController();

  constructor(config: CcxtExchangeClientConfig) {
    this.id = config.exchange;
    this.#config = config;
    if (config.credentials) config.http.addSecrets(config.credentials.apiKey, config.credentials.secret);
  }

  describe(): ExchangeClientDescription {
    const venue = this.#config.exchange;
    return {
      exchange: venue,
      restUrl: this.#config.urls.rest ?? (venue === 'binance' ? 'https://api.binance.com' : 'https://api.coinbase.com'),
      wsUrl:
        this.#config.urls.ws ??
        (venue === 'binance' ? 'wss://stream.binance.com:9443/ws' : 'wss://advanced-trade-ws.coinbase.com'),
      credentials: describeCredentials(venue, this.#config.credentials),
    };
  }

  toJSON(): ExchangeClientDescription {
    return this.describe();
  }

  async loadMarkets(): Promise<ExchangeMarket[]> {
    const markets = await this.call('loadMarkets', (exchange) => exchange.loadMarkets());
    const result: ExchangeMarket[] = [];
    for (const market of Object.values(markets)) {
      if (market === undefined || market.spot !== true || typeof market.symbol !== 'string') continue;
      const symbol = fromExchangeSymbol(market.symbol);
      if (symbol === undefined) continue;
      result.push({
        symbol,
        exchangeSymbol: market.symbol,
        id: String(market.id),
        base: String(market.base),
        quote: String(market.quote),
        active: market.active !== false,
      });
    }
    return result.sort((a, b) => a.symbol.localeCompare(b.symbol));
  }

  async fetchTime(): Promise<number> {
    const ts = await this.call('fetchTime', (exchange) => exchange.fetchTime());
    const checked = finite(ts);
    if (checked === undefined) {
      throw new ValidationError(
        `${this.id} fetchTime response`,
        [{ field: 'time', message: 'must be epoch milliseconds', value: ts }],
        'DATA_INVALID',
      );
    }
    return checked;
  }

  async *fetchOHLCV(query: ExchangeOhlcvQuery): AsyncGenerator<Bar, void, undefined> {
    const step = intervalMs(query.interval);
    const maxPage = MAX_OHLCV_PAGE[this.id];
    const pageLimit = Math.min(query.pageLimit ?? maxPage, maxPage);
    const problems = [];
    if (!Number.isInteger(query.from) || query.from < 0)
      problems.push({ field: 'from', message: 'must be epoch milliseconds', value: query.from });
    if (!Number.isInteger(query.to) || query.to <= query.from)
      problems.push({ field: 'to', message: 'must be epoch milliseconds after from', value: query.to });
    if (!Number.isInteger(pageLimit) || pageLimit < 1)
      problems.push({ field: 'pageLimit', message: `must be an integer in 1..${maxPage}`, value: query.pageLimit });
    if (problems.length > 0) throw new ValidationError(`${this.id} fetchOHLCV query`, problems);
    const exchangeSymbol = toExchangeSymbol(query.symbol);
    const { exchange } = await this.ccxt();
    if (exchange.timeframes[query.interval] === undefined) {
      throw new ValidationError(`${this.id} fetchOHLCV query`, [
        {
          field: 'interval',
          message: `${this.id} has no ${query.interval} candles (it offers ${Object.keys(exchange.timeframes).join(', ')})`,
          value: query.interval,
        },
      ]);
    }

    let since = query.from;
    while (since < query.to) {
      query.signal?.throwIfAborted();
      // Ask for exactly one page's window: Coinbase refuses windows wider than its page, Binance honours both.
      const windowEnd = Math.min(query.to, since + pageLimit * step);
      const rows = await this.call('fetchOHLCV', (ex) =>
        ex.fetchOHLCV(exchangeSymbol, query.interval, since, pageLimit, { until: windowEnd - 1 }),
      );
      let last: number | undefined;
      for (const [index, row] of rows.entries()) {
        const bar = this.toBar(row, index, query);
        if (bar.ts < since || bar.ts >= query.to) continue;
        last = bar.ts;
        yield bar;
      }
      // Resume after the newest candle (a venue may cap pages below pageLimit); an empty window had no trades.
      since = last === undefined ? windowEnd : last + step;
    }
  }

  watchTrades(symbol: string, options: ExchangeWatchOptions = {}): AsyncIterableIterator<Trade> {
    const exchangeSymbol = toExchangeSymbol(symbol);
    // Consumers of one market share one stream, so events carry the canonical form whichever spelling was asked for.
    const canonical = fromExchangeSymbol(exchangeSymbol) as string;
    return this.subscribe<Trade>(`trades:${exchangeSymbol}`, options, async function* (exchange, client) {
      const trades = await exchange.watchTrades(exchangeSymbol);
      for (const trade of trades) {
        const mapped: Trade = {
          symbol: canonical,
          ts: trade.timestamp as number,
          price: trade.price as number,
          quantity: trade.amount as number,
          ...(trade.side === 'buy' || trade.side === 'sell' ? { side: trade.side } : {}),
          ...(typeof trade.id === 'string' && trade.id !== '' ? { id: trade.id } : {}),
        };
        const problems = validateTrade(mapped);
        if (problems.length === 0) yield mapped;
        else client.rejectEvent('trade', new ValidationError(`${client.id} trade`, problems, 'DATA_INVALID'));
      }
    });
  }

  watchTicker(symbol: string, options: ExchangeWatchOptions = {}): AsyncIterableIterator<ExchangeTicker> {
    const exchangeSymbol = toExchangeSymbol(symbol);
    const canonical = fromExchangeSymbol(exchangeSymbol) as string;
    const clock = this.#config.clock;
    return this.subscribe<ExchangeTicker>(`ticker:${exchangeSymbol}`, options, async function* (exchange) {
      const ticker = await exchange.watchTicker(exchangeSymbol);
      yield {
        symbol: canonical,
        ts: finite(ticker.timestamp) ?? clock.now(),
        last: finite(ticker.last),
        bid: finite(ticker.bid),
        bidSize: finite(ticker.bidVolume),
        ask: finite(ticker.ask),
        askSize: finite(ticker.askVolume),
        volume24h: finite(ticker.baseVolume),
      };
    });
  }

  async fetchBalance(): Promise<Record<string, ExchangeBalance>> {
    this.requireCredentials('fetchBalance');
    const balances = await this.call('fetchBalance', (exchange) => exchange.fetchBalance());
    const result: Record<string, ExchangeBalance> = {};
    for (const asset of Object.keys(balances.total ?? {}).sort()) {
      const entry = balances[asset] as { free?: number; used?: number; total?: number } | undefined;
      result[asset] = {
        free: finite(entry?.free) ?? 0,
        used: finite(entry?.used) ?? 0,
        total: finite(entry?.total) ?? 0,
      };
    }
    return result;
  }

  async createOrder(request: OrderRequest): Promise<Order> {
    const args = orderRequestToCcxt(request);
    this.requireCredentials('createOrder');
    if (this.id === 'coinbase') await this.adaptCoinbaseOrder(args);
    const placed = await this.call('createOrder', (exchange) =>
      exchange.createOrder(args.symbol, args.type, args.side, args.amount, args.price, args.params),
    );
    return this.completeOrder(placed, args.symbol, request.symbol);
  }

  async cancelOrder(id: string, symbol: string): Promise<Order> {
    const exchangeSymbol = toExchangeSymbol(symbol);
    this.requireCredentials('cancelOrder');
    const cancelled = await this.call('cancelOrder', (exchange) => exchange.cancelOrder(id, exchangeSymbol));
    return this.completeOrder({ ...cancelled, id: cancelled.id ?? id }, exchangeSymbol, symbol);
  }

  async fetchOrder(id: string, symbol: string): Promise<Order> {
    const exchangeSymbol = toExchangeSymbol(symbol);
    this.requireCredentials('fetchOrder');
    const order = await this.call('fetchOrder', (exchange) => exchange.fetchOrder(id, exchangeSymbol));
    return ccxtOrderToOrder(order, symbol, this.id, this.#config.clock.now());
  }

  /**
   * Coinbase answers an order or a cancel with ids only (no size, no status): the order is then read back, so callers
   * always get the whole order as the venue holds it.
   */
  private async completeOrder(answer: Ccxt.Order, exchangeSymbol: string, symbol: string): Promise<Order> {
    let order = answer;
    if (finite(answer.amount) === undefined && typeof answer.id === 'string' && answer.id !== '') {
      const id = answer.id;
      order = await this.call('fetchOrder', (exchange) => exchange.fetchOrder(id, exchangeSymbol));
    }
    return ccxtOrderToOrder(order, symbol, this.id, this.#config.clock.now());
  }

  /**
   * Advanced Trade differences ccxt leaves to the caller. Our client order id goes in `client_order_id` (ccxt would
   * otherwise send an id of its own, and the venue could not de-duplicate a retried order). A spot market buy is
   * sized in quote currency: ccxt asks for a price to turn the base quantity into one, so the best ask is read just
   * before — the base quantity that fills can differ from the requested one by what the price moves meanwhile.
   */
  private async adaptCoinbaseOrder(args: CcxtOrderArgs): Promise<void> {
    const clientOrderId = args.params['clientOrderId'];
    if (typeof clientOrderId === 'string') {
      delete args.params['clientOrderId'];
      args.params['client_order_id'] = clientOrderId;
    }
    if (args.type === 'market' && args.side === 'buy' && args.price === undefined) {
      const ticker = await this.call('fetchTicker', (exchange) => exchange.fetchTicker(args.symbol));
      const price = finite(ticker.ask) ?? finite(ticker.last);
      if (price === undefined) {
        throw new RrrError(
          'SERVICE_UNAVAILABLE',
          `${this.id}: no ask or last price for ${args.symbol} to size a market buy`,
        );
      }
      args.price = price;
    }
  }

  async close(): Promise<void> {
    if (this.#closing.signal.aborted) return;
    this.#closing.abort();
    for (const hub of this.#hubs.values()) for (const queue of hub.consumers) queue.end();
    this.#hubs.clear();
    if (this.#ccxt !== undefined) {
      const { exchange } = await this.#ccxt.catch(() => ({ exchange: undefined }));
      await exchange?.close();
    }
    if (this.#config.ownsHttp) await this.#config.http.close();
  }

  /** Logs a stream event that failed validation; the stream goes on. */
  private rejectEvent(kind: string, error: ValidationError): void {
    this.#config.logger.warn({ exchange: this.id, kind, error: error.message }, 'exchange stream event rejected');
  }

  private requireCredentials(operation: string): void {
    if (this.#config.credentials === undefined) {
      const { source } = describeCredentials(this.id, undefined);
      throw new RrrError('UNAUTHORIZED', `${this.id} ${operation}: needs API credentials; set ${source.slice(4)}`);
    }
  }

  private ccxt(): Promise<{ module: CcxtModule; exchange: CcxtExchange }> {
    this.#ccxt ??= this.build();
    return this.#ccxt;
  }

  private async build(): Promise<{ module: CcxtModule; exchange: CcxtExchange }> {
    const module = await import('ccxt');
    const { exchange: venue, credentials, urls, http, heartbeatIntervalMs, requestTimeoutMs, reconnect } = this.#config;
    const Exchange = module.pro[venue];
    const exchange: CcxtExchange = new Exchange({
      ...(credentials ? { apiKey: credentials.apiKey, secret: credentials.secret } : {}),
      // Our HttpClient limits per host; ccxt's own throttle would wait a second time.
      enableRateLimit: false,
      timeout: requestTimeoutMs,
      verbose: false,
      options: {
        ...CCXT_OPTIONS[venue],
        // ccxt spaces its redials itself (1 s doubling to 60 s by default); ours replace its defaults.
        ws: { backoff: { base: reconnect.initialDelayMs, max: reconnect.maxDelayMs, factor: 2 } },
      },
      streaming: { keepAlive: heartbeatIntervalMs },
    });
    exchange.fetchImplementation = createCcxtFetch(http);
    overrideOrigins(exchange.urls.api as Record<string, unknown>, urls);
    // ccxt insists on an http.Agent before it opens a plain ws:// socket (loopback fakes).
    if (firstUrl(exchange.urls.api, true).startsWith('ws://')) await exchange.loadHttpProxyAgent();
    return { module, exchange };
  }

  private async call<T>(operation: string, fn: (exchange: CcxtExchange) => Promise<T>): Promise<T> {
    const { module, exchange } = await this.ccxt();
    try {
      return await fn(exchange);
    } catch (error) {
      const mapped = toExchangeError(error, this.id, operation, module, this.secrets());
      this.#config.logger.warn(
        { exchange: this.id, operation, code: mapped.code, error: mapped.message },
        'exchange call failed',
      );
      throw mapped;
    }
  }

  private secrets(): (string | undefined)[] {
    return [this.#config.credentials?.apiKey, this.#config.credentials?.secret];
  }

  /**
   * One consumer's iterator over a shared stream. The first consumer of a key starts a loop that calls ccxt's watch
   * method (ccxt opens the socket and subscribes); a dropped connection makes that call fail with NetworkError, the
   * loop waits its backoff and calls again, which reconnects and resubscribes. Every consumer gets every event.
   */
  private subscribe<T>(
    key: string,
    options: ExchangeWatchOptions,
    next: (exchange: CcxtExchange, client: CcxtExchangeClient) => AsyncGenerator<T, void, undefined>,
  ): AsyncIterableIterator<T> {
    let hub = this.#hubs.get(key) as StreamHub<T> | undefined;
    const starting = hub === undefined;
    if (hub === undefined) {
      hub = { consumers: new Set() };
      this.#hubs.set(key, hub as StreamHub<unknown>);
    }
    const owner = hub;
    const queue: AsyncQueue<T> = new AsyncQueue<T>({
      onClose: () => owner.consumers.delete(queue),
      onDrop: () =>
        this.#config.logger.warn(
          { exchange: this.id, stream: key },
          'stream consumer too slow; dropping oldest events',
        ),
    });
    owner.consumers.add(queue);
    const onAbort = (): void => {
      owner.consumers.delete(queue);
      queue.end();
    };
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (this.#closing.signal.aborted) queue.end();
    else if (starting) void this.runHub(key, owner, next);
    return queue;
  }

  private async runHub<T>(
    key: string,
    hub: StreamHub<T>,
    next: (exchange: CcxtExchange, client: CcxtExchangeClient) => AsyncGenerator<T, void, undefined>,
  ): Promise<void> {
    const closing = this.#closing.signal;
    let failures = 0;
    let ccxt: { module: CcxtModule; exchange: CcxtExchange };
    try {
      ccxt = await this.ccxt();
    } catch (error) {
      for (const queue of hub.consumers) queue.fail(error);
      this.#hubs.delete(key);
      return;
    }
    while (!closing.aborted && hub.consumers.size > 0) {
      try {
        for await (const event of next(ccxt.exchange, this)) {
          failures = 0;
          for (const queue of hub.consumers) queue.push(event);
        }
      } catch (error) {
        if (closing.aborted || error instanceof ccxt.module.ExchangeClosedByUser) break;
        if (!(error instanceof ccxt.module.NetworkError)) {
          const mapped = toExchangeError(
            error,
            this.id,
            key.split(':')[0] === 'trades' ? 'watchTrades' : 'watchTicker',
            ccxt.module,
            this.secrets(),
          );
          this.#config.logger.error(
            { exchange: this.id, stream: key, code: mapped.code, error: mapped.message },
            'exchange stream failed',
          );
          for (const queue of hub.consumers) queue.fail(mapped);
          break;
        }
        failures++;
        // Calling the watch method again redials and resubscribes; ccxt spaces the dials with the backoff we gave
        // it (options.ws.backoff), so waiting here as well would double every delay.
        this.#config.logger.warn(
          {
            exchange: this.id,
            stream: key,
            attempt: failures,
            error: toExchangeError(error, this.id, 'watch', ccxt.module, this.secrets()).message,
          },
          'exchange stream disconnected; resubscribing',
        );
      }
    }
    if (this.#hubs.get(key) === hub) this.#hubs.delete(key);
    for (const queue of hub.consumers) queue.end();
  }

  private toBar(row: readonly unknown[], index: number, query: ExchangeOhlcvQuery): Bar {
    const [ts, open, high, low, close, volume] = row;
    const fields = { ts, open, high, low, close, volume };
    const problems = Object.entries(fields)
      .filter(([, value]) => finite(value) === undefined)
      .map(([field, value]) => ({ field: `[${index}].${field}`, message: 'must be a finite number', value }));
    if (problems.length > 0) throw new ValidationError(`${this.id} OHLCV ${query.symbol}`, problems, 'DATA_INVALID');
    return {
      symbol: query.symbol,
      interval: query.interval,
      ts: ts as number,
      open: open as number,
      high: high as number,
      low: low as number,
      close: close as number,
      volume: volume as number,
    };
  }
}
