// HTTP infrastructure shared by every adapter.
export { HttpClient } from './http/http-client';
export type {
  HttpBreakerOptions,
  HttpClientOptions,
  HttpMethod,
  HttpRequest,
  HttpResponse,
  HttpRetryOptions,
} from './http/http-client';
export { HttpError, networkErrorCode } from './http/http-error';
export type { HttpErrorInit, HttpFailureKind } from './http/http-error';
export { createHttpMetrics } from './http/http-metrics';
export type { HttpMetrics } from './http/http-metrics';
export { DEFAULT_HOST_RATE_LIMITS, DEFAULT_RATE_LIMIT } from './http/default-host-rate-limits';
export { decodeJson, decodeValue, formatIssuePath, zodIssuesToProblems } from './http/decode-json';
export type { JsonDecoder } from './http/decode-json';
export { parseRetryAfterMs } from './http/retry-after';
export { REDACTED, SECRET_QUERY_PARAMS, describeRequestTarget, redactSecrets, redactUrl } from './http/redact';
export { silentApiLogger } from './http/api-logger';
export type { ApiLogger } from './http/api-logger';

// Push-to-pull bridge behind every stream.
export { AsyncQueue } from './stream/async-queue';
export type { AsyncQueueOptions } from './stream/async-queue';

// Polygon.io: REST aggregates and the crypto WebSocket feed.
export { PolygonRestClient, POLYGON_MAX_AGGREGATES_LIMIT, POLYGON_REST_URL } from './polygon/polygon-rest-client';
export type { PolygonAggregatesQuery, PolygonRestClientOptions } from './polygon/polygon-rest-client';
export { PolygonCryptoFeed, POLYGON_CRYPTO_WS_URL } from './polygon/polygon-crypto-feed';
export type {
  PolygonCryptoFeedOptions,
  PolygonFeedEvent,
  PolygonFeedHealth,
  PolygonFeedState,
  PolygonReconnectOptions,
} from './polygon/polygon-crypto-feed';
export { POLYGON_TIMESPANS, polygonInterval, polygonTickerToSymbol } from './polygon/polygon-ticker';
export type { PolygonTimespan } from './polygon/polygon-ticker';

// Exchanges through ccxt.
export { createExchangeClient } from './exchange/create-exchange-client';
export type { CreateExchangeClientOptions } from './exchange/create-exchange-client';
export type {
  ExchangeBalance,
  ExchangeClient,
  ExchangeClientDescription,
  ExchangeMarket,
  ExchangeOhlcvQuery,
  ExchangeTicker,
  ExchangeWatchOptions,
} from './exchange/exchange-client';
export type { WatchReconnectOptions } from './exchange/ccxt-exchange-client';
export { ExchangeApiError } from './exchange/exchange-api-error';
export { EXCHANGE_CREDENTIAL_ENV, EXCHANGE_IDS, readExchangeCredentials } from './exchange/exchange-credentials';
export type { ExchangeCredentials, ExchangeId } from './exchange/exchange-credentials';
export { fromExchangeSymbol, toExchangeSymbol } from './exchange/exchange-symbol';

// The registered service: the configured clients on one HttpClient, their connectivity watched.
export { createApiIntegrationService } from './service/create-api-integration-service';
export type {
  ApiClientKind,
  ApiClientProbe,
  ApiClientStatus,
  ApiIntegrationService,
  ApiIntegrationServiceDeps,
} from './service/create-api-integration-service';
export { credentialEnv, resolveApiIntegrationConfig } from './service/api-integration-config';
export type {
  ApiIntegrationConfig,
  ApiIntegrationConfigInput,
  ApiIntegrationExchangeConfig,
  ApiIntegrationPolygonConfig,
  HttpClientTuning,
} from './service/api-integration-config';

// Loopback fakes speaking each vendor's protocol, for this library's tests and its consumers'.
export { FakeHttpServer } from './testing/fake-http-server';
export type {
  FakeFault,
  FakeHttpServerOptions,
  FakeRecordedRequest,
  FakeRequestHandler,
  FakeResponse,
} from './testing/fake-http-server';
export { FakePolygonServer } from './testing/fake-polygon-server';
export type {
  FakePolygonAggregate,
  FakePolygonControlMessage,
  FakePolygonCryptoAggregate,
  FakePolygonCryptoTrade,
  FakePolygonServerOptions,
} from './testing/fake-polygon-server';
export { FakeBinanceServer } from './testing/fake-binance-server';
export type {
  FakeBinanceKline,
  FakeBinanceMarket,
  FakeBinanceServerOptions,
  FakeBinanceTrade,
  FakeBinanceWsRequest,
} from './testing/fake-binance-server';
export { FakeCoinbaseServer } from './testing/fake-coinbase-server';
export type {
  FakeCoinbaseCandle,
  FakeCoinbaseProduct,
  FakeCoinbaseServerOptions,
  FakeCoinbaseTrade,
  FakeCoinbaseWsRequest,
} from './testing/fake-coinbase-server';
export { CapturingApiLogger } from './testing/capturing-api-logger';
export type { CapturedLogLine } from './testing/capturing-api-logger';
export { waitUntil } from './testing/wait-until';
