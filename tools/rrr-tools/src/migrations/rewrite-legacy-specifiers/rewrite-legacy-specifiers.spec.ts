import { addProjectConfiguration, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DEFAULT_MAPPING_PATH,
  LEGACY_MAPPING_PATH,
  PathMapping,
  writePathMapping,
} from '../../specifiers/path-mapping';
import rewriteLegacySpecifiers from './rewrite-legacy-specifiers';

const LEGACY_TSCONFIG = JSON.stringify({
  compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['../../src/core/*'] } },
});

const STALE = [
  "import { buildBar } from './bar_builder';",
  "import { Bar } from '../../../../src/core/types';",
  "import { roundTo } from '@shared/utils';",
  "import { nowMs } from '@rrr/core';",
  "import { z } from 'zod';",
  '',
  "jest.mock('./bar_builder');",
  '',
  'export const use = (bar: Bar) => [buildBar, roundTo(bar.close, 2), nowMs, z];',
  '',
].join('\n');

const MIGRATED = STALE.replace("'./bar_builder'", "'./bar-builder'")
  .replace("'./bar_builder'", "'./bar-builder'")
  .replace("'../../../../src/core/types'", "'@rrr/core'")
  .replace("'@shared/utils'", "'@rrr/core'");

function mergedBranch(mappingPath = DEFAULT_MAPPING_PATH): Tree {
  const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
  tree.write(
    'tsconfig.base.json',
    JSON.stringify({
      compilerOptions: {
        baseUrl: '.',
        paths: {
          '@rrr/core': ['libs/core/src/index.ts'],
          '@rrr/data-pipeline': ['libs/services/data-pipeline/src/index.ts'],
        },
      },
    }),
  );
  addProjectConfiguration(tree, 'core', { root: 'libs/core' });
  addProjectConfiguration(tree, 'data-pipeline', { root: 'libs/services/data-pipeline' });
  const files: Array<[string, string, string]> = [
    ['src/core/index.ts', 'libs/core/src/index.ts', "export * from './types';\nexport { nowMs } from './time';\n"],
    ['src/core/types.ts', 'libs/core/src/types.ts', 'export interface Bar {\n  close: number;\n}\n'],
    ['src/core/time.ts', 'libs/core/src/time.ts', 'export const nowMs = () => Date.now();\n'],
    [
      'src/core/utils/index.ts',
      'libs/core/src/utils/index.ts',
      'export const roundTo = (v: number, d: number) => Number(v.toFixed(d));\n',
    ],
    [
      'worktrees/data_pipeline/tsconfig.json',
      'libs/services/data-pipeline/tsconfig.json',
      JSON.stringify({ extends: '../../../tsconfig.base.json', files: [], include: [] }),
    ],
    [
      'worktrees/data_pipeline/src/index.ts',
      'libs/services/data-pipeline/src/index.ts',
      "export * from './sources/price-feed';\n",
    ],
    [
      'worktrees/data_pipeline/src/sources/bar_builder.ts',
      'libs/services/data-pipeline/src/sources/bar-builder.ts',
      'export const buildBar = () => 1;\n',
    ],
    // Merged from the in-flight branch: git carried the edit to the new path, with the old specifiers.
    [
      'worktrees/data_pipeline/src/sources/priceFeed.ts',
      'libs/services/data-pipeline/src/sources/price-feed.ts',
      STALE,
    ],
  ];
  const mapping = new PathMapping();
  for (const [oldPath, newPath, content] of files) {
    tree.write(newPath, content);
    mapping.set(oldPath, newPath);
  }
  mapping.projects = [
    { name: 'core', root: 'libs/core', importPath: '@rrr/core', entry: 'src/index.ts' },
    {
      name: 'data-pipeline',
      root: 'libs/services/data-pipeline',
      importPath: '@rrr/data-pipeline',
      entry: 'src/index.ts',
    },
  ];
  mapping.originalFiles = { 'worktrees/data_pipeline/tsconfig.json': LEGACY_TSCONFIG };
  writePathMapping(tree, mappingPath, mapping);
  tree.write(
    'libs/services/data-pipeline/src/sources/fresh.ts',
    "import { buildBar } from './bar-builder';\nexport const f = buildBar;\n",
  );
  return tree;
}

describe('rewrite-legacy-specifiers migration', () => {
  it('rewrites the specifiers a merged branch left in legacy form, and only those', async () => {
    const tree = mergedBranch();
    const report = await rewriteLegacySpecifiers(tree);

    expect(tree.read('libs/services/data-pipeline/src/sources/price-feed.ts', 'utf-8')).toBe(MIGRATED);
    expect(tree.read('libs/core/src/index.ts', 'utf-8')).toBe(
      "export * from './types';\nexport { nowMs } from './time';\nexport { roundTo } from './utils';\n",
    );
    expect(tree.read('libs/services/data-pipeline/src/sources/fresh.ts', 'utf-8')).toBe(
      "import { buildBar } from './bar-builder';\nexport const f = buildBar;\n",
    );
    expect(report?.filesChanged.sort()).toEqual([
      'libs/core/src/index.ts',
      'libs/services/data-pipeline/src/sources/price-feed.ts',
    ]);
    expect(report?.rewritten).toMatchObject({ import: 3, 'jest-mock': 1 });
    expect(report?.unresolved).toEqual([]);
  });

  it('finds a mapping recorded at the location earlier versions used (tools/rrr-tools/)', async () => {
    const tree = mergedBranch(LEGACY_MAPPING_PATH);
    expect(tree.exists(DEFAULT_MAPPING_PATH)).toBe(false);
    const report = await rewriteLegacySpecifiers(tree);
    expect(tree.read('libs/services/data-pipeline/src/sources/price-feed.ts', 'utf-8')).toBe(MIGRATED);
    expect(report?.rewritten).toMatchObject({ import: 3, 'jest-mock': 1 });
  });

  it('is a no-op the second time', async () => {
    const tree = mergedBranch();
    await rewriteLegacySpecifiers(tree);
    const report = await rewriteLegacySpecifiers(tree);
    expect(report?.totalRewritten).toBe(0);
    expect(report?.filesChanged).toEqual([]);
  });

  it('does nothing in a workspace that recorded no consolidation', async () => {
    const tree = createTreeWithEmptyWorkspace({ formatter: 'none' });
    tree.write('libs/a/src/x.ts', "import './gone';\n");
    expect(await rewriteLegacySpecifiers(tree)).toBeUndefined();
    expect(tree.read('libs/a/src/x.ts', 'utf-8')).toBe("import './gone';\n");
  });

  it('is registered in migrations.json at version 0.1.0', () => {
    const pluginRoot = join(__dirname, '../../..');
    const migrations = JSON.parse(readFileSync(join(pluginRoot, 'migrations.json'), 'utf-8'));
    const entry = migrations.generators['rewrite-legacy-specifiers'];
    expect(entry.version).toBe('0.1.0');
    expect(existsSync(join(pluginRoot, `${entry.implementation}.ts`))).toBe(true);
  });
});
