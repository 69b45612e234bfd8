import { configEnvVarNames, defaultPlatformConfig, loadConfig } from '@rrr/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { parse } from 'yaml';

const root = join(__dirname, '../../../..');
const read = (file: string) => readFileSync(join(root, file), 'utf8');

/** Every variable the platform reads: the derived RRR_* names, the conventional secret names, and RRR_ENV. */
const knownEnvNames = new Set([...configEnvVarNames().map((v) => v.name), 'RRR_ENV']);

/** Compose's `${NAME:-default}` with nothing set on the host: the default. */
function interpolate(value: string): string {
  return value.replace(
    /\$\{([A-Z0-9_]+)(?::-([^}]*))?\}/g,
    (_match, _name: string, fallback?: string) => fallback ?? '',
  );
}

/** Dockerfile instructions with their arguments, line continuations joined and comments dropped. */
function dockerInstructions(text: string): { instruction: string; args: string }[] {
  const joined = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
    .map((line) => {
      const [instruction, ...rest] = line.split(/\s+/);
      return { instruction: instruction.toUpperCase(), args: rest.join(' ') };
    });
}

/** `KEY=value KEY2=value2` of an ENV instruction. */
function envPairs(args: string): Record<string, string> {
  return Object.fromEntries(args.split(/\s+/).map((pair) => pair.split('=', 2) as [string, string]));
}

