import type { Database, PlatformConfigOverrides } from '@rrr/core';
import { startTestPlatform, type TestKeySpec, type TestPlatform } from '../../testing/start-test-platform';

/** A key to create before start, named `dashboard-<label>`; `revoked` ones are revoked before the page sees them. */
export type DashboardKeySpec = Omit<TestKeySpec, 'name'>;

/** The whole platform a dashboard test drives, on SQLite in a temp folder, with the keys it asked for. */
export type DashboardPlatform<Label extends string> = TestPlatform<Label>;

/**
 * Creates the keys as `rrr api-key create` (and `rrr api-key revoke`) would, named `dashboard-<label>`, lets `arrange`
 * add the rows a spec needs, then starts every service with the platform's default config (with `config` over it) —
 * the bundled SPX/AAPL daily bars stored, the paper engine on the live pairs — and rate limits off. The live feed
 * ticks every 200 ms, so the paper exchange has a price for an order within a second.
 */
export async function startDashboardPlatform<Label extends string>(
  keySpecs: Record<Label, DashboardKeySpec>,
  arrange?: (db: Database) => Promise<unknown>,
  config: PlatformConfigOverrides = {},
): Promise<DashboardPlatform<Label>> {
  const keys = Object.fromEntries(
    (Object.entries(keySpecs) as [Label, DashboardKeySpec][]).map(([label, spec]) => [
      label,
      { ...spec, name: `dashboard-${label}` },
    ]),
  ) as Record<Label, TestKeySpec>;
  return startTestPlatform({
    tempPrefix: 'rrr-dashboard-e2e-',
    keys,
    ...(arrange === undefined ? {} : { arrange }),
    // No stored history unless a spec asks for it: the default SMA 20/50 strategy would otherwise warm up from it and
    // trade at the first live bar, and a spec's own orders and positions would meet its position.
    config: { ...config, data: { liveHistoryBars: 0, ...config.data } },
    platformOptions: { liveFeed: { tickMs: 200 } },
    // Errors the tests cause on purpose (a kill switch's CRITICAL alert, refused requests) would only be noise.
    logLevel: 'fatal',
  });
}
