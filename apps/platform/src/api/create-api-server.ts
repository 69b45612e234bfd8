import type { MetricsRegistry, RrrLogger } from '@rrr/core';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { installErrorHandler } from './error-handler';
import { registerHealthRoutes, type HealthSource } from './routes/health-routes';
import { registerMetricsRoutes } from './routes/metrics-routes';

export interface ApiServerDeps {
  logger: RrrLogger;
  metrics: MetricsRegistry;
  health: HealthSource;
}

/** The REST API: routes registered here, started and stopped by the api service. */
export function createApiServer(deps: ApiServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    disableRequestLogging: true,
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
  registerHealthRoutes(app, deps.health);
  registerMetricsRoutes(app, deps.metrics);
  return app;
}
