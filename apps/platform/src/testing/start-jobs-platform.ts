import type { Database } from '@rrr/core';
import type { Platform } from '../boot/create-platform';
import { startTestPlatform } from './start-test-platform';

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

/**
 * The real platform over SQLite in a temp folder, running the services the job routes read: the data pipeline (it
 * loads the bundled SPX and AAPL daily bars), monitoring, backtesting, quantum optimisation and the API. Keys are
 * created in the database before start, as `rrr api-key create` would, then `arrange` adds what the spec needs.
 */
export async function startJobsPlatform(arrange?: (db: Database) => Promise<unknown>): Promise<JobsPlatform> {
  const started = await startTestPlatform({
    tempPrefix: 'rrr-jobs-routes-',
    keys: { read: { scope: 'read' }, trade: { scope: 'trade' }, admin: { scope: 'admin' } },
    ...(arrange === undefined ? {} : { arrange }),
    config: {
      services: ['data-pipeline', 'monitoring', 'backtesting', 'quantum-optimization', 'api'],
      // The data pipeline insists on one live pair for its live feed.
      data: { symbols: ['SPX', 'AAPL', 'BTC-USD'] },
    },
  });
  return {
    platform: started.platform,
    api: started.api,
    db: started.db,
    keys: started.keys,
    close: () => started.stop(),
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
