import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The node_modules of the workspace this plugin lives in, and the plugin's folder in it. Found through Nx's package,
 * not `__dirname`: the benchmark runs this file bundled under dist/.
 */
const NX_ROOT = dirname(require.resolve('nx/package.json'));
export const WORKSPACE_MODULES = dirname(NX_ROOT);
export const PLUGIN_ROOT = join(WORKSPACE_MODULES, '../tools/rrr-tools');
const NX_BIN = join(NX_ROOT, 'dist/bin/nx.js');

export interface NxRun {
  status: number | null;
  output: string;
}

/**
 * Installs this workspace's packages and the plugin into `root`'s node_modules, as symlinks — what
 * `npm i -D file:<plugin>` gives: Nx then finds `@rrr/tools` and loads its TypeScript sources through its plugin
 * transpiler.
 */
export function installPlugin(root: string): void {
  const modules = join(root, 'node_modules');
  mkdirSync(join(modules, '@rrr'), { recursive: true });
  for (const entry of readdirSync(WORKSPACE_MODULES)) {
    if (entry !== '@rrr') symlinkSync(join(WORKSPACE_MODULES, entry), join(modules, entry));
  }
  symlinkSync(PLUGIN_ROOT, join(modules, '@rrr/tools'));
}

/**
 * A runner of the Nx CLI in `root`, with Nx's workspace data and cache in `dataDir` (so the repository holds only
 * what the commands do) and no daemon. Output goes to a file in `dataDir`, not a pipe: Nx exits as soon as a
 * generator's task is done, and writes still queued on a pipe would be lost.
 */
export function nxRunner(root: string, dataDir: string): (...args: string[]) => NxRun {
  let runs = 0;
  mkdirSync(dataDir, { recursive: true });
  return (...args) => {
    const log = join(dataDir, `nx-${++runs}.log`);
    const fd = openSync(log, 'w');
    try {
      const result = spawnSync(process.execPath, [NX_BIN, ...args, '--no-interactive'], {
        cwd: root,
        env: {
          ...process.env,
          NX_DAEMON: 'false',
          NX_NO_CLOUD: 'true',
          NX_WORKSPACE_DATA_DIRECTORY: join(dataDir, 'workspace-data'),
          NX_CACHE_DIRECTORY: join(dataDir, 'cache'),
          NX_DRY_RUN: undefined,
          FORCE_COLOR: '0',
        },
        stdio: ['ignore', fd, fd],
      });
      return { status: result.status, output: readFileSync(log, 'utf8') };
    } finally {
      closeSync(fd);
    }
  };
}
