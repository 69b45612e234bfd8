import {
  CircuitBreaker,
  CircuitOpenError,
  ConfigError,
  RateLimiterMap,
  RrrError,
  createMetricsRegistry,
  rateLimitKeyForUrl,
  retry,
  retryAttemptsOf,
  sleep as defaultSleep,
  systemClock,
  type CircuitBreakerStats,
  type CircuitState,
  type CircuitStateChange,
  type Clock,
  type MetricsRegistry,
  type RateLimit,
} from '@rrr/core';
import { Agent } from 'undici';
import { silentApiLogger, type ApiLogger } from './api-logger';
import { decodeJson, type JsonDecoder } from './decode-json';
import { DEFAULT_HOST_RATE_LIMITS, DEFAULT_RATE_LIMIT } from './default-host-rate-limits';
import { HttpError, networkErrorCode } from './http-error';
import { createHttpMetrics, type HttpMetrics } from './http-metrics';
import { describeRequestTarget, redactSecrets, redactUrl } from './redact';
import { parseRetryAfterMs } from './retry-after';

export type HttpMethod = 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'OPTIONS';

const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS']);

export interface HttpRetryOptions {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited out: the call fails with RATE_LIMITED at once. */
  maxRetryAfterMs: number;
}

export interface HttpBreakerOptions {
  /** Consecutive failed attempts (5xx, 429, timeouts, transport errors) that open a host's circuit. */
  failureThreshold: number;
  resetTimeoutMs: number;
  halfOpenMaxCalls: number;
}

export interface HttpClientOptions {
  /** Per-host limits, laid over DEFAULT_HOST_RATE_LIMITS; keys are hosts as in `URL.host` (with a non-default port). */
  rateLimits?: Record<string, RateLimit>;
  /** Limit of hosts without their own; DEFAULT_RATE_LIMIT (10/s) by default. */
  defaultRateLimit?: RateLimit;
  retry?: Partial<HttpRetryOptions>;
  breaker?: Partial<HttpBreakerOptions>;
  /** Per-attempt timeout covering connect, headers and body; default 10 s. */
  timeoutMs?: number;
  /** Keep-alive pool per origin. */
  pool?: { connectionsPerOrigin?: number; keepAliveTimeoutMs?: number };
  /** Where the rrr_http_* metrics go; a private registry when omitted. */
  metrics?: MetricsRegistry;
  logger?: ApiLogger;
  /** Drives the circuit breakers, rate limits and HTTP-date Retry-After arithmetic. */
  clock?: Clock;
  /** How retries wait; tests inject one that records the delays instead of sleeping. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1) source for backoff jitter. */
  random?: () => number;
  /** Credential values to scrub from any vendor text that ends up in logs or error details. */
  secrets?: readonly (string | undefined)[];
  userAgent?: string;
}

export interface HttpRequest {
  url: string | URL;
  method?: HttpMethod;
  /** Appended to the URL's own query; undefined values are left out. */
  query?: Record<string, string | number | boolean | undefined>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Whether sending the request twice is harmless. Defaults to true for GET/HEAD/PUT/DELETE/OPTIONS. A non-idempotent
   * request (placing an order) is retried only when it provably was not processed: a 429 or a refused connection.
   */
  idempotent?: boolean;
  /**
   * Statuses handed back to the caller instead of thrown (default: 2xx). 429 and 5xx are retried first either way;
   * ccxt passes 4xx through so it can map the exchange's own error codes.
   */
  passStatus?: (status: number) => boolean;
}

