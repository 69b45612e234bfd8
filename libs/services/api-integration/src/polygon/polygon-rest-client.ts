import { ConfigError, ValidationError, type Bar, type FieldProblem, type Interval } from '@rrr/core';
import { silentApiLogger, type ApiLogger } from '../http/api-logger';
import { HttpClient, type HttpClientOptions } from '../http/http-client';
import { redactUrl } from '../http/redact';
import { polygonAggregatesResponseSchema, type PolygonAggregate } from './polygon-aggregates-response';
import { POLYGON_TIMESPANS, polygonInterval, polygonTickerToSymbol, type PolygonTimespan } from './polygon-ticker';

export const POLYGON_REST_URL = 'https://api.polygon.io';

/** Polygon's largest page of aggregates. */
export const POLYGON_MAX_AGGREGATES_LIMIT = 50_000;

export interface PolygonRestClientOptions {
  /** Defaults to `env.POLYGON_API_KEY`. */
  apiKey?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** `https://api.polygon.io` by default; tests point it at a FakePolygonServer. */
  baseUrl?: string;
  /** A shared client (one pool, limiter and breaker set for the process); one of its own is built otherwise. */
  http?: HttpClient;
  /** Options for the client built when `http` is not given. */
  httpOptions?: HttpClientOptions;
  logger?: ApiLogger;
}

export interface PolygonAggregatesQuery {
  /** Polygon's ticker: `AAPL`, `X:BTCUSD`, `I:SPX`. */
  ticker: string;
  multiplier?: number;
  timespan?: PolygonTimespan;
  /** Window start: epoch ms or `YYYY-MM-DD` (inclusive). */
  from: number | string;
  /** Window end: epoch ms or `YYYY-MM-DD` (inclusive). */
  to: number | string;
  /** Split-adjusted prices; default true. */
  adjusted?: boolean;
  /** Bars per page, at most 50,000 (the default). */
  limit?: number;
  /** The platform symbol to put on the bars; derived from the ticker when omitted (`X:BTCUSD` → `BTC-USD`). */
  symbol?: string;
  signal?: AbortSignal;
}

const TICKER_PATTERN = /^[A-Za-z0-9][A-Za-z0-9:.-]*$/;
const DATE_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

function checkWindowEdge(problems: FieldProblem[], field: string, value: number | string): void {
  const ok =
    (typeof value === 'number' && Number.isInteger(value) && value >= 0) ||
    (typeof value === 'string' && DATE_PATTERN.test(value) && !Number.isNaN(Date.parse(value)));
  if (!ok) problems.push({ field, message: 'must be epoch milliseconds or a YYYY-MM-DD date', value });
}

function toBar(row: PolygonAggregate, symbol: string, interval: Interval): Bar {
  return {
    symbol,
    interval,
    ts: row.t,
    open: row.o,
    high: row.h,
    low: row.l,
    close: row.c,
    volume: row.v,
    ...(row.vw === undefined ? {} : { vwap: row.vw }),
    ...(row.n === undefined ? {} : { trades: row.n }),
  };
}

/**
 * Polygon.io REST: aggregates as an async iterable of core Bars, following `next_url` page by page. The API key travels
 * as the `apiKey` query parameter, is re-attached to every `next_url` (Polygon leaves it off) and is only ever sent to
 * the configured origin.
 */
export class PolygonRestClient {
  private readonly apiKey: string;
  private readonly baseUrl: URL;
  private readonly http: HttpClient;
  private readonly ownsHttp: boolean;
  private readonly logger: ApiLogger;

  constructor(options: PolygonRestClientOptions = {}) {
    const apiKey = options.apiKey ?? (options.env ?? process.env)['POLYGON_API_KEY'];
    if (apiKey === undefined || apiKey.trim() === '') {
      throw new ConfigError(
        [{ field: 'POLYGON_API_KEY', message: 'is required for Polygon.io; set it in the environment' }],
        'polygon client',
      );
    }
    this.apiKey = apiKey;
    this.baseUrl = new URL(options.baseUrl ?? POLYGON_REST_URL);
    this.logger = options.logger ?? silentApiLogger;
    this.ownsHttp = options.http === undefined;
    this.http = options.http ?? new HttpClient({ logger: this.logger, ...options.httpOptions });
    this.http.addSecrets(apiKey);
  }