describe('deployment files', () => {
  describe('Dockerfile', () => {
    const instructions = dockerInstructions(read('Dockerfile'));
    const stages = instructions.filter((i) => i.instruction === 'FROM');
    const runtimeStart = instructions.lastIndexOf(stages[stages.length - 1]);
    const runtime = instructions.slice(runtimeStart);
    const build = instructions.slice(0, runtimeStart);
    const one = (list: typeof instructions, name: string) => list.filter((i) => i.instruction === name);

    it('builds in one stage with npm ci and the bundle script, and prunes dev dependencies', () => {
      expect(stages.map((s) => s.args)).toEqual(['${NODE_IMAGE} AS build', '${NODE_IMAGE} AS runtime']);
      const runs = one(build, 'RUN').map((r) => r.args);
      expect(runs).toContain('npm ci --no-audit --no-fund');
      expect(runs).toContain('node scripts/build-platform.mjs');
      expect(runs.indexOf('npm prune --omit=dev --no-audit --no-fund')).toBeGreaterThan(
        runs.indexOf('node scripts/build-platform.mjs'),
      );
      // The runtime stage installs nothing: it copies the pruned node_modules and the bundle.
      expect(one(runtime, 'RUN').map((r) => r.args)).toEqual(['mkdir -p /data/models && chown -R node:node /data']);
      expect(one(runtime, 'COPY').map((c) => c.args)).toEqual([
        '--from=build /app/package.json ./package.json',
        '--from=build /app/node_modules ./node_modules',
        '--from=build /app/dist/apps/platform ./dist/apps/platform',
      ]);
    });

    it('runs the bundle the build script writes', () => {
      const written = /bundle\('apps\/platform\/src\/main\.ts', '([^']+)'\)/.exec(read('scripts/build-platform.mjs'));
      expect(written).not.toBeNull();
      const cmd = JSON.parse(one(runtime, 'CMD')[0].args) as string[];
      expect(cmd).toEqual(['node', written?.[1], 'serve']);
      const copied = one(runtime, 'COPY')
        .find((c) => c.args.includes('dist/apps/platform'))
        ?.args.split(' ')[2];
      expect(posix.dirname(written?.[1] ?? '')).toBe(posix.normalize(copied ?? ''));
    });

    it('runs as a non-root user, exposes the configured port, checks /health and keeps the SQLite file on a volume', () => {
      expect(one(runtime, 'USER').map((u) => u.args)).toEqual(['node']);
      const env = envPairs(one(runtime, 'ENV')[0].args);
      for (const name of Object.keys(env).filter((n) => n !== 'NODE_ENV')) expect(knownEnvNames).toContain(name);
      expect(one(runtime, 'EXPOSE').map((e) => e.args)).toEqual([env['RRR_SERVER_PORT']]);
      expect(Number(env['RRR_SERVER_PORT'])).toBe(defaultPlatformConfig().server.port);
      expect(env['RRR_SERVER_HOST']).toBe('0.0.0.0');
      const volumes = JSON.parse(one(runtime, 'VOLUME')[0].args) as string[];
      expect(volumes).toContain(dirname(env['RRR_DATABASE_SQLITE_PATH']));
      expect(volumes).toContain(dirname(env['RRR_MODELS_DIR']));
      const healthcheck = one(runtime, 'HEALTHCHECK')[0].args;
      expect(healthcheck).toMatch(/^--interval=\d+s --timeout=\d+s --start-period=\d+s --retries=\d+ CMD \[/);
      expect(healthcheck).toContain("'/health'");
    });

    it('keeps host state out of the build context', () => {
      const ignored = read('.dockerignore')
        .split('\n')
        .filter((line) => line.trim() !== '' && !line.startsWith('#'));
      expect(ignored).toEqual(expect.arrayContaining(['node_modules', 'dist', '.git', 'data', '*.db']));
    });
  });

  describe('docker-compose.yml', () => {
    const compose = parse(read('docker-compose.yml')) as {
      services: Record<string, { environment?: Record<string, string>; command?: string[]; depends_on?: object }>;
    };
    const platformEnv = compose.services['platform'].environment ?? {};

    it('runs the platform next to PostgreSQL and NATS with JetStream', () => {
      expect(Object.keys(compose.services).sort()).toEqual(['nats', 'platform', 'postgres']);
      expect(compose.services['nats'].command).toContain('-js');
      expect(Object.keys(compose.services['platform'].depends_on ?? {}).sort()).toEqual(['nats', 'postgres']);
    });

    it('sets only variables the platform reads', () => {
      const unknown = Object.keys(platformEnv).filter((name) => !knownEnvNames.has(name));
      expect(unknown).toEqual([]);
    });

    it('is a valid configuration pointing at the compose services', () => {
      const env = Object.fromEntries(Object.entries(platformEnv).map(([name, value]) => [name, interpolate(value)]));
      const dir = mkdtempSync(join(tmpdir(), 'rrr-compose-config-'));
      try {
        const config = loadConfig({ env, configDir: dir });
        expect(config.env).toBe('production');
        expect(config.server).toMatchObject({ host: '0.0.0.0', port: 3000 });
        expect(new URL(config.database.url ?? '').host).toBe('postgres:5432');
        expect(config.bus).toMatchObject({ kind: 'nats', natsUrl: 'nats://nats:4222' });
        // Credentials pass through from the host; unset there, they stay unset.
        expect(config.secrets).toEqual({});
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('.github/workflows/ci.yml', () => {
    type Step = { uses?: string; run?: string; with?: Record<string, unknown> };
    const workflow = parse(read('.github/workflows/ci.yml')) as {
      jobs: Record<string, { services?: Record<string, { image: string }>; steps: Step[] }>;
    };
    const [job] = Object.values(workflow.jobs);
    const step = (action: string) => job.steps.find((s) => s.uses?.startsWith(`${action}@`));

    it('checks out the whole history and sets up Node 20', () => {
      expect(step('actions/checkout')?.with).toMatchObject({ 'fetch-depth': 0 });
      expect(step('actions/setup-node')?.with).toMatchObject({ 'node-version': 20 });
    });

    it('provides PostgreSQL, Redis and NATS with JetStream', () => {
      expect(Object.keys(job.services ?? {}).sort()).toEqual(['postgres', 'redis']);
      expect(job.steps.some((s) => /docker run .*nats:[\w.-]+ -js$/.test(s.run ?? ''))).toBe(true);
    });

    it('installs with npm ci and runs lint, typecheck and test on the affected projects', () => {
      const runs = job.steps.map((s) => s.run ?? s.uses ?? '');
      const order = ['npm ci', 'nrwl/nx-set-shas@', 'npx nx affected -t lint typecheck test'].map((part) =>
        runs.findIndex((r) => r.startsWith(part)),
      );
      expect(order.every((index) => index >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    });
  });
});
