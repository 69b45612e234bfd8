import { addProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { RenameCollisionError } from '../consolidate/lib/normalize-names';
import { renameGenerator } from './rename';

function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
  tree.write(
    'tsconfig.base.json',
    JSON.stringify({
      compilerOptions: {
        baseUrl: '.',
        paths: {
          '@rrr/core': ['libs/core/src/index.ts'],
          '@rrr/data-pipeline': ['libs/services/data-pipeline/src/index.ts'],
          '@rrr/backtesting': ['libs/services/backtesting/src/index.ts'],
        },
      },
    }),
  );
  addProjectConfiguration(tree, 'core', { root: 'libs/core', sourceRoot: 'libs/core/src', projectType: 'library' });
  addProjectConfiguration(tree, 'data-pipeline', {
    root: 'libs/services/data-pipeline',
    sourceRoot: 'libs/services/data-pipeline/src',
    projectType: 'library',
  });
  addProjectConfiguration(tree, 'backtesting', {
    root: 'libs/services/backtesting',
    sourceRoot: 'libs/services/backtesting/src',
    projectType: 'library',
  });
  tree.write('libs/core/src/index.ts', "export * from './time_utils';\n");
  tree.write('libs/core/src/time_utils.ts', 'export const nowMs = () => Date.now();\n');

  const dp = 'libs/services/data-pipeline';
  tree.write(`${dp}/tsconfig.json`, JSON.stringify({ extends: '../../../tsconfig.base.json', files: [], include: [] }));
  tree.write(
    `${dp}/tsconfig.lib.json`,
    '{\n  "extends": "./tsconfig.json",\n  "include": ["src/dataSources/**/*.ts", "src/**/*.ts"]\n}\n',
  );
  tree.write(`${dp}/README.md`, '# data-pipeline\n\nBars come from [the builder](src/bar_builder.ts).\n');
  tree.write(
    `${dp}/src/index.ts`,
    "export * from './dataSources/priceFeed';\nexport { buildBar } from './bar_builder';\n",
  );
  tree.write(
    `${dp}/src/dataSources/priceFeed.ts`,
    "import { nowMs } from '@rrr/core';\n\nexport const fetchPrices = async (): Promise<number[]> => [nowMs()];\n",
  );
  tree.write(
    `${dp}/src/bar_builder.ts`,
    "import { fetchPrices } from './dataSources/priceFeed';\n\nexport const buildBar = () => fetchPrices;\n",
  );
  tree.write(
    `${dp}/src/bar_builder.spec.ts`,
    "import { buildBar } from './bar_builder';\n\njest.mock('./dataSources/priceFeed');\n\nit('builds', () => expect(buildBar()).toBeDefined());\n",
  );

  const bt = 'libs/services/backtesting';
  tree.write(`${bt}/src/index.ts`, "export * from './engine';\n");
  tree.write(
    `${bt}/src/engine.ts`,
    "import { buildBar } from '@rrr/data-pipeline';\n\nexport const run = () => buildBar();\n",
  );
  tree.write(
    `${bt}/src/engine.spec.ts`,
    "import { run } from './engine';\n\njest.mock('../../data-pipeline/src/dataSources/priceFeed');\n\nit('runs', () => expect(run).toBeDefined());\n",
  );
  return tree;
}

describe('rename generator', () => {
  it('renames files and folders in the project and rewrites every reference in the workspace', async () => {
    const tree = workspace();
    const result = await renameGenerator(tree, { project: 'data-pipeline', convention: 'kebab', skipFormat: true });

    const dp = 'libs/services/data-pipeline';
    expect(tree.exists(`${dp}/src/dataSources/priceFeed.ts`)).toBe(false);
    expect(tree.exists(`${dp}/src/bar_builder.ts`)).toBe(false);
    expect(tree.read(`${dp}/src/index.ts`, 'utf-8')).toBe(
      "export * from './data-sources/price-feed';\nexport { buildBar } from './bar-builder';\n",
    );
    expect(tree.read(`${dp}/src/bar-builder.ts`, 'utf-8')).toBe(
      "import { fetchPrices } from './data-sources/price-feed';\n\nexport const buildBar = () => fetchPrices;\n",
    );
    expect(tree.read(`${dp}/src/bar-builder.spec.ts`, 'utf-8')).toBe(
      "import { buildBar } from './bar-builder';\n\njest.mock('./data-sources/price-feed');\n\nit('builds', () => expect(buildBar()).toBeDefined());\n",
    );
    expect(tree.read(`${dp}/src/data-sources/price-feed.ts`, 'utf-8')).toBe(
      "import { nowMs } from '@rrr/core';\n\nexport const fetchPrices = async (): Promise<number[]> => [nowMs()];\n",
    );
    // Another project's deep mock of a file its entry re-exports whole becomes the entry, like an import would.
    expect(tree.read('libs/services/backtesting/src/engine.spec.ts', 'utf-8')).toContain(
      "jest.mock('@rrr/data-pipeline');",
    );
    expect(result.imports?.needsExport).toEqual([]);
    // Config and docs follow too.
    expect(tree.read(`${dp}/tsconfig.lib.json`, 'utf-8')).toBe(
      '{\n  "extends": "./tsconfig.json",\n  "include": ["src/data-sources/**/*.ts", "src/**/*.ts"]\n}\n',
    );
    expect(tree.read(`${dp}/README.md`, 'utf-8')).toBe(
      '# data-pipeline\n\nBars come from [the builder](src/bar-builder.ts).\n',
    );
    expect(result.imports?.rewritten).toMatchObject({ import: 2, 'export-from': 2, 'jest-mock': 2 });
    expect(result.imports?.unresolved).toEqual([]);
  });

  it('leaves other projects untouched, even where their names break the convention', async () => {
    const tree = workspace();
    await renameGenerator(tree, { project: 'data-pipeline' });
    expect(tree.read('libs/core/src/index.ts', 'utf-8')).toBe("export * from './time_utils';\n");
    expect(tree.exists('libs/core/src/time_utils.ts')).toBe(true);
    expect(tree.read('libs/services/backtesting/src/engine.ts', 'utf-8')).toBe(
      "import { buildBar } from '@rrr/data-pipeline';\n\nexport const run = () => buildBar();\n",
    );
  });

  it('does nothing on a project that already follows the convention, so a second run is a no-op', async () => {
    const tree = workspace();
    await renameGenerator(tree, { project: 'data-pipeline', skipFormat: true });
    const before = tree.listChanges().map((change) => [change.path, change.content?.toString()]);
    const second = await renameGenerator(tree, { project: 'data-pipeline', skipFormat: true });
    expect(second.renames.size).toBe(0);
    expect(tree.listChanges().map((change) => [change.path, change.content?.toString()])).toEqual(before);
  });

  it('refuses collisions and changes nothing', async () => {
    const tree = workspace();
    tree.write('libs/services/data-pipeline/src/bar-builder.ts', 'export const other = 1;\n');
    const before = tree.listChanges().length;
    await expect(renameGenerator(tree, { project: 'data-pipeline', skipFormat: true })).rejects.toThrow(
      RenameCollisionError,
    );
    expect(tree.listChanges()).toHaveLength(before);
    expect(tree.exists('libs/services/data-pipeline/src/bar_builder.ts')).toBe(true);
  });
});
