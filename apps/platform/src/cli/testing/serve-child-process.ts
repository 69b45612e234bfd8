import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { workspaceRoot } from '@nx/devkit';
import { buildSync } from 'esbuild';

/** Bundles the `rrr` CLI as `npm start` does (libs inlined, packages external) into `<dir>/main.js`. */
export function bundlePlatformCli(dir: string): string {
  const bundle = join(dir, 'main.js');
  buildSync({
    entryPoints: [join(workspaceRoot, 'apps/platform/src/main.ts')],
    outfile: bundle,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    tsconfig: join(workspaceRoot, 'tsconfig.base.json'),
    logLevel: 'error',
  });
  return bundle;
}

export interface ServeChildProcess {
  child: ChildProcessWithoutNullStreams;
  /** Resolves when serve reports it is up: with the API's URL, or null for a process without the api service. */
  ready: Promise<string | null>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  stderr(): string;
}

/**
 * Runs `rrr serve` from a bundle in a child process with only the given environment (plus PATH and the workspace's
 * node_modules to resolve the bundle's packages), the working directory and config dir `dir`.
 */
export function spawnServe(bundle: string, dir: string, env: NodeJS.ProcessEnv): ServeChildProcess {
  const child = spawn(process.execPath, [bundle, 'serve', '--port', '0', '--config-dir', dir], {
    env: { PATH: process.env.PATH, NODE_PATH: join(workspaceRoot, 'node_modules'), ...env },
    cwd: dir,
  });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = new Promise<string | null>((resolve, reject) => {
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const match = /is up in \d+ ms(?:: (http:\/\/[^\s]+)\/health)?/.exec(stderr);
      if (match) resolve(match[1] ?? null);
    });
    void exited.then((code) => reject(new Error(`serve exited early with ${code}: ${stderr}`)));
  });
  // Readiness may never be awaited when a spec fails before it; the early-exit rejection must not go unhandled.
  ready.catch(() => undefined);
  return { child, ready, exited, stderr: () => stderr };
}
