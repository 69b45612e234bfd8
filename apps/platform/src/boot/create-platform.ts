import {
  childLogger,
  ConfigError,
  createMetricsRegistry,
  ServiceRegistry,
  type Interval,
  type MetricsRegistry,
  type PlatformConfig,
  type RrrLogger,
  type Service,
  type ServiceContext,
} from '@rrr/core';
import {
  createApiIntegrationService,
  credentialEnv,
  type ApiIntegrationConfigInput,
  type ApiIntegrationService,
} from '@rrr/api-integration';
import { createBacktestingService, type BacktestingService } from '@rrr/backtesting';
import { createDataPipelineService, type LiveFeedConfig } from '@rrr/data-pipeline';
import { createMonitoringService } from '@rrr/monitoring';
import { createNeuralNetworkService, ModelRegistry, type NeuralNetworkService } from '@rrr/neural-network';
import { createQuantumOptimizationService, type QuantumOptimizationService } from '@rrr/quantum-optimization';
import { createRiskManagementService, type RiskManagementService } from '@rrr/risk-management';
import {
  CcxtLiveAdapter,
  createTradingEngineService,
  SmaCrossStrategy,
  type TradingEngineService,
} from '@rrr/trading-engine';
import { createApiServer } from '../api/create-api-server';
import { createApiService, type ApiService } from '../api/api-service';
import { ApiKeyStore, type ApiSecurityOverrides } from '../security';
import { placeOrderUnavailable, type WsGatewayOptions } from '../ws';
import { acceleratedClock } from './accelerated-clock';
import { createDatabaseService, type DatabaseService } from './database-service';
import { createEventBusService, type EventBusService } from './event-bus-service';
import { createSignalRecorderService } from './signal-recorder-service';
import { SelectiveServiceRegistry } from './selective-service-registry';

