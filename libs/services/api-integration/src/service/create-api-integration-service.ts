import {
  errorMessage,
  RrrError,
  sleep,
  systemClock,
  withTimeout,
  type CircuitState,
  type CircuitStateChange,
  type Clock,
  type EventBus,
  type HealthReport,
  type MetricsRegistry,
  type PlatformTopics,
  type RiskAlert,
  type Service,
} from '@rrr/core';
import { createExchangeClient } from '../exchange/create-exchange-client';
import { EXCHANGE_CREDENTIAL_ENV, readExchangeCredentials, type ExchangeId } from '../exchange/exchange-credentials';
import type { ExchangeClient } from '../exchange/exchange-client';
import { silentApiLogger, type ApiLogger } from '../http/api-logger';
import { HttpClient } from '../http/http-client';
import { POLYGON_REST_URL, PolygonRestClient } from '../polygon/polygon-rest-client';
import {
  credentialEnv,
  resolveApiIntegrationConfig,
  type ApiIntegrationConfig,
  type ApiIntegrationConfigInput,
} from './api-integration-config';

export interface ApiIntegrationServiceDeps {
  /** Circuit transitions go out as `risk.alert` events, which the monitoring service routes to its notifiers. */
  bus: Pick<EventBus<PlatformTopics>, 'publish'>;
  /** Where the rrr_http_* metrics go. */
  metrics?: MetricsRegistry;
  logger?: ApiLogger;
  /** Drives the circuit breakers (a ManualClock lets tests reach the half-open probe without waiting). */
  clock?: Clock;
}

export type ApiClientKind = 'exchange' | 'data-vendor';

export interface ApiClientProbe {
  ok: boolean;
  /** Epoch ms when the probe finished. */
  at: number;
  latencyMs: number;
  error?: { code: string; message: string };
}

/** One client as the health report and `clients()` show it. */
export interface ApiClientStatus {
  name: ExchangeId | 'polygon';
  kind: ApiClientKind;
  /** The host its circuit breaker guards, e.g. `api.binance.com`. */
  host: string;
  /** Whether credentials were found (private calls need them); never their values. */
  credentials: boolean;
  circuit: CircuitState;
  consecutiveFailures: number;
  /** Null until the first probe has finished. */
  lastProbe: ApiClientProbe | null;
}

export interface ApiIntegrationService extends Service {
  /** What is connected and how it is watched; holds no credentials. */
  readonly config: ApiIntegrationConfig;
  /** The HttpClient every client shares (one pool, rate limit and breaker per host); refused while stopped. */
  http(): HttpClient;
  /** The client of a connected exchange; SERVICE_UNAVAILABLE naming the variables to set when it is not connected. */
  exchange(id: ExchangeId): ExchangeClient;
  exchanges(): ExchangeClient[];
  /** The Polygon REST client; SERVICE_UNAVAILABLE when POLYGON_API_KEY is not set. */
  polygon(): PolygonRestClient;
  /** Every client's breaker state and last probe. */
  clients(): ApiClientStatus[];
  /** Probes every client now (joining a round already under way) and returns their states afterwards. */
  probe(): Promise<ApiClientStatus[]>;
  /** Up when every circuit is closed and every last probe passed, degraded otherwise; up and idle with no clients. */
  health(): HealthReport;
  /** Resolves once every alert published so far has been handed to the bus. */
  settle(): Promise<void>;
}

interface WatchedClient {
  name: ExchangeId | 'polygon';
  kind: ApiClientKind;
  host: string;
  credentials: boolean;
  /** One cheap request through the shared HttpClient. */
  probe(signal: AbortSignal): Promise<void>;
  close(): Promise<void>;
  lastProbe: ApiClientProbe | null;
}

interface Running {
  http: HttpClient;
  exchanges: Map<ExchangeId, ExchangeClient>;
  polygon: PolygonRestClient | undefined;
  watched: WatchedClient[];
  stopping: AbortController;
  unsubscribe: () => void;
  loop: Promise<void>;
}

const DAY_MS = 86_400_000;

const IDLE_REASON =
  'no exchange or data vendor configured: set BINANCE_API_KEY and BINANCE_SECRET, COINBASE_API_KEY and ' +
  'COINBASE_SECRET, or POLYGON_API_KEY';

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function describeError(error: unknown): { code: string; message: string } {
  if (error instanceof RrrError) return { code: error.code, message: error.message };
  return { code: 'INTERNAL', message: errorMessage(error) };
}

/**
 * The api-integration service: builds the configured exchange clients (ccxt Binance / Coinbase) and the Polygon REST
 * client on one shared HttpClient, hands them to other services, and watches their connectivity. A round of cheap
 * probes (exchange server time, Polygon's latest daily aggregate) runs at start and then every `probe.intervalMs`, so
 * a host's circuit breaker opens even when nobody else is calling it, and its half-open trial happens once the reset
 * timeout has passed. A circuit opening, whoever's traffic opened it, is published as a critical `risk.alert`
 * (`api-connectivity-<client>`); its closing again as an info one. With nothing configured the service is up and idle.
 */
