import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { PathMapping } from '../../../specifiers/path-mapping';
import { updateReferences } from './update-references';

const TSCONFIG_BEFORE = `{
  // legacy service config
  "extends": "../../tsconfig.json",
  "compilerOptions": {
    "baseUrl": ".",
    "outDir": "./dist",
    "rootDir": "./src",
    "paths": { "@shared/*": ["../../src/core/*"], "@feeds/*": ["src/dataSources/*"] }
  },
  "include": ["src/**/*.ts", "tests/**/*.ts", "src/dataSources/**/*.json"],
  "references": [{ "path": "../risk_management" }],
  "files": ["src/types/legacy_globals.d.ts"]
}
`;
const TSCONFIG_AFTER = `{
  // legacy service config
  "extends": "../../../tsconfig.json",
  "compilerOptions": {
    "baseUrl": ".",
    "outDir": "./dist",
    "rootDir": "./src",
    "paths": { "@shared/*": ["../../core/src/*"], "@feeds/*": ["src/data-sources/*"] }
  },
  "include": ["src/**/*.ts", "src/**/*.ts", "src/data-sources/**/*.json"],
  "references": [{ "path": "../risk-management" }],
  "files": ["src/types/legacy-globals.d.ts"]
}
`;

const JEST_BEFORE = `// legacy jest config
const { join } = require('path');
module.exports = {
  preset: '../../jest.preset.js',
  roots: ['<rootDir>/src', '<rootDir>/tests'],
  setupFiles: ['./tests/setup_env.ts'],
  moduleNameMapper: {
    '^@shared/(.*)$': '<rootDir>/../../src/core/$1',
    '^@feeds/(.*)$': '<rootDir>/src/dataSources/$1',
  },
  testEnvironment: 'node',
  cacheDirectory: join(__dirname, './.cache'),
};
`;
const JEST_AFTER = `// legacy jest config
const { join } = require('path');
module.exports = {
  preset: '../../../jest.preset.js',
  roots: ['<rootDir>/src', '<rootDir>/src'],
  setupFiles: ['./src/setup-env.ts'],
  moduleNameMapper: {
    '^@shared/(.*)$': '<rootDir>/../../core/src/$1',
    '^@feeds/(.*)$': '<rootDir>/src/data-sources/$1',
  },
  testEnvironment: 'node',
  cacheDirectory: join(__dirname, './.cache'),
};
`;

const PACKAGE_BEFORE = `{
  "name": "data_pipeline",
  "main": "src/index.ts",
  "types": "./src/index.ts",
  "bin": { "backfill": "./scripts/backfill_run.js" },
  "exports": {
    ".": { "types": "./src/index.ts", "default": "./dist/index.js" },
    "./feeds": "./src/dataSources/index.ts"
  },
  "scripts": { "build": "tsc -p ./src/dataSources" }
}
`;
const PACKAGE_AFTER = PACKAGE_BEFORE.replace('./scripts/backfill_run.js', './scripts/backfill-run.js').replace(
  '"./src/dataSources/index.ts"',
  '"./src/data-sources/index.ts"',
);

const README_BEFORE = [
  '# Data pipeline',
  '',
  'See [the feed](src/dataSources/price_feed.ts) and [core types](../../src/core/types.ts#L3).',
  '![diagram](./docs/pipeline%20diagram.png "Pipeline")',
  'Visit [site](https://example.com), [section](#usage) or [the build](./dist/index.js).',
  '',
  '[risk]: ../risk_management/README.md',
  '',
  '`[not a link](../../src/core/types.ts)`',
  '',
  '```ts',
  '// [also not](../../src/core/types.ts)',
  '```',
  '',
  '    [indented code](../../src/core/types.ts)',
  '',
].join('\n');
const README_AFTER = README_BEFORE.replace('src/dataSources/price_feed.ts', 'src/data-sources/price-feed.ts')
  .replace('(../../src/core/types.ts#L3)', '(../../core/src/types.ts#L3)')
  .replace('./docs/pipeline%20diagram.png', '../../../docs/services/data-pipeline/pipeline-diagram.png')
  .replace('../risk_management/README.md', '../risk-management/README.md');

