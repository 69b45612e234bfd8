import { readJson, readProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { join } from 'node:path';
import {
  DEFAULT_MAPPING_PATH,
  LEGACY_MAPPING_PATH,
  PathMapping,
  readPathMapping,
  writePathMapping,
} from '../../../specifiers/path-mapping';
import {
  affectedProjects,
  consolidateTree,
  layoutMoves,
  planLayouts,
  type ImportedServiceFiles,
} from './consolidate-tree';
import { readServiceRegistry, SERVICE_REGISTRY_PATH } from './write-service-registry';

const WORKSPACE_ROOT = join(__dirname, '../../../../../..');

const LEGACY_TSCONFIG = JSON.stringify({
  compilerOptions: {
    module: 'commonjs',
    strict: true,
    baseUrl: '.',
    paths: { '@shared/*': ['../../src/core/*'], '@services/risk_management/*': ['../risk_management/src/*'] },
  },
  include: ['src/**/*.ts', 'tests/**/*.ts'],
});

/** Files as the move commit leaves them: each worktree's tree verbatim under libs/services/<name>. */
const SERVICES: Record<string, { worktree: string; files: Record<string, string> }> = {
  'risk-management': {
    worktree: 'worktrees/risk_management',
    files: {
      'package.json': JSON.stringify({ name: 'rrr-risk', dependencies: { 'decimal-lite': '1.0.0' } }),
      'tsconfig.json': LEGACY_TSCONFIG,
      'jest.config.js': 'module.exports = {};\n',
      'src/index.ts': "export * from './limits/position_limits';\n",
      'src/limits/position_limits.ts':
        "import type { Side } from '@shared/types';\nexport const MAX_POSITION = 0.2;\nexport const allowed = (side: Side) => side === 'buy';\n",
      'tests/position_limits.test.ts': "import { MAX_POSITION } from '../src/limits/position_limits';\n",
      'docs/README.md': 'Entry: [index](../src/index.ts), types: [types](../../../src/core/types.ts).\n',
      'config/settings.yaml': 'port: 8002\n',
    },
  },
  'trading-engine': {
    worktree: 'worktrees/trading_engine',
    files: {
      'tsconfig.json': LEGACY_TSCONFIG,
      'src/orders/order_manager.ts': [
        "import { MAX_POSITION } from '../../../risk_management/src/limits/position_limits';",
        "import { clamp } from '../../../../src/core/math_utils';",
        'export const size = (x: number) => clamp(x, 0, MAX_POSITION);',
        '',
      ].join('\n'),
      'tests/order_manager.test.ts': [
        "jest.mock('../../risk_management/src/limits/position_limits', () => ({ MAX_POSITION: 1 }));",
        "import { size } from '../src/orders/order_manager';",
        '',
      ].join('\n'),
    },
  },
};

function legacyTree(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of ['nx.json', 'tsconfig.base.json', '.oxfmtrc.json']) tree.delete(file);
  tree.write('package.json', JSON.stringify({ name: 'legacy', scripts: { test: 'jest' } }));
  tree.write(
    'tsconfig.json',
    JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true }, include: ['src/**/*.ts'] }),
  );
  tree.write('jest.config.js', "module.exports = { roots: ['<rootDir>/src'] };\n");
  tree.write('.gitignore', 'node_modules\nworktrees/\n');
  tree.write('README.md', 'Shared types: [types](src/core/types.ts).\n');
  tree.write('src/core/index.ts', "export * from './types';\nexport * from './math_utils';\n");
  tree.write('src/core/types.ts', "export type Side = 'buy' | 'sell';\n");
  tree.write(
    'src/core/math_utils.ts',
    'export const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));\n',
  );
  for (const [name, service] of Object.entries(SERVICES)) {
    for (const [path, content] of Object.entries(service.files)) tree.write(`libs/services/${name}/${path}`, content);
  }
  return tree;
}

function services(): ImportedServiceFiles[] {
  return Object.entries(SERVICES).map(([name, service]) => ({
    name,
    worktree: service.worktree,
    branch: `service/${service.worktree.split('/')[1]}`,
    source: 'f'.repeat(40),
    target: `libs/services/${name}`,
    files: Object.keys(service.files).sort(),
    measure: { total: { files: 10, bytes: 1000 }, leftBehind: { files: 2, bytes: 100, byReason: {} } },
  }));
}

function consolidate(tree: Tree) {
  return consolidateTree(tree, {
    options: {
      worktreesDir: 'worktrees',
      shared: 'src/core',
      sharedProject: 'core',
      servicesDir: 'libs/services',
      scope: '@rrr',
      naming: 'kebab',
      backupDir: 'backups',
    },
    services: services(),
    mainBranch: 'main',
    mainBefore: 'a'.repeat(40),
    mainAfter: 'b'.repeat(40),
    backupPath: 'backups/x',
    wipCommits: [],
    dryRun: false,
    date: '2026-11-25T12:00:00.000Z',
    resolveFrom: [WORKSPACE_ROOT],
  });
}