export interface HttpResponse {
  status: number;
  statusText: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** Attempts it took, retries included. */
  attempts: number;
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  418: "I'm a teapot",
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

const BODY_SNIPPET_CHARS = 300;

const isSuccess = (status: number): boolean => status >= 200 && status < 300;

function resolveUrl(request: HttpRequest): URL {
  const url = new URL(request.url.toString());
  for (const [name, value] of Object.entries(request.query ?? {})) {
    if (value !== undefined) url.searchParams.append(name, String(value));
  }
  return url;
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function positive(value: number, field: string, source: string): number {
  if (!Number.isFinite(value) || value < 0) {
    throw new ConfigError([{ field, message: 'must be a finite number >= 0', value }], source);
  }
  return value;
}

/**
 * The HTTP client every vendor adapter uses. Per host: a keep-alive connection pool (one undici Agent, which keeps a
 * Pool per origin), a token-bucket rate limit and a circuit breaker. Per call: a timeout on each attempt and retries
 * with exponential backoff and full jitter on 429, 5xx and transport failures, waiting exactly what a Retry-After asks.
 * Errors are HttpError/ValidationError (RrrError) whose messages name method, host, path and status; query strings
 * (where API keys and signatures travel) and headers never appear in messages or log lines.
 */
export class HttpClient {
  private readonly agent: Agent;
  private readonly limiter: RateLimiterMap;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly circuitListeners = new Set<(change: CircuitStateChange) => void>();
  private readonly metrics: HttpMetrics;
  private readonly logger: ApiLogger;
  private readonly clock: Clock;
  private readonly wait: (ms: number, signal?: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly retryOptions: HttpRetryOptions;
  private readonly breakerSettings: HttpBreakerOptions;
  private readonly timeoutMs: number;
  private readonly secrets: (string | undefined)[];
  private readonly userAgent: string;
  private closed = false;

  constructor(options: HttpClientOptions = {}) {
    const source = 'http client options';
    this.clock = options.clock ?? systemClock;
    this.limiter = new RateLimiterMap({
      limits: { ...DEFAULT_HOST_RATE_LIMITS, ...options.rateLimits },
      defaultLimit: options.defaultRateLimit ?? DEFAULT_RATE_LIMIT,
      clock: this.clock,
    });
    this.retryOptions = {
      retries: 3,
      baseDelayMs: 250,
      maxDelayMs: 10_000,
      maxRetryAfterMs: 60_000,
      ...options.retry,
    };
    positive(this.retryOptions.maxRetryAfterMs, 'retry.maxRetryAfterMs', source);
    this.breakerSettings = { failureThreshold: 5, resetTimeoutMs: 30_000, halfOpenMaxCalls: 1, ...options.breaker };
    this.timeoutMs = positive(options.timeoutMs ?? 10_000, 'timeoutMs', source);
    this.agent = new Agent({
      connections: options.pool?.connectionsPerOrigin ?? 10,
      keepAliveTimeout: options.pool?.keepAliveTimeoutMs ?? 30_000,
      // Our own per-attempt timeout governs; undici's defaults (300 s) would only mask it.
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    this.metrics = createHttpMetrics(options.metrics ?? createMetricsRegistry());
    this.logger = options.logger ?? silentApiLogger;
    this.wait = options.sleep ?? defaultSleep;
    this.random = options.random ?? Math.random;
    this.secrets = [...(options.secrets ?? [])];
    this.userAgent = options.userAgent ?? 'rrr-api-integration';
  }

  /** Adds credential values to scrub from vendor text (error bodies) before it is logged or kept in an error. */
  addSecrets(...secrets: (string | undefined)[]): void {
    this.secrets.push(...secrets);
  }

  /** State of the circuit guarding `host` (`api.polygon.io`, `127.0.0.1:3000`); closed for a host never called. */
  circuitState(host: string): CircuitState {
    return this.breakers.get(host)?.state ?? 'closed';
  }

  /** The breaker settings every host's circuit uses (defaults filled in). */
  get breakerOptions(): Readonly<HttpBreakerOptions> {
    return { ...this.breakerSettings };
  }

  circuitStats(host: string): CircuitBreakerStats | undefined {
    return this.breakers.get(host)?.stats();
  }

  /**
   * Subscribes to every host's circuit transitions (`change.name` is the host), whichever caller's traffic caused
   * them; returns the unsubscribe function.
   */
  onCircuitStateChange(listener: (change: CircuitStateChange) => void): () => void {
    this.circuitListeners.add(listener);
    return () => {
      this.circuitListeners.delete(listener);
    };
  }

  /** Requests queued behind `host`'s rate limit right now. */
  rateLimitWaiting(host: string): number {
    return this.limiter.bucket(host).waiting;
  }

  /**
   * Sends the request, retrying what can be retried. Resolves with the response when its status passes
   * (`passStatus`, default 2xx); otherwise rejects with HttpError.
   */
  async request(request: HttpRequest): Promise<HttpResponse> {
    if (this.closed) {
      const target = describeRequestTarget(request.method ?? 'GET', request.url);
      throw new RrrError('SERVICE_UNAVAILABLE', `${target}: the http client is closed`);
    }
    const url = resolveUrl(request);
    const method = request.method ?? 'GET';
    const idempotent = request.idempotent ?? IDEMPOTENT_METHODS.has(method);
    const { retries, baseDelayMs, maxDelayMs, maxRetryAfterMs } = this.retryOptions;
    try {
      return await retry((attempt) => this.attempt(url, method, request, attempt), {
        retries,
        baseDelayMs,
        maxDelayMs,
        jitter: 'full',
        random: this.random,
        sleep: this.wait,
        signal: request.signal,
        retryIf: (error) =>
          error instanceof HttpError &&
          error.retryable &&
          (idempotent || error.neverProcessed) &&
          (error.retryAfterMs === undefined || error.retryAfterMs <= maxRetryAfterMs),
        retryAfterMs: (error) => (error instanceof HttpError ? error.retryAfterMs : undefined),
        onRetry: ({ error, attempt, delayMs }) => {
          this.logger.warn(
            {
              method,
              url: redactUrl(url),
              attempt,
              delayMs,
              code: error instanceof HttpError ? error.code : undefined,
              status: error instanceof HttpError ? error.status : undefined,
            },
            'http attempt failed; retrying',
          );
        },
      });
    } catch (error) {
      if (error instanceof HttpError) {
        this.logger.warn(
          {
            method,
            url: redactUrl(url),
            code: error.code,
            status: error.status,
            attempts: retryAttemptsOf(error),
          },
          'http request failed',
        );
      }
      throw error;
    }
  }

  /** GET (or any method) and decode the JSON body; a body that does not match `decoder` is DATA_INVALID naming the field. */
  async requestJson<T>(request: HttpRequest, decoder: JsonDecoder<T>): Promise<T> {
    const response = await this.request(request);
    const url = resolveUrl(request);
    const target = describeRequestTarget(request.method ?? 'GET', url);
    try {
      return decodeJson(response.body, decoder, `${target} (HTTP ${response.status}) response`);
    } catch (error) {
      this.metrics.errors.inc({ host: url.host, code: (error as { code?: string }).code ?? 'DATA_INVALID' });
      this.logger.warn(
        { method: request.method ?? 'GET', url: redactUrl(url), error: (error as Error).message },
        'malformed payload',
      );
      throw error;
    }
  }

  /** Closes pooled connections; later requests are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.agent.close();
  }

  private breaker(host: string): CircuitBreaker {
    let breaker = this.breakers.get(host);
    if (breaker === undefined) {
      breaker = new CircuitBreaker({
        name: host,
        ...this.breakerSettings,
        clock: this.clock,
        // A 404 or a rejected signature is the caller's mistake, not the host's ill health; neither is a caller that
        // gave up or a programming error.
        isFailure: (error) => error instanceof HttpError && error.countsAsFailure,
      });
      breaker.onStateChange((change) => {
        const log = change.to === 'closed' ? this.logger.info : this.logger.warn;
        log.call(this.logger, { host, from: change.from, to: change.to, at: change.at }, 'http circuit state change');
        for (const listener of this.circuitListeners) listener(change);
      });
      this.breakers.set(host, breaker);
    }
    return breaker;
  }

  private async attempt(url: URL, method: HttpMethod, request: HttpRequest, attempt: number): Promise<HttpResponse> {
    const host = url.host;
    try {
      return await this.breaker(host).execute(async () => {
        await this.limiter.take(rateLimitKeyForUrl(url), 1, request.signal);
        return this.send(url, method, request, attempt);
      });
    } catch (error) {
      if (error instanceof CircuitOpenError) {
        const details = error.details as { retryAt?: number } | undefined;
        const open = new HttpError({
          kind: 'circuit-open',
          method,
          host,
          path: url.pathname,
          retryAt: details?.retryAt ?? this.clock.now(),
          cause: error,
        });
        this.metrics.errors.inc({ host, code: open.code });
        throw open;
      }
      throw error;
    }
  }

  private async send(url: URL, method: HttpMethod, request: HttpRequest, attempt: number): Promise<HttpResponse> {
    const host = url.host;
    const path = url.pathname;
    const timeoutMs = request.timeoutMs ?? this.timeoutMs;
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = request.signal ? AbortSignal.any([request.signal, timeout.signal]) : timeout.signal;
    const started = performance.now();
    let status: number | undefined;
    try {
      const response = await this.agent.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method,
        headers: { 'user-agent': this.userAgent, ...request.headers },
        body: request.body,
        signal,
      });
      status = response.statusCode;
      const headers = flattenHeaders(response.headers);
      const body = await response.body.text();
      const statusText = STATUS_TEXT[status] ?? '';
      this.logger.debug({ method, url: redactUrl(url), status, attempt }, 'http response');
      const passes = (request.passStatus ?? isSuccess)(status);
      if (passes && status !== 429 && status < 500) return { status, statusText, headers, body, attempts: attempt };
      const error = new HttpError({
        kind: 'status',
        method,
        host,
        path,
        status,
        statusText,
        retryAfterMs: parseRetryAfterMs(headers['retry-after'], this.clock.now()),
        bodySnippet: redactSecrets(body.slice(0, BODY_SNIPPET_CHARS), this.secrets),
      });
      this.metrics.errors.inc({ host, code: error.code });
      throw error;
    } catch (error) {
      if (error instanceof HttpError) throw error;
      // The caller giving up is not the host's fault and not ours to translate.
      if (request.signal?.aborted) throw request.signal.reason;
      const networkCode = networkErrorCode(error);
      // Anything else (a malformed header, an invalid URL) is a programming error: retrying cannot fix it.
      if (!timeout.signal.aborted && networkCode === undefined) throw error;
      const failure = timeout.signal.aborted
        ? new HttpError({ kind: 'timeout', method, host, path, timeoutMs, cause: error })
        : new HttpError({ kind: 'network', method, host, path, networkCode, cause: error });
      this.metrics.errors.inc({ host, code: failure.code });
      throw failure;
    } finally {
      clearTimeout(timer);
      this.metrics.requests.inc({ host, method, status: status === undefined ? 'none' : String(status) });
      this.metrics.duration.observe({ host, method }, (performance.now() - started) / 1000);
    }
  }
}
