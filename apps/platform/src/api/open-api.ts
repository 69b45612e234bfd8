import swagger from '@fastify/swagger';
import type { FastifyInstance, FastifySchema } from 'fastify';
import { requiredScopeFor } from '../security';
import { errorResponseSchema } from './api-schemas';
import { platformVersion } from './platform-version';

export interface OpenApiOptions {
  /** Whether GET routes need a `read` key (the security options' setting): the document says so per route. */
  requireAuthForReads: boolean;
}

const TAGS = [
  { name: 'market', description: 'Symbols, bars, predictions, signals' },
  { name: 'trading', description: 'Orders and fills' },
  { name: 'portfolio', description: 'Positions, valuation, equity curve, performance' },
  { name: 'risk', description: 'Limits, usage, VaR, alerts, circuit breaker, kill switch' },
  { name: 'backtests', description: 'Backtest runs' },
  { name: 'models', description: 'Trained predictors' },
  { name: 'optimization', description: 'Portfolio optimisation jobs' },
  { name: 'services', description: 'Platform services' },
  { name: 'auth', description: 'The API key a request presents' },
  { name: 'health', description: 'Liveness, per-service health, Prometheus metrics' },
];

/** Either header carries the same key: `Authorization: Bearer <key>` or `x-api-key: <key>`. */
const KEY_SECURITY: Record<string, string[]>[] = [{ bearerAuth: [] }, { apiKeyHeader: [] }];

/**
 * Registers @fastify/swagger, which collects every route added after it, and `GET /docs/json`, the OpenAPI 3.1
 * document. Register it before any route. Which routes need an API key is derived from the same rule the security
 * hooks enforce (method, the route's `config.requiredScope`, requireAuthForReads), so the document cannot drift from
 * what the server does; such routes get the key schemes and their 401 / 403 answers.
 */
export function registerOpenApi(app: FastifyInstance, options: OpenApiOptions): void {
  app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'RRRalgorithms platform API',
        version: platformVersion(__dirname, process.cwd()),
        description:
          'Errors are `{ error: { code, message, details } }`; validation failures are 400 with ' +
          '`details.problems: [{ field, message }]`. Timestamps are epoch milliseconds UTC.',
      },
      tags: TAGS,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'Authorization: Bearer rrr_<id>_<secret>' },
          apiKeyHeader: {
            type: 'apiKey',
            in: 'header',
            name: 'x-api-key',
            description: 'x-api-key: rrr_<id>_<secret>',
          },
        },
      },
    },
    transform: ({ schema, url, route }) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const scope = methods
        .map((method) => requiredScopeFor(method, route.config?.requiredScope, options.requireAuthForReads))
        .find((s) => s !== undefined);
      if (scope === undefined) return { schema, url };
      const base = (schema ?? {}) as FastifySchema & { description?: string; response?: Record<string, unknown> };
      const needs = `Needs an API key with scope ${scope} or above.`;
      const documented: FastifySchema = {
        ...base,
        description: base.description === undefined ? needs : `${base.description}\n\n${needs}`,
        security: KEY_SECURITY,
        response: { ...base.response, 401: errorResponseSchema, 403: errorResponseSchema },
      };
      return { url, schema: documented };
    },
  });

  app.get(
    '/docs/json',
    // Describes the API, it is not part of it; readable without a key so clients can discover how to get one.
    { schema: { hide: true }, config: { requiredScope: 'public' } },
    async () => app.swagger(),
  );
}
