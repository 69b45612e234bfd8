import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { workspaceRoot } from '@nx/devkit';
import { buildSync } from 'esbuild';

/** Runs the real bundled CLI in a child process, as `npm start` does, and drives it over HTTP and signals. */
describe('rrr serve (child process)', () => {
  let dir: string;
  let bundle: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-serve-'));
    bundle = join(dir, 'main.js');
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
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function start(): { child: ChildProcessWithoutNullStreams; ready: Promise<string>; stderr: () => string } {
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      RRR_DATABASE_SQLITE_PATH: join(dir, 'rrr.db'),
      RRR_LOGGING_LEVEL: 'warn',
    };
    // node resolves the bundle's external packages from the workspace's node_modules.
    env.NODE_PATH = join(workspaceRoot, 'node_modules');
    const child = spawn(process.execPath, [bundle, 'serve', '--port', '0', '--config-dir', dir], { env, cwd: dir });
    let stderr = '';
    const ready = new Promise<string>((resolve, reject) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        const match = /is up in \d+ ms: (http:\/\/[^\s]+)\/health/.exec(stderr);
        if (match) resolve(match[1]);
      });
      child.on('exit', (code) => reject(new Error(`serve exited early with ${code}: ${stderr}`)));
    });
    return { child, ready, stderr: () => stderr };
  }

  it('boots the registry, serves /health, and stops cleanly on SIGTERM with exit 0', async () => {
    const { child, ready, stderr } = start();
    const url = await ready;
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('up');
    expect(stderr()).toContain(
      'services started in order: database → event-bus → monitoring → data-pipeline → neural-network → trading-engine → api',
    );

    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 20_000);
});
