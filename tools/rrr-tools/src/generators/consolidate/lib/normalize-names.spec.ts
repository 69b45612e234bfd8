import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { applyPathMapping } from '../../../specifiers/path-mapping';
import { convertName, planRenames, RenameCollisionError, renamesToMapping, splitWords } from './normalize-names';

describe('splitWords', () => {
  it.each([
    ['priceFeed_v2', ['price', 'Feed', 'v2']],
    ['HTTPServer', ['HTTP', 'Server']],
    ['data-pipeline', ['data', 'pipeline']],
    ['sha256Hash', ['sha256', 'Hash']],
    ['TickStream', ['Tick', 'Stream']],
    ['order__book', ['order', 'book']],
  ])('%s → %j', (name, words) => {
    expect(splitWords(name)).toEqual(words);
  });
});

describe('convertName', () => {
  it.each([
    ['priceFeed_v2.ts', 'kebab', 'price-feed-v2.ts'],
    ['dataPipeline', 'kebab', 'data-pipeline'],
    ['PriceFeed.spec.ts', 'kebab', 'price-feed.spec.ts'],
    ['bar_builder.test.ts', 'kebab', 'bar-builder.test.ts'],
    ['legacy_types.d.ts', 'kebab', 'legacy-types.d.ts'],
    ['price-feed.ts', 'snake', 'price_feed.ts'],
    ['price-feed.ts', 'camel', 'priceFeed.ts'],
    ['price_feed.ts', 'pascal', 'PriceFeed.ts'],
    ['_privateHelpers.ts', 'kebab', '_private-helpers.ts'],
  ] as const)('%s as %s → %s', (name, convention, expected) => {
    expect(convertName(name, convention)).toBe(expected);
  });

  it.each([
    'index.ts',
    'README.md',
    'CODE_OF_CONDUCT.md',
    'package.json',
    'tsconfig.lib.json',
    '.eslintrc.json',
    '__fixtures__',
    '__tests__',
    'Dockerfile',
    '[id].ts',
    '.gitignore',
  ])('keeps %s', (name) => {
    expect(convertName(name, 'kebab')).toBe(name);
  });
});

describe('planRenames', () => {
  it('renames files and folders below the root and leaves the rest', () => {
    const plan = planRenames(
      [
        'libs/services/data-pipeline/src/dataPipeline/priceFeed_v2.ts',
        'libs/services/data-pipeline/src/dataPipeline/index.ts',
        'libs/services/data-pipeline/src/__fixtures__/sampleBars.json',
        'libs/services/data-pipeline/src/barBuilder.spec.ts',
        'libs/services/data-pipeline/README.md',
        'libs/services/data-pipeline/package.json',
      ],
      'kebab',
      { root: 'libs/services/data-pipeline' },
    );
    expect(Object.fromEntries(plan)).toEqual({
      'libs/services/data-pipeline/src/dataPipeline': 'libs/services/data-pipeline/src/data-pipeline',
      'libs/services/data-pipeline/src/dataPipeline/priceFeed_v2.ts':
        'libs/services/data-pipeline/src/data-pipeline/price-feed-v2.ts',
      'libs/services/data-pipeline/src/dataPipeline/index.ts': 'libs/services/data-pipeline/src/data-pipeline/index.ts',
      'libs/services/data-pipeline/src/__fixtures__/sampleBars.json':
        'libs/services/data-pipeline/src/__fixtures__/sample-bars.json',
      'libs/services/data-pipeline/src/barBuilder.spec.ts': 'libs/services/data-pipeline/src/bar-builder.spec.ts',
    });
  });

  it('does not rename the root itself or anything above it', () => {
    const plan = planRenames(['worktrees/data_pipeline/src/priceFeed.ts'], 'kebab', {
      root: 'worktrees/data_pipeline',
    });
    expect(Object.fromEntries(plan)).toEqual({
      'worktrees/data_pipeline/src/priceFeed.ts': 'worktrees/data_pipeline/src/price-feed.ts',
    });
  });

  it('refuses when two files would collide, naming both sources', () => {
    const attempt = () => planRenames(['src/priceFeed.ts', 'src/price_feed.ts', 'src/ok.ts'], 'kebab');
    expect(attempt).toThrow(RenameCollisionError);
    expect(attempt).toThrow('src/priceFeed.ts and src/price_feed.ts would all become src/price-feed.ts');
  });

  it('refuses case-insensitive collisions', () => {
    try {
      planRenames(['src/Price-Feed.ts', 'src/PriceFeed.ts'], 'pascal', { root: 'src' });
      throw new Error('expected a collision');
    } catch (error) {
      expect(error).toBeInstanceOf(RenameCollisionError);
      expect((error as RenameCollisionError).collisions).toEqual([
        { target: 'src/PriceFeed.ts', sources: ['src/Price-Feed.ts', 'src/PriceFeed.ts'] },
      ]);
    }
    // Readme.md → readme.md is a case-only rename that lands on the kept README.md.
    expect(() => planRenames(['src/README.md', 'src/Readme.md'], 'kebab')).toThrow(
      'src/README.md and src/Readme.md would all become src/README.md',
    );
  });

  it('refuses when two folders would merge', () => {
    expect(() => planRenames(['src/dataPipeline/a.ts', 'src/data_pipeline/b.ts'], 'kebab')).toThrow(
      'src/dataPipeline and src/data_pipeline would all become src/data-pipeline',
    );
  });

  it('accepts names that already differ only in case when no rename touches them', () => {
    expect(planRenames(['docs/README.md', 'docs/readme.md'], 'kebab').size).toBe(0);
  });

  it('feeds a mapping that moves the files in a tree, case-only renames included', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('libs/a/src/Clock.ts', 'export const clock = 1;\n');
    tree.write('libs/a/src/dataPipeline/priceFeed.ts', 'export const feed = 2;\n');
    const files = ['libs/a/src/Clock.ts', 'libs/a/src/dataPipeline/priceFeed.ts'];
    const mapping = renamesToMapping(planRenames(files, 'kebab', { root: 'libs/a' }), files);
    applyPathMapping(tree, mapping);
    expect(tree.read('libs/a/src/clock.ts', 'utf-8')).toBe('export const clock = 1;\n');
    expect(tree.read('libs/a/src/data-pipeline/price-feed.ts', 'utf-8')).toBe('export const feed = 2;\n');
    expect(tree.exists('libs/a/src/Clock.ts')).toBe(false);
    expect(tree.exists('libs/a/src/dataPipeline/priceFeed.ts')).toBe(false);
    expect(mapping.oldDirToNew('libs/a/src/dataPipeline')).toBe('libs/a/src/data-pipeline');
  });
});
