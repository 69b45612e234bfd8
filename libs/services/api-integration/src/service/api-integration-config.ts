import { ConfigError, type FieldProblem, type PlatformSecrets } from '@rrr/core';
import type { HttpClientOptions } from '../http/http-client';
import {
  EXCHANGE_CREDENTIAL_ENV,
  EXCHANGE_IDS,
  readExchangeCredentials,
  type ExchangeId,
} from '../exchange/exchange-credentials';

export interface ApiIntegrationExchangeConfig {
  exchange: ExchangeId;
  /** Origins replacing the venue's own (a testnet, or a loopback fake in tests). */
  urls?: { rest?: string; ws?: string };
}

export interface ApiIntegrationPolygonConfig {
  /** `https://api.polygon.io` unless given. */
  baseUrl?: string;
  /** The ticker whose latest daily aggregate the probe asks for. */
  probeTicker: string;
}

export interface ApiIntegrationConfig {
  /** One client per entry, in this order. */
  exchanges: ApiIntegrationExchangeConfig[];
  /** Undefined when POLYGON_API_KEY is not set. */
  polygon: ApiIntegrationPolygonConfig | undefined;
  probe: {
    /** Pause between the end of one round of probes and the start of the next. */
    intervalMs: number;
    /** A probe (retries included) that takes longer counts as failed. */
    timeoutMs: number;
  };
  /** Options of the one HttpClient every client shares (retries, breaker, timeouts, rate limits). */
  http: HttpClientTuning;
}

export type HttpClientTuning = Pick<
  HttpClientOptions,
  'retry' | 'breaker' | 'timeoutMs' | 'rateLimits' | 'defaultRateLimit'
>;

export interface ApiIntegrationConfigInput {
  /**
   * The platform's credentials (`PlatformConfig.secrets`, filled from the environment only). An exchange whose key and
   * secret are both set is connected; Polygon is connected when its key is set.
   */
  secrets?: Partial<PlatformSecrets>;
  /** Exchanges to connect besides those with credentials (public data only), or with other origins. */
  exchanges?: readonly (ExchangeId | ApiIntegrationExchangeConfig)[];
  /**
   * Exchanges a consumer needs connected (e.g. the platform's live data source), at their default origins unless
   * `exchanges` lists them otherwise; listing one here and there, or with credentials, is not a conflict.
   */
  required?: readonly ExchangeId[];
  polygon?: Partial<ApiIntegrationPolygonConfig>;
  probe?: Partial<ApiIntegrationConfig['probe']>;
  http?: HttpClientTuning;
}

const SOURCE = 'api-integration config';

/** Credentials from the platform's secrets (read from the environment only), under the names the clients read. */
export function credentialEnv(secrets: Partial<PlatformSecrets>): Record<string, string | undefined> {
  return {
    [EXCHANGE_CREDENTIAL_ENV.binance.apiKey]: secrets.binanceApiKey,
    [EXCHANGE_CREDENTIAL_ENV.binance.secret]: secrets.binanceSecret,
    [EXCHANGE_CREDENTIAL_ENV.coinbase.apiKey]: secrets.coinbaseApiKey,
    [EXCHANGE_CREDENTIAL_ENV.coinbase.secret]: secrets.coinbaseSecret,
  };
}
const TICKER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:.-]*$/;

function checkUrl(problems: FieldProblem[], field: string, value: string | undefined, scheme: 'http' | 'ws'): void {
  if (value === undefined) return;
  let ok = false;
  try {
    ok = [`${scheme}:`, `${scheme}s:`].includes(new URL(value).protocol);
  } catch {
    ok = false;
  }
  if (!ok) problems.push({ field, message: `must be an absolute ${scheme}:// or ${scheme}s:// URL`, value });
}

/** Which clients to build and how to watch them; throws a ConfigError naming every bad field. */
export function resolveApiIntegrationConfig(input: ApiIntegrationConfigInput = {}): ApiIntegrationConfig {
  const problems: FieldProblem[] = [];
  const secrets = input.secrets ?? {};
  const exchanges: ApiIntegrationExchangeConfig[] = [];
  for (const [index, entry] of (input.exchanges ?? []).entries()) {
    const config = typeof entry === 'string' ? { exchange: entry } : entry;
    const field = `exchanges[${index}]`;
    if (!EXCHANGE_IDS.includes(config.exchange)) {
      problems.push({
        field: `${field}.exchange`,
        message: `must be one of ${EXCHANGE_IDS.join(', ')}`,
        value: config.exchange,
      });
      continue;
    }
    if (exchanges.some((e) => e.exchange === config.exchange)) {
      problems.push({ field: `${field}.exchange`, message: 'is listed twice', value: config.exchange });
      continue;
    }
    checkUrl(problems, `${field}.urls.rest`, config.urls?.rest, 'http');
    checkUrl(problems, `${field}.urls.ws`, config.urls?.ws, 'ws');
    exchanges.push({ exchange: config.exchange, ...(config.urls === undefined ? {} : { urls: { ...config.urls } }) });
  }
  // The same test the clients apply, so a connected exchange is one whose client finds its credentials.
  const env = credentialEnv(secrets);
  for (const exchange of EXCHANGE_IDS) {
    const wanted = readExchangeCredentials(exchange, env) !== undefined || input.required?.includes(exchange) === true;
    if (wanted && !exchanges.some((e) => e.exchange === exchange)) exchanges.push({ exchange });
  }
  for (const [index, exchange] of (input.required ?? []).entries()) {
    if (!EXCHANGE_IDS.includes(exchange)) {
      problems.push({
        field: `required[${index}]`,
        message: `must be one of ${EXCHANGE_IDS.join(', ')}`,
        value: exchange,
      });
    }
  }

  const probeTicker = input.polygon?.probeTicker ?? 'X:BTCUSD';
  if (!TICKER_PATTERN.test(probeTicker)) {
    problems.push({
      field: 'polygon.probeTicker',
      message: 'must be a Polygon ticker such as X:BTCUSD',
      value: probeTicker,
    });
  }
  checkUrl(problems, 'polygon.baseUrl', input.polygon?.baseUrl, 'http');
  const polygon = secrets.polygonApiKey
    ? { probeTicker, ...(input.polygon?.baseUrl === undefined ? {} : { baseUrl: input.polygon.baseUrl }) }
    : undefined;

  const probe = { intervalMs: 30_000, timeoutMs: 15_000, ...input.probe };
  for (const [name, value] of Object.entries(probe)) {
    if (!Number.isInteger(value) || value <= 0) {
      problems.push({ field: `probe.${name}`, message: 'must be an integer number of milliseconds > 0', value });
    }
  }
  if (problems.length > 0) throw new ConfigError(problems, SOURCE);
  return { exchanges, polygon, probe, http: { ...input.http } };
}
