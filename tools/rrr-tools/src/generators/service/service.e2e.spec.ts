import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { installPlugin, nxRunner, PLUGIN_ROOT } from '../../testing/nx-cli';
import { readServiceRegistry, SERVICE_REGISTRY_PATH } from '../consolidate/lib/write-service-registry';

/**
 * `nx g @rrr/tools:service` through the Nx CLI in a temp workspace set up like this one (its nx.json targets, root
 * tsconfig, jest preset, prettier and eslint configs with the module-boundaries table, a core library exporting the
 * registry's Service contract), then the generated library is linted with the boundary rule, typechecked with its
 * own tsconfigs and its spec run with jest, as `nx run-many -t lint typecheck test` would.
 */
jest.setTimeout(90_000);

const WORKSPACE_ROOT = join(PLUGIN_ROOT, '../..');
const TSC_BIN = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');
const JEST_BIN = join(dirname(require.resolve('jest/package.json')), 'bin/jest.js');
const ESLINT_BIN = join(dirname(require.resolve('eslint/package.json')), 'bin/eslint.js');

function write(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const json = (value: unknown) => JSON.stringify(value, null, 2) + '\n';

function createWorkspace(root: string): void {
  const nxJson = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'nx.json'), 'utf8'));
  // This workspace's own graph plugin lives at a path of this workspace; the linter's inference is what matters.
  nxJson.plugins = nxJson.plugins.filter((plugin: { plugin: string }) => plugin.plugin === '@nx/eslint/plugin');
  write(root, 'nx.json', json(nxJson));
  const tsconfig = JSON.parse(readFileSync(join(WORKSPACE_ROOT, 'tsconfig.base.json'), 'utf8'));
  tsconfig.compilerOptions.paths = { '@rrr/core': ['libs/core/src/index.ts'] };
  write(root, 'tsconfig.base.json', json(tsconfig));
  for (const file of ['jest.preset.js', 'eslint.config.mjs', '.prettierrc']) {
    write(root, file, readFileSync(join(WORKSPACE_ROOT, file), 'utf8'));
  }
  write(root, 'package.json', json({ name: 'service-e2e', version: '0.0.0', private: true }));
  write(
    root,
    'libs/core/project.json',
    json({ name: 'core', sourceRoot: 'libs/core/src', projectType: 'library', tags: ['scope:core'], targets: {} }),
  );
  write(root, 'libs/core/src/index.ts', "export * from './registry/service';\n");
  write(
    root,
    'libs/core/src/registry/service.ts',
    [
      "export type HealthStatus = 'up' | 'degraded' | 'down';",
      'export interface HealthReport {',
      '  status: HealthStatus;',
      '  details?: Record<string, unknown>;',
      '}',
      'export interface Service {',
      '  start(): Promise<void>;',
      '  stop(): Promise<void>;',
      '  health(): Promise<HealthReport> | HealthReport;',
      '}',
      '',
    ].join('\n'),
  );
  installPlugin(root);
}

/** Every file below root except node_modules → its size and modification time: a write shows. */
function snapshot(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string) => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (path === 'node_modules') continue;
      if (entry.isDirectory()) visit(path);
      else {
        const stat = statSync(join(root, path));
        out[path] = `${stat.size} ${stat.mtimeMs}`;
      }
    }
  };
  visit('');
  return out;
}

describe('nx g @rrr/tools:service (e2e)', () => {
  let dir: string;
  let root: string;
  let nx: ReturnType<typeof nxRunner>;
  const lib = 'libs/services/pricing-feed';

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-service-e2e-'));
    root = join(dir, 'workspace');
    createWorkspace(root);
    nx = nxRunner(root, join(dir, 'nx'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('--dry-run prints what it would create and writes nothing', () => {
    const before = snapshot(root);
    const run = nx('g', '@rrr/tools:service', 'pricing-feed', '--dry-run');
    expect(run.output).toContain(`CREATE ${lib}/src/service/create-pricing-feed-service.ts`);
    expect(run.output).toContain('UPDATE eslint.config.mjs');
    expect(run.output).toContain(`CREATE ${SERVICE_REGISTRY_PATH}`);
    expect(run.status).toBe(0);
    expect(snapshot(root)).toEqual(before);
  });

  it('generates a library that lints under the boundary rule, typechecks and whose spec passes', () => {
    const run = nx('g', '@rrr/tools:service', 'pricing-feed');
    expect(run.status).toBe(0);
    expect(readFileSync(join(root, 'eslint.config.mjs'), 'utf8')).toContain(
      "{ sourceTag: 'service:pricing-feed', onlyDependOnLibsWithTags: ['scope:core'] },",
    );
    expect(readServiceRegistry(readFileSync(join(root, SERVICE_REGISTRY_PATH), 'utf8'))).toEqual({
      'pricing-feed': [],
    });
    expect(readFileSync(join(root, `${lib}/src/service/create-pricing-feed-service.ts`), 'utf8')).toContain(
      "import type { HealthReport, Service } from '@rrr/core';",
    );

    for (const config of ['tsconfig.lib.json', 'tsconfig.spec.json']) {
      const tsc = spawnSync(process.execPath, [TSC_BIN, '--noEmit', '-p', `${lib}/${config}`], {
        cwd: root,
        encoding: 'utf8',
      });
      expect(`${config}: ${tsc.stdout}${tsc.stderr}`).toBe(`${config}: `);
    }

    const jest = spawnSync(process.execPath, [JEST_BIN, '--ci', '--json', '--projects', lib], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    const results = JSON.parse(jest.stdout) as { numPassedTests: number; numFailedTests: number };
    expect({ passed: results.numPassedTests, failed: results.numFailedTests }).toEqual({ passed: 2, failed: 0 });

    // A second service the first may not use: the boundary rule must refuse exactly that import.
    expect(nx('g', '@rrr/tools:service', 'quotes').status).toBe(0);
    write(root, `${lib}/src/service/uses-quotes.ts`, "export { createQuotesService } from '@rrr/quotes';\n");
    // The rule reads the cached project graph, which `nx lint` would refresh first.
    expect(nx('show', 'projects').output).toContain('quotes');
    const eslint = spawnSync(process.execPath, [ESLINT_BIN, '--format', 'json', 'libs/services'], {
      cwd: root,
      encoding: 'utf8',
      env: { ...process.env, NX_DAEMON: 'false', NX_WORKSPACE_DATA_DIRECTORY: join(dir, 'nx/workspace-data') },
    });
    const reports = JSON.parse(eslint.stdout) as Array<{
      filePath: string;
      messages: Array<{ ruleId: string | null; message: string }>;
    }>;
    const problems = reports.flatMap((report) =>
      report.messages.map((message) => `${report.filePath.slice(root.length + 1)}: ${message.ruleId}`),
    );
    expect(problems).toEqual([`${lib}/src/service/uses-quotes.ts: @nx/enforce-module-boundaries`]);
    expect(reports.filter((report) => report.filePath.includes('/src/')).length).toBeGreaterThanOrEqual(7);
  });
});
