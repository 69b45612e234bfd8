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
import { createApiServer } from '../api/create-api-server';
import { createApiService, type ApiService } from '../api/api-service';
import { ApiKeyStore, type ApiSecurityOverrides } from '../security';
import { placeOrderUnavailable, type WsGatewayOptions } from '../ws';
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
        { ...config.data, loadBundled: true, live: { enabled: true } },
      ),
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
          // No trading engine is wired in yet: WebSocket orders are refused with SERVICE_UNAVAILABLE until it is.
          placeOrder: placeOrderUnavailable,
          security: { corsOrigins: config.server.corsOrigins, ...options.api?.security },
          ws: options.api?.ws,
        }),
        config.server,
      );
      return api;
    },
    ['database', 'event-bus'],
  );

  return {
    registry,
    metrics,
    url: () => api?.url ?? '',
    start: () => registry.startAll(),
    stop: () => registry.stopAll(),
  };
}
