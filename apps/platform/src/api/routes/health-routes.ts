import { NotFoundError, type RegistryHealth } from '@rrr/core';
import type { FastifyInstance } from 'fastify';
import { errorResponses, timestampSchema } from '../api-schemas';

export interface HealthSource {
  health(): Promise<RegistryHealth>;
}

const STATUS = { type: 'string', enum: ['up', 'degraded', 'down'] } as const;

const serviceHealthProperties = {
  status: STATUS,
  state: { type: 'string', description: 'lifecycle state in the registry (running, stopped, failed…)' },
  latencyMs: { type: 'number', description: 'how long the health check took' },
  details: { type: 'object', additionalProperties: true, description: "the service's own figures" },
  error: { type: 'string' },
} as const;

const serviceHealthSchema = {
  type: 'object',
  required: ['status', 'state', 'latencyMs'],
  properties: serviceHealthProperties,
} as const;

const registryHealthSchema = {
  type: 'object',
  required: ['status', 'ts', 'services'],
  properties: {
    status: { ...STATUS, description: 'down if any service is down, else degraded if any is, else up' },
    ts: timestampSchema,
    services: { type: 'object', additionalProperties: serviceHealthSchema },
  },
} as const;

const namedServiceHealthSchema = {
  type: 'object',
  required: ['name', 'status', 'state', 'latencyMs'],
  properties: { name: { type: 'string' }, ...serviceHealthProperties },
} as const;

/** `/health` is 200 while the platform can serve (up or degraded) and 503 when any service is down. */
export function registerHealthRoutes(app: FastifyInstance, source: HealthSource): void {
  app.get(
    '/health',
    {
      schema: {
        tags: ['health'],
        summary: 'Health of every service: 200 while the platform can serve, 503 when a service is down',
        response: { 200: registryHealthSchema, 503: registryHealthSchema },
      },
    },
    async (_request, reply) => {
      const health = await source.health();
      return reply.status(health.status === 'down' ? 503 : 200).send(health);
    },
  );

  app.get<{ Params: { service: string } }>(
    '/health/:service',
    {
      schema: {
        tags: ['health'],
        summary: 'Health of one service: 503 when it is down',
        params: {
          type: 'object',
          required: ['service'],
          properties: { service: { type: 'string', pattern: '^[a-z0-9-]+$' } },
        },
        response: { 200: namedServiceHealthSchema, 503: namedServiceHealthSchema, ...errorResponses(400, 404) },
      },
    },
    async (request, reply) => {
      const health = await source.health();
      const service = health.services[request.params.service];
      if (!service) throw new NotFoundError('service', request.params.service);
      return reply.status(service.status === 'down' ? 503 : 200).send({ name: request.params.service, ...service });
    },
  );
}
