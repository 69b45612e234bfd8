import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { applyPathMapping, DEFAULT_MAPPING_PATH, PathMapping, readPathMapping, writePathMapping } from './path-mapping';

describe('PathMapping', () => {
  const mapping = new PathMapping({
    'worktrees/data_pipeline/src/priceFeed.ts': 'libs/services/data-pipeline/src/price-feed.ts',
    'worktrees/data_pipeline/src/storageLayer/sqlite_store.ts':
      'libs/services/data-pipeline/src/storage-layer/sqlite-store.ts',
    'worktrees/data_pipeline/tests/feed.spec.ts': 'libs/services/data-pipeline/src/feed.spec.ts',
    'src/core/index.ts': 'libs/core/src/index.ts',
  });

  it('maps both ways and is the identity for files that did not move', () => {
    expect(mapping.oldToNew('worktrees/data_pipeline/src/priceFeed.ts')).toBe(
      'libs/services/data-pipeline/src/price-feed.ts',
    );
    expect(mapping.newToOld('libs/core/src/index.ts')).toBe('src/core/index.ts');
    expect(mapping.oldToNew('apps/platform/src/main.ts')).toBe('apps/platform/src/main.ts');
    expect(mapping.newToOld('./apps\\platform/src/main.ts')).toBe('apps/platform/src/main.ts');
    expect(mapping.hasOld('src/core/index.ts')).toBe(true);
    expect(mapping.hasNew('src/core/index.ts')).toBe(false);
    expect(mapping.size).toBe(4);
  });

  it('infers where folders went, stopping where the layouts stop corresponding', () => {
    expect(mapping.oldDirToNew('worktrees/data_pipeline/src/storageLayer')).toBe(
      'libs/services/data-pipeline/src/storage-layer',
    );
    expect(mapping.oldDirToNew('worktrees/data_pipeline/src')).toBe('libs/services/data-pipeline/src');
    expect(mapping.oldDirToNew('worktrees/data_pipeline')).toBe('libs/services/data-pipeline');
    expect(mapping.oldDirToNew('src/core')).toBe('libs/core/src');
    expect(mapping.oldDirToNew('worktrees')).toBeUndefined();
    expect(mapping.oldDirToNew('src')).toBeUndefined();
    expect(mapping.oldDirToNew('worktrees/data_pipeline/tests')).toBe('libs/services/data-pipeline/src');
  });

  it('refuses two files landing on one path', () => {
    expect(() => new PathMapping({ 'a/x.ts': 'b/x.ts', 'c/x.ts': 'b/x.ts' })).toThrow(
      'Path mapping conflict: both a/x.ts and c/x.ts would move to b/x.ts',
    );
  });

  it('composes a move with a later rename', () => {
    const moved = new PathMapping({ 'worktrees/x/src/priceFeed.ts': 'libs/x/src/priceFeed.ts' });
    const renamed = new PathMapping({
      'libs/x/src/priceFeed.ts': 'libs/x/src/price-feed.ts',
      'libs/y/A.ts': 'libs/y/a.ts',
    });
    const composed = moved.compose(renamed);
    expect(Object.fromEntries(composed.entries())).toEqual({
      'worktrees/x/src/priceFeed.ts': 'libs/x/src/price-feed.ts',
      'libs/y/A.ts': 'libs/y/a.ts',
    });
  });

  it('round-trips through the recorded JSON file with projects and original configs', () => {
    const tree = createTreeWithEmptyWorkspace();
    const recorded = new PathMapping({ 'b/old.ts': 'b/new.ts', 'a/old.ts': 'a/new.ts' });
    recorded.projects = [{ name: 'core', root: 'libs/core', importPath: '@rrr/core', entry: 'src/index.ts' }];
    recorded.originalFiles = { 'worktrees/x/tsconfig.json': '{"compilerOptions":{}}' };
    writePathMapping(tree, DEFAULT_MAPPING_PATH, recorded);
    const text = tree.read(DEFAULT_MAPPING_PATH, 'utf-8') as string;
    expect(Object.keys(JSON.parse(text).files)).toEqual(['a/old.ts', 'b/old.ts']);
    const read = readPathMapping(tree) as PathMapping;
    expect(read.toJSON()).toEqual(recorded.toJSON());
    expect(readPathMapping(tree, 'missing.json')).toBeUndefined();
    tree.write('broken.json', '{');
    expect(() => readPathMapping(tree, 'broken.json')).toThrow('broken.json is not valid JSON');
    expect(() => PathMapping.fromJSON({ version: 2 } as never)).toThrow('Unsupported path mapping record (version 2)');
  });

  it('moves files in a tree, swaps included', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('a.ts', 'A');
    tree.write('b.ts', 'B');
    applyPathMapping(tree, new PathMapping({ 'a.ts': 'b.ts', 'b.ts': 'a.ts' }));
    expect([tree.read('a.ts', 'utf-8'), tree.read('b.ts', 'utf-8')]).toEqual(['B', 'A']);
  });
});