  /**
   * Bars of `ticker` over [from, to], ascending, page after page as the consumer pulls them. Malformed pages fail with
   * ValidationError (DATA_INVALID) naming the field (`results[3].o`); HTTP failures with HttpError.
   */
  async *aggregates(query: PolygonAggregatesQuery): AsyncGenerator<Bar, void, undefined> {
    const multiplier = query.multiplier ?? 1;
    const timespan = query.timespan ?? 'day';
    const limit = query.limit ?? POLYGON_MAX_AGGREGATES_LIMIT;
    const problems: FieldProblem[] = [];
    if (!TICKER_PATTERN.test(query.ticker)) {
      problems.push({
        field: 'ticker',
        message: 'must be a Polygon ticker such as AAPL or X:BTCUSD',
        value: query.ticker,
      });
    }
    if (!Number.isInteger(multiplier) || multiplier < 1) {
      problems.push({ field: 'multiplier', message: 'must be an integer >= 1', value: multiplier });
    }
    if (!POLYGON_TIMESPANS.includes(timespan)) {
      problems.push({ field: 'timespan', message: `must be one of ${POLYGON_TIMESPANS.join(', ')}`, value: timespan });
    }
    if (!Number.isInteger(limit) || limit < 1 || limit > POLYGON_MAX_AGGREGATES_LIMIT) {
      problems.push({
        field: 'limit',
        message: `must be an integer in 1..${POLYGON_MAX_AGGREGATES_LIMIT}`,
        value: limit,
      });
    }
    checkWindowEdge(problems, 'from', query.from);
    checkWindowEdge(problems, 'to', query.to);
    if (problems.length > 0) throw new ValidationError('polygon aggregates query', problems);
    const interval = polygonInterval(multiplier, timespan);
    const symbol = query.symbol ?? polygonTickerToSymbol(query.ticker);

    const path = `/v2/aggs/ticker/${encodeURIComponent(query.ticker)}/range/${multiplier}/${timespan}/${query.from}/${query.to}`;
    let next: URL | undefined = new URL(path, this.baseUrl);
    next.searchParams.set('adjusted', String(query.adjusted ?? true));
    next.searchParams.set('sort', 'asc');
    next.searchParams.set('limit', String(limit));
    const seen = new Set<string>();
    let page = 0;
    while (next !== undefined) {
      seen.add(next.toString());
      const url: URL = new URL(next);
      url.searchParams.set('apiKey', this.apiKey);
      const response = await this.http.requestJson(
        { url, signal: query.signal, headers: { accept: 'application/json' } },
        polygonAggregatesResponseSchema,
      );
      page++;
      const rows = response.results ?? [];
      this.logger.debug(
        { ticker: query.ticker, page, bars: rows.length, more: response.next_url !== undefined },
        'polygon aggregates page',
      );
      for (const row of rows) yield toBar(row, symbol, interval);
      next = response.next_url === undefined ? undefined : this.checkNextUrl(response.next_url, url, seen);
    }
  }

  /** Closes the HTTP client if this client built it. */
  async close(): Promise<void> {
    if (this.ownsHttp) await this.http.close();
  }

  /** `next_url` must stay on our origin (the key is attached to it) and must not loop. */
  private checkNextUrl(nextUrl: string, current: URL, seen: ReadonlySet<string>): URL {
    const next = new URL(nextUrl);
    next.searchParams.delete('apiKey');
    const subject = `GET ${current.host}${current.pathname} response`;
    if (next.origin !== this.baseUrl.origin) {
      throw new ValidationError(
        subject,
        [
          {
            field: 'next_url',
            message: `must stay on ${this.baseUrl.origin}; refusing to send the API key to ${next.origin}`,
            value: redactUrl(next),
          },
        ],
        'DATA_INVALID',
      );
    }
    if (seen.has(next.toString())) {
      throw new ValidationError(
        subject,
        [{ field: 'next_url', message: 'repeats an earlier page; pagination would never end', value: redactUrl(next) }],
        'DATA_INVALID',
      );
    }
    return next;
  }
}
