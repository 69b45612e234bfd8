import {
  childLogger,
  createMetricsRegistry,
  ServiceRegistry,
  type MetricsRegistry,
  type PlatformConfig,
  type RrrLogger,
} from '@rrr/core';
import { createDataPipelineService } from '@rrr/data-pipeline';
import { createMonitoringService } from '@rrr/monitoring';
import { createNeuralNetworkService } from '@rrr/neural-network';
import { createTradingEngineService, SmaCrossStrategy, type TradingEngineService } from '@rrr/trading-engine';
import { createApiServer } from '../api/create-api-server';
import { createApiService, type ApiService } from '../api/api-service';
import { ApiKeyStore, type ApiSecurityOverrides } from '../security';
import type { WsGatewayOptions } from '../ws';
import { createDatabaseService, type DatabaseService } from './database-service';
import { createEventBusService, type EventBusService } from './event-bus-service';

export interface Platform {
  readonly registry: ServiceRegistry;
  readonly metrics: MetricsRegistry;
  /** The API's bound URL (after start). */
  url(): string;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Settings that have no config key (yet): tests and benchmarks tune the API's limits and timings here. */
export interface PlatformOptions {
  api?: { security?: ApiSecurityOverrides; ws?: Partial<WsGatewayOptions> };
}

/**
 * The composition root: builds every service from config and registers it with its declared dependencies, so the
 * registry starts them in the order the project graph implies and stops them in reverse.
 */
export function createPlatform(config: PlatformConfig, logger: RrrLogger, options: PlatformOptions = {}): Platform {
  const metrics = createMetricsRegistry({ collectDefault: true });
  // Pairs (BTC-USD, ETH-USD…) get the seeded live feed and the default paper strategy; tickers are daily history.
  const liveSymbols = config.data.symbols.filter((symbol) => /[-/]/.test(symbol));
  let eventBus: EventBusService | undefined;
  const registry = new ServiceRegistry({
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
  registry.register(
    'monitoring',
    (ctx) =>
      createMonitoringService({
        db: ctx.dependency<DatabaseService>('database').db,
        bus: ctx.dependency<EventBusService>('event-bus').bus,
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
          db: ctx.dependency<DatabaseService>('database').db,
          bus: ctx.dependency<EventBusService>('event-bus').bus,
          metrics,
          logger: childLogger(logger, 'data-pipeline'),
        },
        // The bundled real daily data is loaded once (idempotent); crypto pairs get the seeded live feed.
        { ...config.data, loadBundled: true, live: { enabled: true, symbols: liveSymbols } },
      ),
    ['database', 'event-bus'],
  );
  registry.register(
    'neural-network',
    (ctx) =>
      createNeuralNetworkService(
        {
          db: ctx.dependency<DatabaseService>('database').db,
          bus: ctx.dependency<EventBusService>('event-bus').bus,
          metrics,
          logger: childLogger(logger, 'neural-network'),
        },
        // Serves every active model (`rrr model train` activates the new version): predictions and signals per bar.
        { modelsDir: config.models.dir },
      ),
    ['database', 'event-bus'],
  );
  let trading: TradingEngineService | undefined;
  registry.register(
    'trading-engine',
    (ctx) => {
      trading = createTradingEngineService(
        {
          db: ctx.dependency<DatabaseService>('database').db,
          bus: ctx.dependency<EventBusService>('event-bus').bus,
          metrics,
          logger: childLogger(logger, 'trading-engine'),
          // The default paper strategy: the legacy SMA 20/50 cross on the live crypto feed (its first signal comes
          // after 50 one-minute bars of warm-up).
          strategies: [new SmaCrossStrategy({ fast: 20, slow: 50, symbols: liveSymbols })],
        },
        { symbols: config.data.symbols, paper: config.paper, risk: config.risk },
      );
      return trading;
    },
    ['database', 'event-bus'],
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
          apiKeys: new ApiKeyStore(ctx.dependency<DatabaseService>('database').db),
          bus: ctx.dependency<EventBusService>('event-bus').bus,
          // WebSocket orders go through the same OMS and pre-trade risk as every other order.
          placeOrder: (request) => ctx.dependency<TradingEngineService>('trading-engine').submitOrder(request),
          security: { corsOrigins: config.server.corsOrigins, ...options.api?.security },
          ws: options.api?.ws,
        }),
        config.server,
      );
      return api;
    },
    ['database', 'event-bus', 'trading-engine'],
  );

  return {
    registry,
    metrics,
    url: () => api?.url ?? '',
    start: () => registry.startAll(),
    stop: () => registry.stopAll(),
  };
}
