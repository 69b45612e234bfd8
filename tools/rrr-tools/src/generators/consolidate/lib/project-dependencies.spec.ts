import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { treeFileSystem } from '../../../specifiers/file-systems';
import { createModuleResolver } from '../../../specifiers/module-resolver';
import type { ProjectInfo } from '../../../specifiers/project-info';
import { deriveProjectDependencies, edgeKey, withDependents } from './project-dependencies';

const PROJECTS: ProjectInfo[] = [
  { name: 'core', root: 'libs/core', importPath: '@rrr/core', entry: 'libs/core/src/index.ts' },
  { name: 'risk', root: 'libs/services/risk', importPath: '@rrr/risk', entry: 'libs/services/risk/src/index.ts' },
  {
    name: 'trading',
    root: 'libs/services/trading',
    importPath: '@rrr/trading',
    entry: 'libs/services/trading/src/index.ts',
  },
  {
    name: 'backtest',
    root: 'libs/services/backtest',
    importPath: '@rrr/backtest',
    entry: 'libs/services/backtest/src/index.ts',
  },
];

describe('deriveProjectDependencies', () => {
  it('draws an edge for every reference that resolves into another project, mocks and type queries included', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write(
      'tsconfig.base.json',
      JSON.stringify({
        compilerOptions: { baseUrl: '.', paths: Object.fromEntries(PROJECTS.map((p) => [p.importPath, [p.entry]])) },
      }),
    );
    tree.write('libs/core/src/index.ts', 'export type Side = "buy" | "sell";\n');
    tree.write(
      'libs/services/risk/src/index.ts',
      "import type { Side } from '@rrr/core';\nexport const check = (s: Side) => s;\n",
    );
    tree.write('libs/services/risk/src/limits.ts', 'export const LIMIT = 1;\n');
    tree.write('libs/services/trading/src/index.ts', "export { check } from '@rrr/risk';\nimport './local';\n");
    tree.write('libs/services/trading/src/local.ts', 'export {};\n');
    tree.write(
      'libs/services/trading/src/__tests__/oms.test.ts',
      "jest.mock('../../../risk/src/limits');\nimport 'lodash';\n",
    );
    tree.write('libs/services/backtest/src/index.ts', "export type T = typeof import('@rrr/trading');\n");
    const deps = deriveProjectDependencies(tree, {
      files: [
        'libs/core/src/index.ts',
        'libs/services/risk/src/index.ts',
        'libs/services/trading/src/index.ts',
        'libs/services/trading/src/__tests__/oms.test.ts',
        'libs/services/backtest/src/index.ts',
        'tools/script.ts',
      ],
      projects: PROJECTS,
      resolve: createModuleResolver(treeFileSystem(tree), { fallbackTsconfig: 'tsconfig.base.json' }),
    });
    expect(Object.fromEntries([...deps.edges].map(([k, v]) => [k, [...v].sort()]))).toEqual({
      core: [],
      risk: ['core'],
      trading: ['risk'],
      backtest: ['trading'],
    });
    expect(deps.examples.get(edgeKey('backtest', 'trading'))).toEqual({
      file: 'libs/services/backtest/src/index.ts',
      line: 1,
      kind: 'type-query',
    });
  });
});

describe('withDependents', () => {
  it('adds every project that depends on a changed one, transitively', () => {
    const edges = new Map([
      ['core', new Set<string>()],
      ['risk', new Set(['core'])],
      ['trading', new Set(['risk'])],
      ['monitoring', new Set(['core'])],
    ]);
    expect([...withDependents(['risk'], edges)].sort()).toEqual(['risk', 'trading']);
    expect([...withDependents(['core'], edges)].sort()).toEqual(['core', 'monitoring', 'risk', 'trading']);
  });
});