function consolidated(): { tree: Tree; mapping: PathMapping } {
  const tree = createTreeWithEmptyWorkspace();
  const moves: Array<[string, string, string]> = [
    ['worktrees/data_pipeline/tsconfig.json', 'libs/services/data-pipeline/tsconfig.json', TSCONFIG_BEFORE],
    ['worktrees/data_pipeline/jest.config.js', 'libs/services/data-pipeline/jest.config.js', JEST_BEFORE],
    ['worktrees/data_pipeline/package.json', 'libs/services/data-pipeline/package.json', PACKAGE_BEFORE],
    ['worktrees/data_pipeline/README.md', 'libs/services/data-pipeline/README.md', README_BEFORE],
    ['worktrees/data_pipeline/src/index.ts', 'libs/services/data-pipeline/src/index.ts', ''],
    ['worktrees/data_pipeline/src/dataSources/index.ts', 'libs/services/data-pipeline/src/data-sources/index.ts', ''],
    [
      'worktrees/data_pipeline/src/dataSources/price_feed.ts',
      'libs/services/data-pipeline/src/data-sources/price-feed.ts',
      '',
    ],
    [
      'worktrees/data_pipeline/src/types/legacy_globals.d.ts',
      'libs/services/data-pipeline/src/types/legacy-globals.d.ts',
      '',
    ],
    ['worktrees/data_pipeline/tests/setup_env.ts', 'libs/services/data-pipeline/src/setup-env.ts', ''],
    ['worktrees/data_pipeline/tests/feed.spec.ts', 'libs/services/data-pipeline/src/feed.spec.ts', ''],
    ['worktrees/data_pipeline/scripts/backfill_run.js', 'libs/services/data-pipeline/scripts/backfill-run.js', ''],
    ['worktrees/data_pipeline/docs/pipeline diagram.png', 'docs/services/data-pipeline/pipeline-diagram.png', 'png'],
    ['worktrees/risk_management/README.md', 'libs/services/risk-management/README.md', '# Risk\n'],
    ['worktrees/risk_management/tsconfig.json', 'libs/services/risk-management/tsconfig.json', '{}'],
    ['src/core/types.ts', 'libs/core/src/types.ts', ''],
  ];
  const mapping = new PathMapping();
  for (const [oldPath, newPath, content] of moves) {
    tree.write(newPath, content);
    mapping.set(oldPath, newPath);
  }
  tree.write('tsconfig.json', '{}');
  tree.write('jest.preset.js', 'module.exports = {};');
  tree.write('docs/overview.md', 'The [pipeline](../worktrees/data_pipeline/README.md) and [ADRs](./adr/).\n');
  return { tree, mapping };
}

describe('updateReferences', () => {
  const files = [
    'libs/services/data-pipeline/tsconfig.json',
    'libs/services/data-pipeline/jest.config.js',
    'libs/services/data-pipeline/package.json',
    'libs/services/data-pipeline/README.md',
    'docs/overview.md',
    'libs/services/data-pipeline/src/index.ts',
  ];

  it('rewrites tsconfig extends, paths, references, files and include by resolution, keeping comments', () => {
    const { tree, mapping } = consolidated();
    updateReferences(tree, { files, mapping });
    expect(tree.read('libs/services/data-pipeline/tsconfig.json', 'utf-8')).toBe(TSCONFIG_AFTER);
  });

  it('rewrites path strings in jest configs but not keys, module specifiers or plain words', () => {
    const { tree, mapping } = consolidated();
    updateReferences(tree, { files, mapping });
    expect(tree.read('libs/services/data-pipeline/jest.config.js', 'utf-8')).toBe(JEST_AFTER);
  });

  it('rewrites package.json entry fields that point at moved files and leaves build output alone', () => {
    const { tree, mapping } = consolidated();
    updateReferences(tree, { files, mapping });
    expect(tree.read('libs/services/data-pipeline/package.json', 'utf-8')).toBe(PACKAGE_AFTER);
  });

  it('rewrites relative markdown links and images outside code, in moved and unmoved documents', () => {
    const { tree, mapping } = consolidated();
    updateReferences(tree, { files, mapping });
    expect(tree.read('libs/services/data-pipeline/README.md', 'utf-8')).toBe(README_AFTER);
    expect(tree.read('docs/overview.md', 'utf-8')).toBe(
      'The [pipeline](../libs/services/data-pipeline/README.md) and [ADRs](./adr/).\n',
    );
  });

  it('reports every update with its kind and line', () => {
    const { tree, mapping } = consolidated();
    const report = updateReferences(tree, { files, mapping });
    expect(report.byKind).toEqual({
      'tsconfig-extends': 1,
      'tsconfig-paths': 2,
      'tsconfig-references': 1,
      'tsconfig-files': 3,
      'tsconfig-compiler-option': 0,
      'jest-config': 5,
      'package-json': 2,
      'markdown-link': 5,
    });
    expect(report.updated).toContainEqual({
      file: 'libs/services/data-pipeline/README.md',
      line: 7,
      kind: 'markdown-link',
      from: '../risk_management/README.md',
      to: '../risk-management/README.md',
    });
    expect(report.filesChanged.sort()).toEqual(files.slice(0, 5).sort());
  });

  it('changes nothing on a second run', () => {
    const { tree, mapping } = consolidated();
    updateReferences(tree, { files, mapping });
    const settled = new PathMapping();
    const report = updateReferences(tree, { files, mapping: settled });
    expect(report.updated).toEqual([]);
  });
});
