import type { Service } from '@rrr/core';
import type { FastifyInstance } from 'fastify';

export interface ApiService extends Service {
  readonly app: FastifyInstance;
  /** The bound address once started, e.g. `http://127.0.0.1:3000` (the real port when 0 was asked for). */
  readonly url: string;
}

/** Serves the API on the configured host/port; stop() stops accepting, then lets in-flight requests finish. */
export function createApiService(app: FastifyInstance, listen: { host: string; port: number }): ApiService {
  let url = '';
  let listening = false;
  return {
    app,
    get url() {
      return url;
    },
    async start() {
      url = await app.listen({ host: listen.host, port: listen.port });
      listening = true;
    },
    async stop() {
      if (!listening) return;
      listening = false;
      await app.close();
    },
    health() {
      return listening ? { status: 'up', details: { url } } : { status: 'down', details: { reason: 'not listening' } };
    },
  };
}
