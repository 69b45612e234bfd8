import { createLogger, loadConfig, openDatabase, type Database, type PlatformConfigOverrides } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatform, type Platform } from '../../boot/create-platform';
import { ApiKeyStore, type ApiKeyScope } from '../../security';

/** A key to create before start, named `dashboard-<label>`; `revoked` ones are revoked before the page sees them. */
export interface DashboardKeySpec {
  scope: ApiKeyScope;
  revoked?: boolean;
}

/** The whole platform a dashboard test drives, on SQLite in a temp folder, with the keys it asked for. */
export interface DashboardPlatform<Label extends string> {
  platform: Platform;
  /** `<platform url>/api/v1` */
  api: string;
  /** The platform's SQLite file, for revoking a key as another process would. */
  sqlitePath: string;
  /** The token of each key, by label. */
  keys: Record<Label, string>;
  /** The public id of each key, by label. */
  keyIds: Record<Label, string>;
  stop(): Promise<void>;
}

/**
 * Creates the keys as `rrr api-key create` (and `rrr api-key revoke`) would, lets `arrange` add the rows a spec needs
 * (before start: once running, the data pipeline's bulk load holds SQLite's write lock), then starts every service with
 * the platform's default config (with `config` over it) — the bundled SPX/AAPL daily bars stored, the paper engine on
 * the live pairs — and rate limits off. The live feed ticks every 200 ms, so the paper exchange has a price for an
 * order within a second.
 */
export async function startDashboardPlatform<Label extends string>(
  keySpecs: Record<Label, DashboardKeySpec>,
  arrange?: (db: Database) => Promise<unknown>,
  config: PlatformConfigOverrides = {},
): Promise<DashboardPlatform<Label>> {
  const dir = mkdtempSync(join(tmpdir(), 'rrr-dashboard-e2e-'));
  const sqlitePath = join(dir, 'rrr.db');
  const keys = {} as Record<Label, string>;
  const keyIds = {} as Record<Label, string>;
  const db = await openDatabase({ sqlitePath });
  try {
    const store = new ApiKeyStore(db);
    for (const [label, spec] of Object.entries(keySpecs) as [Label, DashboardKeySpec][]) {
      const created = await store.create({ name: `dashboard-${label}`, scope: spec.scope });
      keys[label] = created.token;
      keyIds[label] = created.key.id;
      if (spec.revoked === true) await store.revoke(created.key.id);
    }
    await arrange?.(db);
  } finally {
    await db.close();
  }
  const overrides = { ...config, server: { ...config.server, port: 0 }, database: { ...config.database, sqlitePath } };
  // Errors the tests cause on purpose (a kill switch's CRITICAL alert, refused requests) would only be noise.
  const platform = createPlatform(
    loadConfig({ env: {}, configDir: dir, overrides }),
    createLogger({ level: 'fatal' }),
    {
      api: { security: { rateLimit: false } },
      liveFeed: { tickMs: 200 },
    },
  );
  try {
    await platform.start();
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    platform,
    api: `${platform.url()}/api/v1`,
    sqlitePath,
    keys,
    keyIds,
    async stop() {
      await platform.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
