import { ConfigError, systemClock, type Clock } from '@rrr/core';
import { silentApiLogger, type ApiLogger } from '../http/api-logger';
import { HttpClient, type HttpClientOptions } from '../http/http-client';
import { CcxtExchangeClient, type WatchReconnectOptions } from './ccxt-exchange-client';
import type { ExchangeClient } from './exchange-client';
import { EXCHANGE_IDS, readExchangeCredentials, type ExchangeId } from './exchange-credentials';

export interface CreateExchangeClientOptions {
  exchange: ExchangeId;
  /** Where credentials are read from (COINBASE_API_KEY/COINBASE_SECRET, BINANCE_API_KEY/BINANCE_SECRET); process.env by default. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Origins replacing the venue's own, e.g. a FakeBinanceServer's `{ rest: fake.restUrl, ws: fake.wsUrl }`. */
  urls?: { rest?: string; ws?: string };
  /** A shared HttpClient (one pool, limiter and breaker per host for the whole process). */
  http?: HttpClient;
  /** Options for the HttpClient built when `http` is not given. */
  httpOptions?: HttpClientOptions;
  /** Backoff between WebSocket redials after a drop (ccxt adds ±20 % jitter): 1 s doubling to 30 s by default. */
  reconnect?: Partial<WatchReconnectOptions>;
  /** WebSocket ping interval; default 30 s. */
  heartbeatIntervalMs?: number;
  /** Ceiling on one REST call including its retries; default 60 s. */
  requestTimeoutMs?: number;
  logger?: ApiLogger;
  clock?: Clock;
}

/**
 * An ExchangeClient for Coinbase (Advanced Trade) or Binance (spot) through ccxt. Credentials come from the environment
 * only; without them the client serves public data (markets, candles, trades, tickers) and private calls fail with
 * UNAUTHORIZED naming the variables to set.
 */
export function createExchangeClient(options: CreateExchangeClientOptions): ExchangeClient {
  if (!EXCHANGE_IDS.includes(options.exchange)) {
    throw new ConfigError(
      [{ field: 'exchange', message: `must be one of ${EXCHANGE_IDS.join(', ')}`, value: options.exchange }],
      'exchange client',
    );
  }
  const logger = options.logger ?? silentApiLogger;
  const credentials = readExchangeCredentials(options.exchange, options.env ?? process.env);
  const http = options.http ?? new HttpClient({ logger, ...options.httpOptions });
  return new CcxtExchangeClient({
    exchange: options.exchange,
    credentials,
    urls: options.urls ?? {},
    http,
    ownsHttp: options.http === undefined,
    reconnect: { initialDelayMs: 1_000, maxDelayMs: 30_000, ...options.reconnect },
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 30_000,
    requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
    logger,
    clock: options.clock ?? systemClock,
  });
}
