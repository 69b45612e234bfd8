import type { Clock, EventBus, MetricsRegistry, RrrLogger } from '@rrr/core';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { apiSecurityPlugin, resolveApiSecurityOptions, type ApiKeyStore, type ApiSecurityOverrides } from '../security';
import {
  resolveWsGatewayOptions,
  WsGateway,
  wsGatewayFastifyPlugin,
  type PlaceOrder,
  type WsGatewayOptions,
} from '../ws';
import { installErrorHandler } from './error-handler';
import { registerHealthRoutes, type HealthSource } from './routes/health-routes';
import { registerMetricsRoutes } from './routes/metrics-routes';

export interface ApiServerDeps {
  logger: RrrLogger;
  metrics: MetricsRegistry;
  health: HealthSource;
  /** API keys checked on mutating routes and WebSocket `auth` frames. */
  apiKeys: ApiKeyStore;
  /** The bus the WebSocket gateway relays to its clients. */
  bus: EventBus;
  /** Where authenticated WebSocket orders go (`placeOrderUnavailable` while no trading engine runs). */
  placeOrder: PlaceOrder;
  security?: ApiSecurityOverrides;
  ws?: Partial<WsGatewayOptions>;
  clock?: Clock;
}

/** The REST API: routes registered here, started and stopped by the api service. */
export function createApiServer(deps: ApiServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Request latency goes to the rrr_api_request_duration_seconds histogram; a log line per request would be noise.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
  });
  const requests = deps.metrics.histogram({
    name: 'rrr_api_request_duration_seconds',
    help: 'API request latency by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5],
  });
  app.addHook('onResponse', async (request, reply) => {
    requests.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });
  installErrorHandler(app);
  // Security first: its hooks cover every route, the 404 handler and the WebSocket upgrade.
  const security = resolveApiSecurityOptions(deps.security);
  app.register(apiSecurityPlugin, { apiKeys: deps.apiKeys, options: security });
  const gateway = new WsGateway(
    {
      bus: deps.bus,
      apiKeys: deps.apiKeys,
      placeOrder: deps.placeOrder,
      logger: deps.logger,
      requireAuthForReads: security.requireAuthForReads,
      metrics: deps.metrics,
      clock: deps.clock,
    },
    resolveWsGatewayOptions(deps.ws),
  );
  app.register(wsGatewayFastifyPlugin, { gateway });
  registerHealthRoutes(app, deps.health);
  registerMetricsRoutes(app, deps.metrics);
  return app;
}
