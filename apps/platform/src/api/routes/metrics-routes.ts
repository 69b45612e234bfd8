import type { MetricsRegistry } from '@rrr/core';
import type { FastifyInstance } from 'fastify';

/** Prometheus text exposition of every `rrr_*` metric (and the process's default metrics). */
export function registerMetricsRoutes(app: FastifyInstance, metrics: MetricsRegistry): void {
  app.get(
    '/metrics',
    {
      schema: {
        tags: ['health'],
        summary: 'Prometheus metrics (text exposition format)',
        produces: ['text/plain'],
        response: { 200: { type: 'string', description: 'Prometheus text exposition format 0.0.4' } },
      },
    },
    async (_request, reply) => {
      const text = await metrics.metrics();
      return reply.header('content-type', metrics.contentType).send(text);
    },
  );
}
