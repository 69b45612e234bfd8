import { createLogger, loadConfig, openDatabase, type Database } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createPlatform, type Platform } from '../boot/create-platform';
import { ApiKeyStore } from '../security';

/** A running platform for the job routes' specs, its database, and an API key of each scope. */
export interface JobsPlatform {
  platform: Platform;
  /** `<platform url>/api/v1` */
  api: string;
  /** A second connection to the platform's SQLite file, for arranging and checking rows. */
  db: Database;
  keys: { read: string; trade: string; admin: string };
  close(): Promise<void>;
}

const silent = new Writable({ write: (_chunk, _enc, done) => done() });

/**
 * The real platform over SQLite in a temp folder, running the services the job routes read: the data pipeline (it
 * loads the bundled SPX and AAPL daily bars), monitoring, backtesting, quantum optimisation and the API. Keys are
 * created in the database before start, as `rrr api-key create` would, then `arrange` adds what the spec needs.
 */
export async function startJobsPlatform(arrange?: (db: Database) => Promise<unknown>): Promise<JobsPlatform> {
  const dir = mkdtempSync(join(tmpdir(), 'rrr-jobs-routes-'));
  const sqlitePath = join(dir, 'rrr.db');
  const db = await openDatabase({ sqlitePath });
  const store = new ApiKeyStore(db);
  const keys = { read: '', trade: '', admin: '' };
  for (const scope of ['read', 'trade', 'admin'] as const)
    keys[scope] = (await store.create({ name: scope, scope })).token;
  // Rows a spec needs go in before start: once running, the data pipeline's bulk load holds SQLite's write lock.
  await arrange?.(db);
  const config = loadConfig({
    env: {},
    configDir: dir,
    overrides: {
      services: ['data-pipeline', 'monitoring', 'backtesting', 'quantum-optimization', 'api'],
      server: { port: 0 },
      database: { sqlitePath },
      // The data pipeline insists on one live pair for its synthetic feed.
      data: { symbols: ['SPX', 'AAPL', 'BTC-USD'] },
      models: { dir: join(dir, 'models') },
    },
  });
  const platform = createPlatform(config, createLogger({ level: 'warn', destination: silent }), {
    api: { security: { rateLimit: false } },
  });
  await platform.start();
  return {
    platform,
    api: `${platform.url()}/api/v1`,
    db,
    keys,
    async close() {
      await platform.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** One HTTP call: status and parsed JSON body. */
export async function callApi<T = unknown>(
  url: string,
  init: { method?: string; key?: string; body?: unknown } = {},
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = {};
  if (init.key !== undefined) headers['authorization'] = `Bearer ${init.key}`;
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers,
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}
