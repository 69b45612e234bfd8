import { DependencyType, type CreateDependenciesContext, type FileData } from '@nx/devkit';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createDependencies, name } from './mock-dependencies';

const FILES: Record<string, string> = {
  'tsconfig.base.json': `{
    // comments are allowed here, as in any tsconfig
    "compilerOptions": {
      "baseUrl": ".",
      "paths": {
        "@rrr/core": ["libs/core/src/index.ts"],
        "@rrr/risk-management": ["libs/services/risk-management/src/index.ts"],
        "@rrr/data-pipeline/*": ["libs/services/data-pipeline/src/*"]
      }
    }
  }`,
  'libs/core/src/index.ts': 'export const core = 1;\n',
  'libs/services/risk-management/src/index.ts': 'export class DailyLossLimiter {}\n',
  'libs/services/data-pipeline/src/feed.ts': 'export const feed = 1;\n',
  'libs/services/trading-engine/src/executor.spec.ts': [
    "jest.mock('@rrr/risk-management');",
    "jest.mock('../../data-pipeline/src/feed');",
    "const actual = jest.requireActual('@rrr/core');",
    "jest.mock('./local-helper');",
    "jest.mock('lodash');",
    'const s = \'jest.mock("@rrr/core")\';',
  ].join('\n'),
  'libs/services/trading-engine/src/types.ts': [
    "export type Risk = typeof import('@rrr/risk-management');",
    "export type Feed = import('@rrr/data-pipeline/feed').Feed;",
  ].join('\n'),
  'libs/services/backtesting/src/engine.test.ts':
    "vi.mock('@rrr/core');\nconst x = await vi.importActual('@rrr/risk-management');\n",
  'libs/services/backtesting/src/plain.ts': "import { core } from '@rrr/core';\nexport const y = core;\n",
  'apps/platform/scripts/report.js': "/** @param {import('@rrr/core').Bar} bar */\nmodule.exports = (bar) => bar;\n",
};

const PROJECT_ROOTS: Record<string, string> = {
  core: 'libs/core',
  'risk-management': 'libs/services/risk-management',
  'data-pipeline': 'libs/services/data-pipeline',
  'trading-engine': 'libs/services/trading-engine',
  backtesting: 'libs/services/backtesting',
  platform: 'apps/platform',
};

describe('mock-dependencies project-graph plugin', () => {
  let workspaceRoot: string;

  beforeAll(() => {
    workspaceRoot = mkdtempSync(join(tmpdir(), 'rrr-graph-'));
    for (const [file, content] of Object.entries(FILES)) {
      mkdirSync(dirname(join(workspaceRoot, file)), { recursive: true });
      writeFileSync(join(workspaceRoot, file), content);
    }
  });

  afterAll(() => rmSync(workspaceRoot, { recursive: true, force: true }));

  function context(only?: string[]): CreateDependenciesContext {
    const projectFileMap: Record<string, FileData[]> = {};
    for (const [project, root] of Object.entries(PROJECT_ROOTS)) {
      projectFileMap[project] = Object.keys(FILES)
        .filter((file) => file.startsWith(root + '/'))
        .map((file) => ({ file, hash: 'h' }));
    }
    const filesToProcess = Object.fromEntries(
      Object.entries(projectFileMap).map(([project, files]) => [
        project,
        files.filter((file) => !only || only.includes(file.file)),
      ]),
    );
    return {
      externalNodes: {},
      projects: Object.fromEntries(Object.entries(PROJECT_ROOTS).map(([project, root]) => [project, { root }])),
      nxJsonConfiguration: {},
      fileMap: { projectFileMap, nonProjectFiles: [] },
      filesToProcess: { projectFileMap: filesToProcess, nonProjectFiles: [] },
      workspaceRoot,
    };
  }

  const edge = (source: string, target: string, sourceFile: string) => ({
    source,
    target,
    sourceFile,
    type: DependencyType.static,
  });

  it('is named for nx.json', () => {
    expect(name).toBe('@rrr/tools/mock-dependencies');
  });

  it('adds edges for mocked modules and type queries, and none for ordinary imports or strings', async () => {
    const dependencies = await createDependencies(undefined, context());
    const sorted = [...dependencies].sort((a, b) => `${a.source}${a.target}`.localeCompare(`${b.source}${b.target}`));
    expect(sorted).toEqual([
      edge('backtesting', 'core', 'libs/services/backtesting/src/engine.test.ts'),
      edge('backtesting', 'risk-management', 'libs/services/backtesting/src/engine.test.ts'),
      edge('platform', 'core', 'apps/platform/scripts/report.js'),
      edge('trading-engine', 'core', 'libs/services/trading-engine/src/executor.spec.ts'),
      edge('trading-engine', 'data-pipeline', 'libs/services/trading-engine/src/executor.spec.ts'),
      edge('trading-engine', 'data-pipeline', 'libs/services/trading-engine/src/types.ts'),
      edge('trading-engine', 'risk-management', 'libs/services/trading-engine/src/executor.spec.ts'),
      edge('trading-engine', 'risk-management', 'libs/services/trading-engine/src/types.ts'),
    ]);
  });

  it('reads only the files Nx asks about', async () => {
    const dependencies = await createDependencies(undefined, context(['libs/services/backtesting/src/engine.test.ts']));
    expect(dependencies.map((dependency) => dependency.target).sort()).toEqual(['core', 'risk-management']);
  });

  it('finds no aliased edges when the configured tsconfig does not exist', async () => {
    const dependencies = await createDependencies({ tsconfig: 'missing.json' }, context());
    expect(dependencies).toEqual([
      edge('trading-engine', 'data-pipeline', 'libs/services/trading-engine/src/executor.spec.ts'),
    ]);
  });
});