export function createApiIntegrationService(
  deps: ApiIntegrationServiceDeps,
  configInput: ApiIntegrationConfigInput = {},
): ApiIntegrationService {
  const config = resolveApiIntegrationConfig(configInput);
  // Kept apart from `config`, which may be logged or shown.
  const env = credentialEnv(configInput.secrets ?? {});
  const polygonKey = configInput.secrets?.polygonApiKey;
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger ?? silentApiLogger;
  const pendingAlerts = new Set<Promise<void>>();
  let running: Running | undefined;
  let round: Promise<ApiClientStatus[]> | undefined;
  let alertSeq = 0;

  function requireRunning(what: string): Running {
    if (running === undefined) throw new RrrError('SERVICE_UNAVAILABLE', `api-integration is not running: ${what}`);
    return running;
  }

  function statusOf(state: Running, client: WatchedClient): ApiClientStatus {
    const stats = state.http.circuitStats(client.host);
    return {
      name: client.name,
      kind: client.kind,
      host: client.host,
      credentials: client.credentials,
      circuit: stats?.state ?? 'closed',
      consecutiveFailures: stats?.consecutiveFailures ?? 0,
      lastProbe: client.lastProbe,
    };
  }

  function publishAlert(state: Running, client: WatchedClient, change: CircuitStateChange): void {
    const opened = change.to === 'open';
    const threshold = state.http.breakerOptions.failureThreshold;
    const failures = state.http.circuitStats(client.host)?.consecutiveFailures ?? threshold;
    alertSeq += 1;
    const alert: RiskAlert = {
      id: `api-integration-${change.at}-${alertSeq}`,
      ts: change.at,
      rule: `api-connectivity-${client.name}`,
      severity: opened ? 'critical' : 'info',
      message: opened
        ? `${client.name} (${client.host}) unreachable: circuit opened after ${failures} consecutive failed requests; ` +
          'calls fail fast until a probe gets through'
        : `${client.name} (${client.host}) reachable again: circuit closed`,
      value: opened ? failures : 0,
      limit: threshold,
    };
    const log = opened ? logger.warn : logger.info;
    log.call(logger, { client: client.name, host: client.host, from: change.from, to: change.to }, alert.message);
    const delivery = deps.bus.publish('risk.alert', alert).catch((error: unknown) => {
      logger.error({ client: client.name, error: describeError(error).message }, 'connectivity alert not published');
    });
    pendingAlerts.add(delivery);
    void delivery.finally(() => pendingAlerts.delete(delivery));
  }

  /** Alerts once per outage: closed → open, then open → closed; half-open trials in between stay quiet. */
  function watchCircuits(state: Running): () => void {
    const unhealthy = new Set<string>();
    return state.http.onCircuitStateChange((change) => {
      const isUnhealthy = change.to !== 'closed';
      if (isUnhealthy === unhealthy.has(change.name)) return;
      if (isUnhealthy) unhealthy.add(change.name);
      else unhealthy.delete(change.name);
      for (const client of state.watched) if (client.host === change.name) publishAlert(state, client, change);
    });
  }

  async function probeClient(state: Running, client: WatchedClient): Promise<void> {
    const started = performance.now();
    try {
      await withTimeout(
        (signal) => client.probe(AbortSignal.any([signal, state.stopping.signal])),
        config.probe.timeoutMs,
        `${client.name} connectivity probe`,
      );
      client.lastProbe = { ok: true, at: clock.now(), latencyMs: performance.now() - started };
    } catch (error) {
      const described = describeError(error);
      client.lastProbe = { ok: false, at: clock.now(), latencyMs: performance.now() - started, error: described };
      if (!state.stopping.signal.aborted) {
        logger.warn({ client: client.name, host: client.host, ...described }, 'connectivity probe failed');
      }
    }
  }

  function probeRound(state: Running): Promise<ApiClientStatus[]> {
    round ??= Promise.all(state.watched.map((client) => probeClient(state, client)))
      .then(() => state.watched.map((client) => statusOf(state, client)))
      .finally(() => {
        round = undefined;
      });
    return round;
  }

  async function probeLoop(state: Running): Promise<void> {
    const signal = state.stopping.signal;
    while (!signal.aborted) {
      await probeRound(state);
      await sleep(config.probe.intervalMs, signal).catch(() => undefined);
    }
  }

  function build(): Running {
    const stopping = new AbortController();
    const http = new HttpClient({
      ...config.http,
      metrics: deps.metrics,
      logger,
      clock,
      // Backoff waits end at once on stop, so stopping never sits out a retry delay.
      sleep: (ms, signal) =>
        sleep(ms, signal === undefined ? stopping.signal : AbortSignal.any([signal, stopping.signal])),
    });
    const exchanges = new Map<ExchangeId, ExchangeClient>();
    const watched: WatchedClient[] = [];
    for (const { exchange, urls } of config.exchanges) {
      const client = createExchangeClient({ exchange, env, urls, http, logger, clock });
      exchanges.set(exchange, client);
      watched.push({
        name: exchange,
        kind: 'exchange',
        host: new URL(client.describe().restUrl).host,
        credentials: readExchangeCredentials(exchange, env) !== undefined,
        probe: async () => {
          await client.fetchTime();
        },
        close: () => client.close(),
        lastProbe: null,
      });
    }
    let polygon: PolygonRestClient | undefined;
    if (config.polygon !== undefined && polygonKey !== undefined) {
      const { baseUrl, probeTicker } = config.polygon;
      const client = new PolygonRestClient({ apiKey: polygonKey, baseUrl, http, logger });
      polygon = client;
      watched.push({
        name: 'polygon',
        kind: 'data-vendor',
        host: new URL(baseUrl ?? POLYGON_REST_URL).host,
        credentials: true,
        probe: async (signal) => {
          const now = clock.now();
          const pages = client.aggregates({
            ticker: probeTicker,
            timespan: 'day',
            from: isoDate(now - 3 * DAY_MS),
            to: isoDate(now),
            limit: 1,
            signal,
          });
          try {
            await pages.next();
          } finally {
            await pages.return(undefined);
          }
        },
        close: () => client.close(),
        lastProbe: null,
      });
    }
    const state: Running = {
      http,
      exchanges,
      polygon,
      watched,
      stopping,
      unsubscribe: () => undefined,
      loop: Promise.resolve(),
    };
    state.unsubscribe = watchCircuits(state);
    return state;
  }

  async function settle(): Promise<void> {
    while (pendingAlerts.size > 0) await Promise.allSettled([...pendingAlerts]);
  }

  return {
    config,

    async start() {
      if (running !== undefined) return;
      const state = build();
      running = state;
      if (state.watched.length === 0) {
        logger.info({}, IDLE_REASON);
        return;
      }
      logger.info(
        { clients: state.watched.map((c) => `${c.name} (${c.host})`), probeIntervalMs: config.probe.intervalMs },
        'api clients connected; probing connectivity',
      );
      // Not awaited: an unreachable vendor must not hold up the platform's start.
      state.loop = probeLoop(state);
    },

    async stop() {
      const state = running;
      if (state === undefined) return;
      running = undefined;
      state.stopping.abort(new RrrError('SERVICE_UNAVAILABLE', 'api-integration is stopping'));
      await state.loop;
      await round?.catch(() => undefined);
      state.unsubscribe();
      await Promise.allSettled(state.watched.map((client) => client.close()));
      await state.http.close();
      await settle();
    },

    http() {
      return requireRunning('no http client').http;
    },

    exchange(id) {
      const client = requireRunning(`no ${id} client`).exchanges.get(id);
      if (client === undefined) {
        const names = EXCHANGE_CREDENTIAL_ENV[id];
        const hint = names === undefined ? '' : `; set ${names.apiKey} and ${names.secret}`;
        throw new RrrError('SERVICE_UNAVAILABLE', `exchange ${id} is not connected${hint}`);
      }
      return client;
    },

    exchanges() {
      return [...requireRunning('no exchange clients').exchanges.values()];
    },

    polygon() {
      const client = requireRunning('no polygon client').polygon;
      if (client === undefined) {
        throw new RrrError('SERVICE_UNAVAILABLE', 'polygon is not connected; set POLYGON_API_KEY');
      }
      return client;
    },

    clients() {
      const state = running;
      return state === undefined ? [] : state.watched.map((client) => statusOf(state, client));
    },

    probe() {
      return probeRound(requireRunning('cannot probe'));
    },

    health(): HealthReport {
      const state = running;
      if (state === undefined) return { status: 'down', details: { reason: 'stopped' } };
      if (state.watched.length === 0)
        return { status: 'up', details: { idle: true, clients: {}, reason: IDLE_REASON } };
      const clients = state.watched.map((client) => statusOf(state, client));
      const problems = clients.flatMap((c) => {
        if (c.circuit !== 'closed') return [`${c.name}: circuit ${c.circuit}`];
        if (c.lastProbe?.ok === false) return [`${c.name}: last probe failed (${c.lastProbe.error?.code})`];
        return [];
      });
      return {
        status: problems.length > 0 ? 'degraded' : 'up',
        details: {
          idle: false,
          clients: Object.fromEntries(clients.map((c) => [c.name, c])),
          probeIntervalMs: config.probe.intervalMs,
          ...(problems.length > 0 ? { reason: problems.join('; ') } : {}),
        },
      };
    },

    settle,
  };
}