export interface Platform {
  readonly registry: ServiceRegistry;
  readonly metrics: MetricsRegistry;
  /** The API's bound URL (after start). */
  url(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** The bars the live feed builds and the live strategies trade on (and warm up from when stored). */
const LIVE_INTERVAL: Interval = '1m';

/** Settings that have no config key (yet): tests and benchmarks tune the API's limits and timings here. */
export interface PlatformOptions {
  api?: { security?: ApiSecurityOverrides; ws?: Partial<WsGatewayOptions> };
  /** Exchanges to connect beyond those with credentials (or at other origins), probe timing, HTTP retries/breaker. */
  apiIntegration?: Omit<ApiIntegrationConfigInput, 'secrets'>;
  /** The synthetic live feed's pace (e.g. a short `tickMs` so end-to-end tests see trades and fills within seconds). */
  liveFeed?: Pick<LiveFeedConfig, 'tickMs'>;
}

/**
 * The composition root: builds every service from config and registers it with its declared dependencies, so the
 * registry starts them in the order the project graph implies and stops them in reverse.
 */
export function createPlatform(config: PlatformConfig, logger: RrrLogger, options: PlatformOptions = {}): Platform {
  const metrics = createMetricsRegistry({ collectDefault: true });
  // Pairs (BTC-USD, ETH-USD…) get the seeded live feed and the default paper strategy; tickers are daily history.
  const liveSymbols = config.data.symbols.filter((symbol) => /[-/]/.test(symbol));
  // One market clock for the live feed and the engine trading on it: at data.liveSpeed > 1 both run ahead of the wall
  // clock together, so signals, orders and fills carry the time of the bars they follow.
  const marketClock = acceleratedClock(config.data.liveSpeed);
  // The exchange the live pairs' data comes from (public trades and candles through api-integration), if not synthetic.
  const liveExchange = config.data.liveSource === 'synthetic' ? undefined : config.data.liveSource;
  // The exchange the engine's orders go to (real orders: the config demands trading.live and this exchange's prices
  // as the live source); undefined: the paper exchange.
  const liveVenue = config.trading.venue === 'paper' ? undefined : config.trading.venue;
  const requiredExchanges = [...new Set([liveExchange, liveVenue])].filter((id) => id !== undefined);
  // The account's starting cash, one figure for the engine's ledger and for the equity risk measures its limits
  // against: the paper account's, or the share of the exchange account the engine may trade (the config requires
  // trading.capital with an exchange venue).
  const initialCash = liveVenue === undefined ? config.paper.initialCash : tradingCapital(config);
  let eventBus: EventBusService | undefined;
  // Only the services config `services` names (plus database and event bus) run in this process.
  const registry = new SelectiveServiceRegistry(config.services, {
    // The registry's log lines carry `service: <name>` themselves.
    logger,
    restart: { maxRestarts: 5, baseDelayMs: 500, maxDelayMs: 30_000 },
    // Status events go on the bus once it runs; the bus's own start is logged, not published.
    bus: {
      publish: async (topic, payload) => {
        const running = registry.status().find((s) => s.name === 'event-bus')?.state === 'running';
        if (running && eventBus) await eventBus.bus.publish(topic, payload);
      },
    },
  });

  const db = (ctx: ServiceContext) => ctx.dependency<DatabaseService>('database').db;
  const bus = (ctx: ServiceContext) => ctx.dependency<EventBusService>('event-bus').bus;
  // A service another one can do without when this process does not run it (scale-out).
  const ifRunning = <S extends Service>(ctx: ServiceContext, name: string) =>
    registry.runs(name) ? ctx.dependency<S>(name) : undefined;

  registry.register('database', () =>
    createDatabaseService(config.database, (err) =>
      childLogger(logger, 'database').warn({ err }, 'idle database connection failed'),
    ),
  );
  registry.register('event-bus', () => {
    eventBus = createEventBusService(config.bus, (err, info) =>
      childLogger(logger, 'event-bus').error({ err, ...info }, 'event handler failed'),
    );
    return eventBus;
  });
  // Registered before the services that publish signals, so it is subscribed first among its start level.
  registry.register(
    'signal-recorder',
    (ctx) =>
      createSignalRecorderService({
        db: db(ctx),
        bus: bus(ctx),
        logger: childLogger(logger, 'signal-recorder'),
      }),
    ['database', 'event-bus'],
  );
  registry.register(
    'api-integration',
    (ctx) =>
      createApiIntegrationService(
        {
          bus: bus(ctx),
          metrics,
          logger: childLogger(logger, 'api-integration'),
        },
        // Credentials come from the secrets section, which loadConfig fills from the environment only; the live
        // source's exchange is connected for its public data even without them, the venue for the engine's orders.
        {
          ...options.apiIntegration,
          ...(requiredExchanges.length === 0 ? {} : { required: requiredExchanges }),
          secrets: config.secrets,
        },
      ),
    ['event-bus'],
  );
  registry.register(
    'monitoring',
    (ctx) =>
      createMonitoringService({
        db: db(ctx),
        bus: bus(ctx),
        metrics,
        registry,
        logger: childLogger(logger, 'monitoring'),
      }),
    ['database', 'event-bus'],
  );
  registry.register(
    'data-pipeline',
    (ctx) =>
      createDataPipelineService(
        {
          db: db(ctx),
          bus: bus(ctx),
          metrics,
          logger: childLogger(logger, 'data-pipeline'),
          clock: marketClock,
        },
        // The bundled real daily data is loaded once (idempotent); the pairs get the live feed: the seeded synthetic
        // market, or the live source exchange's trades through api-integration's client.
        {
          ...config.data,
          loadBundled: true,
          live: {
            tickMs: config.data.liveTickMs,
            ...options.liveFeed,
            enabled: true,
            symbols: liveSymbols,
            interval: LIVE_INTERVAL,
            historyBars: config.data.liveHistoryBars,
            ...(liveExchange === undefined
              ? {}
              : { exchange: ctx.dependency<ApiIntegrationService>('api-integration').exchange(liveExchange) }),
          },
        },
      ),
    liveExchange === undefined ? ['database', 'event-bus'] : ['database', 'event-bus', 'api-integration'],
  );
  registry.register(
    'neural-network',
    (ctx) =>
      createNeuralNetworkService(
        {
          db: db(ctx),
          bus: bus(ctx),
          metrics,
          logger: childLogger(logger, 'neural-network'),
        },
        // Serves every active model, following ml_models as models are activated, replaced or retired (by the API's
        // training jobs, `rrr model train` or another process): predictions and signals per bar. Training jobs run on
        // worker threads, each with its own connection to this database.
        { modelsDir: config.models.dir, training: { database: config.database } },
      ),
    ['database', 'event-bus'],
  );
  registry.register(
    'risk-management',
    (ctx) =>
      createRiskManagementService(
        {
          db: db(ctx),
          bus: bus(ctx),
          logger: childLogger(logger, 'risk-management'),
        },
        { limits: config.risk, symbols: config.data.symbols, initialCash },
      ),
    ['database', 'event-bus'],
  );
  let trading: TradingEngineService | undefined;
  registry.register(
    'trading-engine',
    (ctx) => {
      const risk = ctx.dependency<RiskManagementService>('risk-management');
      trading = createTradingEngineService(
        {
          db: db(ctx),
          bus: bus(ctx),
          metrics,
          logger: childLogger(logger, 'trading-engine'),
          clock: marketClock,
          // Every order passes the risk service's pre-trade check, its circuit breaker and kill switch included.
          risk: risk.preTradeCheck,
          // The default paper strategy: the legacy SMA 20/50 cross on the live crypto feed. Its warm-up of 50
          // one-minute bars comes from the stored bars (the feed's history, or its bars from before a restart).
          strategies: [new SmaCrossStrategy({ fast: 20, slow: 50, symbols: liveSymbols })],
          // A failed write stops the engine; the registry's restart rebuilds it from the database.
          onFailure: (error) => ctx.reportFailure(error),
          // A live venue trades through api-integration's shared client (one rate limit, breaker and probe per host),
          // which the adapter leaves open when it stops; it checks the same credentials that client signs with, and
          // that the account holds the capital free before the first order.
          ...(liveVenue === undefined
            ? {}
            : {
                exchange: new CcxtLiveAdapter({
                  exchange: liveVenue,
                  live: config.trading.live,
                  env: credentialEnv(config.secrets),
                  clock: marketClock,
                  client: ctx.dependency<ApiIntegrationService>('api-integration').exchange(liveVenue),
                  logger: childLogger(logger, 'trading-engine'),
                }),
              }),
        },
        {
          symbols: config.data.symbols,
          paper: config.paper,
          initialCash,
          risk: config.risk,
          warmUpInterval: LIVE_INTERVAL,
        },
      );
      // The kill switch acts through this engine's OMS: risk-management cannot import the trading engine. Read at
      // each call, since a restart after a failure replaces the engine.
      const service = trading;
      risk.attachKillSwitchExecutor({
        book: () => service.engine.oms.riskSnapshot(Date.now()) ?? { positions: [], openOrders: [] },
        execute: (actions) => service.engine.oms.executeRiskActions(actions),
      });
      return trading;
    },
    ['database', 'event-bus', 'risk-management', ...(liveVenue === undefined ? [] : ['api-integration'])],
  );
  registry.register(
    'backtesting',
    (ctx) =>
      createBacktestingService(
        { db: db(ctx), logger: childLogger(logger, 'backtesting') },
        // Jobs from the API: the same defaults and risk limits as `rrr backtest`, one replay at a time.
        { backtest: config.backtest, riskLimits: config.risk },
      ),
    ['database'],
  );
  registry.register(
    'quantum-optimization',
    (ctx) =>
      createQuantumOptimizationService({
        db: db(ctx),
        logger: childLogger(logger, 'quantum-optimization'),
      }),
    ['database'],
  );
  let api: ApiService | undefined;
  registry.register(
    'api',
    (ctx) => {
      api = createApiService(
        createApiServer({
          logger: childLogger(logger, 'api'),
          metrics,
          health: registry,
          apiKeys: new ApiKeyStore(db(ctx)),
          bus: bus(ctx),
          // WebSocket orders go through the same OMS and pre-trade risk as every other order.
          placeOrder: registry.runs('trading-engine')
            ? (request) => ctx.dependency<TradingEngineService>('trading-engine').submitOrder(request)
            : placeOrderUnavailable,
          trading: ifRunning<TradingEngineService>(ctx, 'trading-engine'),
          risk: ifRunning<RiskManagementService>(ctx, 'risk-management'),
          db: db(ctx),
          backtesting: ifRunning<BacktestingService>(ctx, 'backtesting'),
          optimizations: ifRunning<QuantumOptimizationService>(ctx, 'quantum-optimization'),
          models: {
            registry: new ModelRegistry({ db: db(ctx), modelsDir: config.models.dir }),
            training: ifRunning<NeuralNetworkService>(ctx, 'neural-network')?.training,
          },
          services: { registry, self: 'api' },
          security: { corsOrigins: config.server.corsOrigins, ...options.api?.security },
          ws: options.api?.ws,
        }),
        config.server,
      );
      return api;
    },
    // Route sources are optional: a scaled-out API process serves what runs next to it.
    [
      'database',
      'event-bus',
      ...registry.present([
        'trading-engine',
        'risk-management',
        'backtesting',
        'quantum-optimization',
        'neural-network',
      ]),
    ],
  );
  registry.checkSelection(config.services);

  return {
    registry,
    metrics,
    url: () => api?.url ?? '',
    start: () => registry.startAll(),
    stop: () => registry.stopAll(),
  };
}

/** trading.capital, which the config schema requires with an exchange venue: a config built around it stops here. */
function tradingCapital(config: PlatformConfig): number {
  const capital = config.trading.capital;
  if (capital === undefined) {
    throw new ConfigError(
      [
        {
          field: 'trading.capital',
          message: `is required when trading.venue is an exchange (${config.trading.venue})`,
        },
      ],
      'configuration',
    );
  }
  return capital;
}
