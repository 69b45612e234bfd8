import {
  createLogger,
  loadConfig,
  openDatabase,
  type Database,
  type LogLevel,
  type PlatformConfigOverrides,
} from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatform, type Platform, type PlatformOptions } from '../boot/create-platform';
import { ApiKeyStore, type ApiKeyScope } from '../security';

/** A key to create before start; `revoked` ones are revoked before anything sees them. */
export interface TestKeySpec {
  /** Default: the key's label. */
  name?: string;
  scope: ApiKeyScope;
  revoked?: boolean;
}

export interface TestPlatformOptions<Label extends string> {
  /** Prefix of the temp folder holding the SQLite file and the models. */
  tempPrefix: string;
  keys: Record<Label, TestKeySpec>;
  /** Rows a spec needs, written before start. */
  arrange?: (db: Database) => Promise<unknown>;
  /** Over the platform's defaults; the port (0), the database file and the models folder are the helper's. */
  config?: PlatformConfigOverrides;
  /** Rate limits are off unless these say otherwise. */
  platformOptions?: PlatformOptions;
  /** Default `silent`: the errors specs cause on purpose are noise. */
  logLevel?: LogLevel;
}

/** A running platform of a spec, over SQLite in a temp folder, with the keys it asked for. */
export interface TestPlatform<Label extends string> {
  platform: Platform;
  /** `<platform url>/api/v1` */
  api: string;
  sqlitePath: string;
  /** A second connection to the platform's SQLite file, for arranging and checking rows (closed by `stop`). */
  db: Database;
  /** The token of each key, by label. */
  keys: Record<Label, string>;
  /** The public id of each key, by label. */
  keyIds: Record<Label, string>;
  stop(): Promise<void>;
}

/**
 * The real platform for a spec: keys created (and revoked) as `rrr api-key create` / `revoke` would, `arrange` run on
 * the fresh database, then the services the config selects started with rate limits off.
 */
export async function startTestPlatform<Label extends string>(
  options: TestPlatformOptions<Label>,
): Promise<TestPlatform<Label>> {
  const dir = mkdtempSync(join(tmpdir(), options.tempPrefix));
  const sqlitePath = join(dir, 'rrr.db');
  const keys = {} as Record<Label, string>;
  const keyIds = {} as Record<Label, string>;
  // Opened (and migrated) before start: once running, the data pipeline's bulk load holds SQLite's write lock.
  const db = await openDatabase({ sqlitePath });
  const store = new ApiKeyStore(db);
  for (const [label, spec] of Object.entries(options.keys) as [Label, TestKeySpec][]) {
    const created = await store.create({ name: spec.name ?? label, scope: spec.scope });
    keys[label] = created.token;
    keyIds[label] = created.key.id;
    if (spec.revoked === true) await store.revoke(created.key.id);
  }
  await options.arrange?.(db);
  const config = options.config ?? {};
  const overrides: PlatformConfigOverrides = {
    models: { dir: join(dir, 'models') },
    ...config,
    server: { ...config.server, port: 0 },
    database: { ...config.database, sqlitePath },
  };
  const platform = createPlatform(
    loadConfig({ env: {}, configDir: dir, overrides }),
    createLogger({ level: options.logLevel ?? 'silent' }),
    { ...options.platformOptions, api: { security: { rateLimit: false }, ...options.platformOptions?.api } },
  );
  try {
    await platform.start();
  } catch (error) {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    platform,
    api: `${platform.url()}/api/v1`,
    sqlitePath,
    db,
    keys,
    keyIds,
    async stop() {
      await platform.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