describe('consolidateTree', () => {
  let tree: Tree;
  let result: ReturnType<typeof consolidate>;
  beforeAll(() => {
    tree = legacyTree();
    result = consolidate(tree);
  });

  it('makes every service and the shared folder an Nx library with an import path', () => {
    expect(readProjectConfiguration(tree, 'risk-management').tags).toEqual([
      'scope:service',
      'service:risk-management',
    ]);
    expect(readProjectConfiguration(tree, 'trading-engine').root).toBe('libs/services/trading-engine');
    expect(readProjectConfiguration(tree, 'core').tags).toEqual(['scope:core']);
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions.paths).toEqual({
      '@rrr/core': ['libs/core/src/index.ts'],
      '@rrr/risk-management': ['libs/services/risk-management/src/index.ts'],
      '@rrr/trading-engine': ['libs/services/trading-engine/src/index.ts'],
    });
    expect(tree.exists('tsconfig.json')).toBe(false);
    expect(tree.exists('libs/services/risk-management/package.json')).toBe(false);
    expect(readJson(tree, 'package.json').dependencies).toEqual({ 'decimal-lite': '1.0.0' });
  });

  it('lays each library out: kebab names, tests in src/__tests__, config and docs out to the workspace folders', () => {
    expect(tree.exists('libs/services/risk-management/src/limits/position-limits.ts')).toBe(true);
    expect(tree.exists('libs/services/risk-management/src/limits/position_limits.ts')).toBe(false);
    expect(tree.read('libs/services/risk-management/src/__tests__/position-limits.test.ts', 'utf-8')).toBe(
      "import { MAX_POSITION } from '../limits/position-limits';\n",
    );
    expect(tree.read('config/services/risk-management/settings.yaml', 'utf-8')).toBe('port: 8002\n');
    expect(tree.read('libs/core/src/math-utils.ts', 'utf-8')).toContain('export const clamp');
    expect(tree.exists('src/core/types.ts')).toBe(false);
  });

  it('rewrites imports by resolution: across libraries to the import path, mocks too when the entry re-exports the module', () => {
    expect(tree.read('libs/services/trading-engine/src/orders/order-manager.ts', 'utf-8')).toBe(
      [
        "import { MAX_POSITION } from '@rrr/risk-management';",
        "import { clamp } from '@rrr/core';",
        'export const size = (x: number) => clamp(x, 0, MAX_POSITION);',
        '',
      ].join('\n'),
    );
    expect(tree.read('libs/services/trading-engine/src/__tests__/order-manager.test.ts', 'utf-8')).toBe(
      [
        "jest.mock('@rrr/risk-management', () => ({ MAX_POSITION: 1 }));",
        "import { size } from '../orders/order-manager';",
        '',
      ].join('\n'),
    );
    expect(tree.read('libs/services/risk-management/src/limits/position-limits.ts', 'utf-8')).toContain(
      "import type { Side } from '@rrr/core';",
    );
    expect(result.report.imports.needsExport).toEqual([]);
    expect(result.report.imports.unresolved).toEqual([]);
  });

  it('carries markdown links through the same mapping', () => {
    expect(tree.read('docs/services/risk-management/README.md', 'utf-8')).toBe(
      'Entry: [index](../../../libs/services/risk-management/src/index.ts), types: [types](../../../libs/core/src/types.ts).\n',
    );
    expect(tree.read('README.md', 'utf-8')).toBe('Shared types: [types](libs/core/src/types.ts).\n');
  });

  it('writes the service registry from the rewritten imports', () => {
    expect(readServiceRegistry(tree.read(SERVICE_REGISTRY_PATH, 'utf-8') as string)).toEqual({
      'risk-management': [],
      'trading-engine': ['risk-management'],
    });
    expect(result.report.edges.map((e) => `${e.from}->${e.to}`)).toEqual([
      'risk-management->core',
      'trading-engine->core',
      'trading-engine->risk-management',
    ]);
  });

  it('records the mapping (old → new) with the legacy tsconfigs, for the migration', () => {
    const mapping = readPathMapping(tree, DEFAULT_MAPPING_PATH);
    expect(mapping?.oldToNew('worktrees/trading_engine/src/orders/order_manager.ts')).toBe(
      'libs/services/trading-engine/src/orders/order-manager.ts',
    );
    expect(mapping?.oldToNew('src/core/math_utils.ts')).toBe('libs/core/src/math-utils.ts');
    expect(mapping?.originalFiles['worktrees/trading_engine/tsconfig.json']).toBe(LEGACY_TSCONFIG);
    expect(mapping?.projects.map((p) => p.name).sort()).toEqual(['core', 'risk-management', 'trading-engine']);
  });

  it('records it at the root next to the report, even in a repository without a tools/ folder', () => {
    expect(DEFAULT_MAPPING_PATH).toBe('consolidation-mapping.json');
    expect(tree.exists('consolidation-mapping.json')).toBe(true);
    expect(tree.exists('MIGRATION_REPORT.md')).toBe(true);
    expect(tree.exists('tools')).toBe(false);
  });

  it('moves a mapping an earlier version recorded under tools/rrr-tools to the root, keeping its entries', () => {
    const earlier = legacyTree();
    writePathMapping(
      earlier,
      LEGACY_MAPPING_PATH,
      new PathMapping([['worktrees/gone/a.ts', 'libs/services/gone/a.ts']]),
    );
    consolidate(earlier);
    expect(earlier.exists(LEGACY_MAPPING_PATH)).toBe(false);
    const mapping = readPathMapping(earlier, DEFAULT_MAPPING_PATH);
    expect(mapping?.oldToNew('worktrees/gone/a.ts')).toBe('libs/services/gone/a.ts');
    expect(mapping?.oldToNew('src/core/math_utils.ts')).toBe('libs/core/src/math-utils.ts');
  });

  it('keeps the author’s formatting for files that existed, not for the ones it generates', () => {
    expect(result.authored.has('libs/services/trading-engine/src/orders/order-manager.ts')).toBe(true);
    expect(result.authored.has('README.md')).toBe(true);
    expect(result.authored.has('libs/services/trading-engine/project.json')).toBe(false);
    expect(result.authored.has('tsconfig.base.json')).toBe(false);
  });

  it('counts the renamed files among the changes nx affected sees', () => {
    expect(result.report.changedFiles).toBeGreaterThan(20);
    expect(result.report.affected.direct).toEqual(['core', 'risk-management', 'trading-engine']);
  });

  it('writes MIGRATION_REPORT.md', () => {
    expect(tree.read('MIGRATION_REPORT.md', 'utf-8')).toBe(result.reportText);
    expect(result.reportText).toContain('### `worktrees/trading_engine` → `trading-engine`');
  });

  it('refuses a library name that an existing project elsewhere already has', () => {
    const clash = legacyTree();
    clash.write('apps/core/project.json', JSON.stringify({ name: 'core', root: 'apps/core' }));
    expect(() => consolidate(clash)).toThrow('A project named core already exists at apps/core');
  });
});

