import {
  ConflictError,
  errorMessage,
  isRrrError,
  NotFoundError,
  RrrError,
  type RegistryHealth,
  type ServiceStatusEntry,
} from '@rrr/core';
import type { FastifyInstance } from 'fastify';
import { errorResponses, nullable } from '../api-schemas';

/** What the routes need of the ServiceRegistry. */
export interface ServiceControl {
  status(): ServiceStatusEntry[];
  health(): Promise<RegistryHealth>;
  restart(name: string): Promise<void>;
}

export interface ServiceRoutesDeps {
  registry: ServiceControl;
  /** The service that serves this API: it cannot restart itself from inside a request it is serving. */
  self: string;
}

const TAGS = ['services'];
const STATES = ['registered', 'starting', 'running', 'stopping', 'stopped', 'failed', 'restarting'];

const serviceSchema = {
  type: 'object',
  required: ['name', 'state', 'health', 'dependencies', 'restarts', 'manualRestarts'],
  properties: {
    name: { type: 'string' },
    state: { type: 'string', enum: STATES },
    health: {
      type: 'object',
      required: ['status', 'latencyMs'],
      properties: {
        status: { type: 'string', enum: ['up', 'degraded', 'down'] },
        latencyMs: { type: 'number' },
        details: { type: 'object', additionalProperties: true },
        error: { type: 'string' },
      },
    },
    dependencies: { type: 'array', items: { type: 'string' }, description: 'services started before it' },
    restarts: { type: 'integer', description: 'crash restarts since the platform started' },
    manualRestarts: { type: 'integer', description: 'restarts asked for through the API since the platform started' },
    lastError: nullable('string'),
  },
} as const;

async function servicesOf(registry: ServiceControl) {
  const health = await registry.health();
  return registry.status().map((s) => ({
    name: s.name,
    state: s.state,
    health: health.services[s.name] ?? { status: 'down', latencyMs: 0 },
    dependencies: s.dependencies,
    restarts: s.restarts,
    manualRestarts: s.manualRestarts,
    lastError: s.lastError ?? null,
  }));
}

/** `/api/v1/services`: every registered service with its state and health; restart one (scope admin). */
export function registerServiceRoutes(app: FastifyInstance, deps: ServiceRoutesDeps): void {
  const { registry, self } = deps;
  const nameParams = {
    type: 'object',
    required: ['name'],
    properties: { name: { type: 'string', pattern: '^[a-z0-9-]+$', maxLength: 60 } },
  } as const;

  app.get(
    '/api/v1/services',
    {
      schema: {
        tags: TAGS,
        summary: 'Every registered service: state, health, dependencies and restart counts',
        response: {
          200: { type: 'object', required: ['items'], properties: { items: { type: 'array', items: serviceSchema } } },
        },
      },
    },
    async () => ({ items: await servicesOf(registry) }),
  );

  app.post<{ Params: { name: string } }>(
    '/api/v1/services/:name/restart',
    {
      config: { requiredScope: 'admin' },
      schema: {
        tags: TAGS,
        summary:
          'Restart one service (scope admin): stops it and starts the same instance; refused (409) for a service others depend on, and for the API itself',
        params: nameParams,
        response: { 200: serviceSchema, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const { name } = request.params;
      if (!registry.status().some((s) => s.name === name)) throw new NotFoundError('service', name);
      if (name === self) {
        throw new ConflictError(`"${name}" serves this request and cannot restart itself: restart the platform`, {
          service: name,
        });
      }
      await registry.restart(name).catch((error: unknown) => {
        if (isRrrError(error) && error.code === 'CONFLICT') throw error;
        // The service's own stop/start error: it is now failed, which GET /api/v1/services shows.
        throw new RrrError('SERVICE_FAILED', `restart of "${name}" failed: ${errorMessage(error)}`, {
          cause: error,
          details: { service: name },
        });
      });
      return (await servicesOf(registry)).find((s) => s.name === name);
    },
  );
}
