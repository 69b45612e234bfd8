// Bundles the platform app (and the libs it imports through tsconfig paths) into one CommonJS file.
// Third-party packages stay external so native modules (better-sqlite3) and wasm assets load from node_modules.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export async function bundle(entry, outfile) {
  await build({
    entryPoints: [join(workspaceRoot, entry)],
    outfile: join(workspaceRoot, outfile),
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: 'linked',
    packages: 'external',
    tsconfig: join(workspaceRoot, 'tsconfig.base.json'),
    logLevel: 'warning',
  });
  return join(workspaceRoot, outfile);
}

const DASHBOARD = 'apps/platform/src/dashboard';

/**
 * The dashboard as static files (index.html, stylesheet, app.js + map, lightweight-charts' standalone build) for a
 * deployment without the sources; a checkout serves the client bundled from source instead. Same esbuild options.
 */
export async function buildDashboard(outDir) {
  const options = JSON.parse(readFileSync(join(workspaceRoot, DASHBOARD, 'client-build-options.json'), 'utf8'));
  await build({
    ...options,
    entryPoints: [join(workspaceRoot, DASHBOARD, 'client/main.ts')],
    outfile: join(outDir, 'app.js'),
    tsconfig: join(workspaceRoot, DASHBOARD, 'client/tsconfig.json'),
    logLevel: 'warning',
  });
  for (const file of ['index.html', 'dashboard.css']) {
    copyFileSync(join(workspaceRoot, DASHBOARD, 'public', file), join(outDir, file));
  }
  const charts = dirname(createRequire(join(workspaceRoot, 'package.json')).resolve('lightweight-charts/package.json'));
  mkdirSync(join(outDir, 'vendor'), { recursive: true });
  const standalone = 'lightweight-charts.standalone.production.js';
  copyFileSync(join(charts, 'dist', standalone), join(outDir, 'vendor', standalone));
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await bundle('apps/platform/src/main.ts', 'dist/apps/platform/main.js');
  console.log(`built ${out}`);
  // Worker-thread entries, found beside the bundle by core's bundledWorkerScript (a deployment has no esbuild).
  for (const worker of [
    'libs/services/backtesting/src/sweep/sweep-worker.ts',
    'libs/services/quantum-optimization/src/service/optimization-worker.ts',
    'libs/services/data-pipeline/src/ingest/import-worker.ts',
    'libs/services/neural-network/src/training/training-worker.ts',
  ]) {
    const name = worker.replace(/^.*\//, '').replace(/\.ts$/, '.js');
    console.log(`built ${await bundle(worker, `dist/apps/platform/workers/${name}`)}`);
  }
  // Served by registerDashboard from beside the bundle when the sources are not there.
  console.log(`built ${await buildDashboard(join(workspaceRoot, 'dist/apps/platform/dashboard'))}`);
}
