import {
  createLogger,
  createMetricsRegistry,
  InProcessEventBus,
  openDatabase,
  type Clock,
  type Database,
  type RegistryHealth,
} from '@rrr/core';
import type { FastifyInstance } from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createApiServer, type ApiServerDeps } from '../../api/create-api-server';
import { ApiKeyStore, type ApiSecurityOverrides } from '../../security';
import { placeOrderUnavailable, type PlaceOrder } from '../place-order';
import type { WsGatewayOptions } from '../ws-gateway-options';

export interface ApiTestServerOptions {
  security?: ApiSecurityOverrides;
  ws?: Partial<WsGatewayOptions>;
  placeOrder?: PlaceOrder;
  clock?: Clock;
  /** Runs before the server starts, e.g. to create keys that must exist at start-up. */
  beforeStart?: (apiKeys: ApiKeyStore) => Promise<void>;
  /** Extra routes, registered before the server starts. */
  routes?: (app: FastifyInstance) => void;
  /** More server deps (the sources of the /api/v1 route modules), built on the server's database and bus. */
  deps?: (infra: { db: Database; bus: InProcessEventBus }) => Partial<ApiServerDeps> | Promise<Partial<ApiServerDeps>>;
}

/** The real API server on a loopback ephemeral port, over a temp-file SQLite database and an in-process bus. */
export interface ApiTestServer {
  readonly app: FastifyInstance;
  /** http://127.0.0.1:<port> */
  readonly url: string;
  /** ws://127.0.0.1:<port>/ws */
  readonly wsUrl: string;
  readonly bus: InProcessEventBus;
  readonly db: Database;
  readonly apiKeys: ApiKeyStore;
  /** Every log line the server wrote, as raw JSON text. */
  readonly logs: string[];
  close(): Promise<void>;
}

export async function startApiTestServer(options: ApiTestServerOptions = {}): Promise<ApiTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rrr-api-'));
  const db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
  const bus = new InProcessEventBus();
  const apiKeys = new ApiKeyStore(db, { clock: options.clock });
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      done();
    },
  });
  const app = createApiServer({
    logger: createLogger({ level: 'debug', destination }),
    metrics: createMetricsRegistry(),
    health: { health: async (): Promise<RegistryHealth> => ({ status: 'up', ts: Date.now(), services: {} }) },
    apiKeys,
    bus,
    placeOrder: options.placeOrder ?? placeOrderUnavailable,
    security: options.security,
    ws: options.ws,
    clock: options.clock,
    ...(await options.deps?.({ db, bus })),
  });
  options.routes?.(app);
  await options.beforeStart?.(apiKeys);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    app,
    url,
    wsUrl: `${url.replace(/^http/, 'ws')}/ws`,
    bus,
    db,
    apiKeys,
    logs,
    async close() {
      await app.close();
      await bus.close();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
