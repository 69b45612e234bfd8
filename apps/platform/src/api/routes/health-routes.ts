import { NotFoundError, type RegistryHealth } from '@rrr/core';
import type { FastifyInstance } from 'fastify';

export interface HealthSource {
  health(): Promise<RegistryHealth>;
}

/** `/health` is 200 while the platform can serve (up or degraded) and 503 when any service is down. */
export function registerHealthRoutes(app: FastifyInstance, source: HealthSource): void {
  app.get('/health', async (_request, reply) => {
    const health = await source.health();
    return reply.status(health.status === 'down' ? 503 : 200).send(health);
  });

  app.get<{ Params: { service: string } }>(
    '/health/:service',
    { schema: { params: { type: 'object', properties: { service: { type: 'string', pattern: '^[a-z0-9-]+$' } } } } },
    async (request, reply) => {
      const health = await source.health();
      const service = health.services[request.params.service];
      if (!service) throw new NotFoundError('service', request.params.service);
      return reply.status(service.status === 'down' ? 503 : 200).send({ name: request.params.service, ...service });
    },
  );
}
