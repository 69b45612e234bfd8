import websocket from '@fastify/websocket';
import { RrrError } from '@rrr/core';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { WS_CLOSE } from './ws-connection';
import type { WsGateway } from './ws-gateway';

declare module 'fastify' {
  interface FastifyInstance {
    /** The WebSocket gateway behind `/ws` (client count, for health and benchmarks). */
    wsGateway: WsGateway;
  }
}

export interface WsGatewayPluginOptions {
  gateway: WsGateway;
}

/** ws's own limit, checked on the frame header before any payload is buffered; the gateway's (with a reason) is 1/4. */
const HARD_PAYLOAD_FACTOR = 4;

async function wsGatewayPlugin(app: FastifyInstance, { gateway }: WsGatewayPluginOptions): Promise<void> {
  app.decorate('wsGateway', gateway);
  app.addHook('onReady', () => gateway.start());
  // Added before @fastify/websocket's own preClose (which closes clients without a code), so clients get 1001.
  app.addHook('preClose', () => gateway.close());
  // An upgrade refused before @fastify/websocket saw it (401, 429 from the security hooks) leaves a socket that no HTTP
  // parser owns any more; close it once the answer is written, as the plugin does for the upgrades it refuses.
  app.addHook('onResponse', async (request) => {
    if (request.headers.upgrade !== undefined && request.ws !== true) request.raw.socket?.destroy();
  });
  await app.register(websocket, {
    options: {
      maxPayload: gateway.options.maxPayloadBytes * HARD_PAYLOAD_FACTOR,
      // Compression would cost CPU per client per event and open the door to decompression bombs.
      perMessageDeflate: false,
    },
    errorHandler(error, socket, request) {
      // Protocol errors (oversized or invalid UTF-8 frames) arrive here after ws has already sent its close frame.
      const code = (error as NodeJS.ErrnoException).code;
      if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
        request.log.info({ code, message: error.message }, 'websocket protocol error');
        return;
      }
      if (code === 'ECONNRESET' || code === 'EPIPE') return;
      request.log.error({ err: error }, 'websocket error');
      if (socket.readyState === socket.OPEN) socket.close(WS_CLOSE.internalError, 'internal error');
    },
  });
  app.route({
    method: 'GET',
    url: '/ws',
    // The upgrade itself is public: browsers cannot set headers on a WebSocket, so keys also arrive in an `auth` frame.
    config: { requiredScope: 'public' },
    handler: async () => {
      throw new RrrError('VALIDATION_FAILED', 'GET /ws is the WebSocket endpoint: connect with a WebSocket client');
    },
    wsHandler: (socket, request) => {
      gateway.accept(socket, request.apiKey ?? null);
    },
  });
}

/** `/ws` on the root instance (not encapsulated), so the security hooks see the upgrade request. */
export const wsGatewayFastifyPlugin = Object.assign(wsGatewayPlugin, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'rrr-ws-gateway',
}) as FastifyPluginAsync<WsGatewayPluginOptions>;
