import type { Clock, Database, EventBus, MetricsRegistry, RrrLogger } from '@rrr/core';
import type { RiskManagementService } from '@rrr/risk-management';
import type { TradingEngineService } from '@rrr/trading-engine';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { registerDashboard } from '../dashboard';
import { apiSecurityPlugin, resolveApiSecurityOptions, type ApiKeyStore, type ApiSecurityOverrides } from '../security';
import {
  resolveWsGatewayOptions,
  WsGateway,
  wsGatewayFastifyPlugin,
  type PlaceOrder,
  type WsGatewayOptions,
} from '../ws';
import { answerFrameworkError, installErrorHandler } from './error-handler';
import { registerOpenApi } from './open-api';
import { registerAuthRoutes } from './routes/auth-routes';
import { registerHealthRoutes, type HealthSource } from './routes/health-routes';
import { registerBacktestRoutes, type BacktestRoutesDeps } from './routes/backtest-routes';
import { registerMarketRoutes } from './routes/market-routes';
import { registerMetricsRoutes } from './routes/metrics-routes';
import { registerModelRoutes, type ModelRoutesDeps } from './routes/model-routes';
import { registerOptimizationRoutes, type OptimizationRoutesDeps } from './routes/optimization-routes';
import { registerPortfolioRoutes } from './routes/portfolio-routes';
import { registerRiskRoutes } from './routes/risk-routes';
import { registerServiceRoutes, type ServiceRoutesDeps } from './routes/service-routes';
import { registerTradingRoutes } from './routes/trading-routes';

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
  // What the /api/v1 route modules read. A module whose dependency is absent is not registered at all (its paths
  // answer 404 and are missing from /docs/json), so the document always lists exactly what this server serves.
  /** Market routes (symbols, bars, predictions, signals) and the portfolio's equity curve read the database. */
  db?: Database;
  /** Orders, fills, positions and the portfolio (with `db`). */
  trading?: TradingEngineService;
  /** Risk limits, usage, VaR, alerts, the circuit breaker and the kill switch. */
  risk?: RiskManagementService;
  /** Backtest jobs and stored runs. */
  backtesting?: BacktestRoutesDeps['backtesting'];
  /** Trained models (ml_models). */
  models?: ModelRoutesDeps['models'];
  /** Portfolio optimisation jobs. */
  optimizations?: OptimizationRoutesDeps['optimizations'];
  /** Service states, health and restarts: the registry, and the name this API runs under. */
  services?: ServiceRoutesDeps;
}

/**
 * The REST API: routes registered here, started and stopped by the api service. Each /api/v1 route module is a
 * `registerXRoutes(app, deps)` in ./routes, registered below when its dependencies are given.
 */
export function createApiServer(deps: ApiServerDeps): FastifyInstance {
  const app = Fastify({
    loggerInstance: deps.logger as FastifyBaseLogger,
    // Request latency goes to the rrr_api_request_duration_seconds histogram; a log line per request would be noise.
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit: 1024 * 1024,
    return503OnClosing: true,
    frameworkErrors: answerFrameworkError,
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
  // Before any route: the OpenAPI document collects routes as they are added.
  registerOpenApi(app, { requireAuthForReads: security.requireAuthForReads });
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
  // Every route is added inside this plugin: it loads after @fastify/swagger, whose onRoute hook then sees each one
  // (a route added to the root right away would be missing from /docs/json).
  app.register(async (routes) => {
    registerHealthRoutes(routes, deps.health);
    registerMetricsRoutes(routes, deps.metrics);
    registerAuthRoutes(routes, { apiKeys: deps.apiKeys });
    if (deps.db) registerMarketRoutes(routes, { db: deps.db });
    if (deps.trading) registerTradingRoutes(routes, { trading: deps.trading });
    if (deps.trading && deps.db) registerPortfolioRoutes(routes, { trading: deps.trading, db: deps.db });
    if (deps.risk) registerRiskRoutes(routes, { risk: deps.risk });
    if (deps.backtesting) registerBacktestRoutes(routes, { backtesting: deps.backtesting });
    if (deps.models) registerModelRoutes(routes, { models: deps.models });
    if (deps.optimizations) registerOptimizationRoutes(routes, { optimizations: deps.optimizations });
    if (deps.services) registerServiceRoutes(routes, deps.services);
    registerDashboard(routes);
  });
  return app;
}
