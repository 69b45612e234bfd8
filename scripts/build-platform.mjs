// Bundles the platform app (and the libs it imports through tsconfig paths) into one CommonJS file.
// Third-party packages stay external so native modules (better-sqlite3) and wasm assets load from node_modules.
import { build } from 'esbuild';
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

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const out = await bundle('apps/platform/src/main.ts', 'dist/apps/platform/main.js');
  console.log(`built ${out}`);
}
