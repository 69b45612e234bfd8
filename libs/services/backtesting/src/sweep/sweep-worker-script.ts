import type * as Esbuild from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let script: Promise<string> | undefined;

const ENTRY = 'libs/services/backtesting/src/sweep/sweep-worker.ts';

/**
 * The monorepo root holding the worker's source: searched above `from` (this module: the source tree under jest, the
 * bundle's directory in the CLI), then above the working directory (a bundle copied elsewhere, run from the checkout).
 */
export function findWorkspaceRoot(...from: string[]): string {
  for (const start of from) {
    for (let dir = start; ; dir = dirname(dir)) {
      if (existsSync(join(dir, 'tsconfig.base.json')) && existsSync(join(dir, ENTRY))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  throw new Error(
    `cannot find the workspace (tsconfig.base.json and ${ENTRY}) above ${from.join(' or ')}: run from the checkout or pass workerScript`,
  );
}

/**
 * A JavaScript file a worker thread can run: the TypeScript worker entry (sweep-worker.ts) bundled with esbuild,
 * once per process, the way `npm run rrr` bundles the platform (tsconfig paths resolved, packages left external).
 * It is written under the workspace's node_modules/.cache, named by content hash, so Node resolves the external
 * packages from the workspace and concurrent processes never overwrite a file another is loading. Works under jest
 * (this file is TypeScript there) and inside the bundled CLI alike, as both run within the checkout.
 */
export function sweepWorkerScript(): Promise<string> {
  script ??= (async () => {
    const root = findWorkspaceRoot(__dirname, process.cwd());
    // Resolved from the workspace (a devDependency of the monorepo), wherever the calling bundle lives.
    const { build } = createRequire(join(root, 'package.json'))('esbuild') as typeof Esbuild;
    const out = await build({
      entryPoints: [join(root, ENTRY)],
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
    const dir = join(root, 'node_modules', '.cache', 'rrr-backtesting');
    const file = join(dir, `sweep-worker-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.js`);
    if (!existsSync(file)) {
      mkdirSync(dir, { recursive: true });
      const temporary = `${file}.${process.pid}.tmp`;
      writeFileSync(temporary, code);
      renameSync(temporary, file);
    }
    return file;
  })();
  script.catch(() => {
    script = undefined;
  });
  return script;
}