describe('planLayouts', () => {
  it('plans every move of the services and the shared folder, which a rename commit on disk can apply first', () => {
    const options = {
      worktreesDir: 'worktrees',
      shared: 'src/core',
      sharedProject: 'core',
      servicesDir: 'libs/services',
      scope: '@rrr',
      naming: 'kebab' as const,
      backupDir: 'backups',
    };
    const moves = layoutMoves(planLayouts(options, services(), ['math_utils.ts', 'types.ts']));
    expect(moves).toEqual(
      expect.arrayContaining([
        [
          'libs/services/risk-management/tests/position_limits.test.ts',
          'libs/services/risk-management/src/__tests__/position-limits.test.ts',
        ],
        ['libs/services/risk-management/config/settings.yaml', 'config/services/risk-management/settings.yaml'],
        ['src/core/math_utils.ts', 'libs/core/src/math-utils.ts'],
        ['src/core/types.ts', 'libs/core/src/types.ts'],
      ]),
    );
    expect(moves.some(([from]) => from.endsWith('package.json'))).toBe(false);
  });

  it('applies moves a rename commit already made on disk as no-ops', () => {
    const tree = legacyTree();
    for (const [from, to] of layoutMoves(
      planLayouts(
        {
          worktreesDir: 'worktrees',
          shared: 'src/core',
          sharedProject: 'core',
          servicesDir: 'libs/services',
          scope: '@rrr',
          naming: 'kebab',
          backupDir: 'backups',
        },
        services(),
        [],
      ),
    )) {
      tree.write(to, tree.read(from) as Buffer);
      tree.delete(from);
    }
    const renamedFirst = consolidate(tree);
    expect(tree.read('libs/services/trading-engine/src/orders/order-manager.ts', 'utf-8')).toContain(
      "import { MAX_POSITION } from '@rrr/risk-management';",
    );
    expect(renamedFirst.report.imports.totalRewritten).toBe(consolidate(legacyTree()).report.imports.totalRewritten);
  });
});

describe('affectedProjects', () => {
  const projects = [
    { name: 'core', root: 'libs/core' },
    { name: 'risk', root: 'libs/risk' },
    { name: 'trading', root: 'libs/trading' },
  ];
  const edges = new Map([
    ['core', new Set<string>()],
    ['risk', new Set(['core'])],
    ['trading', new Set(['risk'])],
  ]);

  it('marks projects with changed files and their dependents', () => {
    expect(affectedProjects(['libs/risk/src/a.ts', 'docs/x.md'], projects, edges)).toEqual({
      projects: ['risk', 'trading'],
      direct: ['risk'],
      viaWorkspaceFiles: false,
      viaDependencies: ['trading'],
    });
  });

  it('marks every project when a workspace-wide input changed', () => {
    expect(affectedProjects(['tsconfig.base.json'], projects, edges).projects).toEqual(['core', 'risk', 'trading']);
  });
});
