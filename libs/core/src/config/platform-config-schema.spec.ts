import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { bundledWorkerScript } from '../async/bundled-worker-script';
import { PLATFORM_SECRET_KEYS, platformConfigSchema } from './platform-config-schema';

describe('platformConfigSchema', () => {
  it('lists in PLATFORM_SECRET_KEYS exactly the keys of its secrets section, in order', () => {
    const secrets = platformConfigSchema().shape.secrets.unwrap();
    expect(Object.keys(secrets.shape)).toEqual([...PLATFORM_SECRET_KEYS]);
  });

  it('is built once', () => {
    expect(platformConfigSchema()).toBe(platformConfigSchema());
  });

  it('leaves zod unloaded until a config is read: importing core does not pay for it', async () => {
    // Core bundled as the platform and its workers load it (packages external, resolved from the workspace).
    const core = await bundledWorkerScript('libs/core/src/index.ts', 'rrr-test-children');
    const probe = `
      const zodLoaded = () => Object.keys(require.cache).some((file) => file.includes('/node_modules/zod/'));
      const core = require(${JSON.stringify(core)});
      const before = zodLoaded();
      core.loadConfig({ env: {}, configDir: ${JSON.stringify(tmpdir())} });
      process.stdout.write(JSON.stringify({ before, after: zodLoaded() }));
    `;
    const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ before: false, after: true });
  });
});
