import type * as Esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';

const scripts = new Map<string, Promise<string>>();

/**
 * The monorepo root holding `entry` (a path relative to it): searched above each of `from` in turn (the source tree
 * under jest, the bundle's directory in the CLI, the working directory for a bundle copied elsewhere).
 */
export function findWorkspaceRoot(entry: string, ...from: string[]): string {
  for (const start of from) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'tsconfig.base.json')) && existsSync(join(dir, entry))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(
    `cannot find the workspace (tsconfig.base.json and ${entry}) above ${from.join(' or ')}: run from the checkout or pass a worker script`,
  );
}

/**
 * A JavaScript file a worker thread can run, built from a TypeScript worker entry of the workspace (e.g.
 * `libs/services/backtesting/src/sweep/sweep-worker.ts`): bundled with esbuild once per process and entry, the way
 * `npm run rrr` bundles the platform (tsconfig paths resolved, packages left external). It is written under the
 * workspace's node_modules/.cache/<cacheName>, named by content hash, so Node resolves the external packages from the
 * workspace and concurrent processes never overwrite a file another is loading. Works under jest (TypeScript source)
 * and inside the bundled CLI alike, as both run within the checkout. A bundle deployed without the checkout uses the
 * worker prebuilt beside it (`<bundle dir>/workers/<entry name>.js`, written by scripts/build-platform.mjs).
 */
export function bundledWorkerScript(entry: string, cacheName: string): Promise<string> {
  const key = `${cacheName}|${entry}`;
  let script = scripts.get(key);
  if (script !== undefined) return script;
  script = (async () => {
    // A deployed bundle has no sources and no esbuild: scripts/build-platform.mjs puts the workers beside it.
    const prebuilt = join(__dirname, 'workers', `${basename(entry, '.ts')}.js`);
    if (existsSync(prebuilt)) return prebuilt;
    const root = findWorkspaceRoot(entry, __dirname, process.cwd());
    // Resolved from the workspace (a devDependency of the monorepo), wherever the calling bundle lives.
    const { build } = createRequire(join(root, 'package.json'))('esbuild') as typeof Esbuild;
    const out = await build({
      entryPoints: [join(root, entry)],
      bundle: true,
      write: false,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: 'external',
      tsconfig: join(root, 'tsconfig.base.json'),
      logLevel: 'error',
    });
    const code = out.outputFiles[0].contents;
    const dir = join(root, 'node_modules', '.cache', cacheName);
    const file = join(
      dir,
      `${basename(entry, '.ts')}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`,
    );
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, code);
      renameSync(temporary, file);
    }
    return file;
  })();
  scripts.set(key, script);
  script.catch(() => scripts.delete(key));
  return script;
}
