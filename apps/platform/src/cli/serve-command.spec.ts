import { createLogger, loadConfig } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatform } from '../boot/create-platform';
import { bundlePlatformCli, spawnServe } from './testing/serve-child-process';

/** Runs the real bundled CLI in a child process, as `npm start` does, and drives it over HTTP and signals. */
describe('rrr serve (child process)', () => {
  let dir: string;
  let bundle: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-serve-'));
    bundle = bundlePlatformCli(dir);
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function start() {
    return spawnServe(bundle, dir, { RRR_DATABASE_SQLITE_PATH: join(dir, 'rrr.db'), RRR_LOGGING_LEVEL: 'warn' });
  }

  it('boots the registry, serves /health, and stops cleanly on SIGTERM with exit 0', async () => {
    const { child, ready, exited, stderr } = start();
    const url = await ready;
    const health = await fetch(`${url}/health`);
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('up');
    // The order itself is createPlatform's (asserted in its spec); the child must start everything in it.
    const order = createPlatform(loadConfig({ env: {}, configDir: dir }), createLogger({ level: 'silent' }))
      .registry.startOrder()
      .join(' → ');
    expect(order).toMatch(/^database → event-bus → .* → api$/);
    expect(stderr()).toContain(`services started in order: ${order}`);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  }, 20_000);
});
