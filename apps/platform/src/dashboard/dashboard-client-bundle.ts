import { RrrError } from '@rrr/core';
import type * as Esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import clientBuildOptions from './client-build-options.json';
import type { DashboardFiles } from './dashboard-files';

/** The browser bundle of the dashboard client: `app.js` and its source map, with an ETag for each. */
export interface DashboardClientBundle {
  js: { body: string; etag: string };
  map: { body: string; etag: string };
}

const bundles = new Map<string, Promise<DashboardClientBundle>>();

function etag(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Bundles the client's TypeScript for the browser with esbuild, once per process (a failed build is tried again on the
 * next request). Built from source by the same code under jest and in `npm start`, so the tests exercise the files a
 * user gets; esbuild is resolved from the workspace, as `npm run rrr` itself bundles the platform with it.
 * lightweight-charts stays out of the bundle: the page loads its standalone build, which defines
 * `window.LightweightCharts`.
 */
export function dashboardClientBundle(files: DashboardFiles): Promise<DashboardClientBundle> {
  let bundle = bundles.get(files.clientEntry);
  if (bundle === undefined) {
    bundle = build(files);
    bundles.set(files.clientEntry, bundle);
    bundle.catch(() => bundles.delete(files.clientEntry));
  }
  return bundle;
}

async function build(files: DashboardFiles): Promise<DashboardClientBundle> {
  let esbuild: typeof Esbuild.build;
  try {
    esbuild = (createRequire(`${files.root}/package.json`)('esbuild') as typeof Esbuild).build;
  } catch (error) {
    throw new RrrError(
      'SERVICE_UNAVAILABLE',
      `the dashboard client is bundled from source on first request, but esbuild cannot be loaded from ${files.root}: ${(error as Error).message}`,
    );
  }
  const out = await esbuild({
    entryPoints: [files.clientEntry],
    outfile: 'app.js',
    // The same options scripts/build-platform.mjs uses for the prebuilt copy a deployment serves.
    ...(clientBuildOptions as Esbuild.BuildOptions),
    write: false,
    tsconfig: files.clientTsconfig,
    logLevel: 'silent',
  });
  const text = (suffix: string) => {
    const file = out.outputFiles.find((f) => f.path.endsWith(suffix));
    if (file === undefined) throw new Error(`esbuild wrote no ${suffix} for ${files.clientEntry}`);
    return file.text;
  };
  const js = text('app.js');
  const map = text('app.js.map');
  return { js: { body: js, etag: etag(js) }, map: { body: map, etag: etag(map) } };
}
