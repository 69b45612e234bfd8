import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { originalTreeFileSystem, treeFileSystem } from './file-systems';
import { createModuleResolver } from './module-resolver';
import { PathMapping } from './path-mapping';

describe('createModuleResolver', () => {
  function legacyTree() {
    const tree = createTreeWithEmptyWorkspace();
    tree.write(
      'worktrees/svc/tsconfig.json',
      JSON.stringify({ extends: './tsconfig.paths.json', compilerOptions: { module: 'esnext' } }),
    );
    tree.write(
      'worktrees/svc/tsconfig.paths.json',
      JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@shared/*': ['../../src/core/*'] } } }),
    );
    tree.write('worktrees/svc/src/main.ts', '');
    tree.write('worktrees/svc/src/util/index.ts', '');
    tree.write('worktrees/svc/src/data.json', '{}');
    tree.write('worktrees/svc/src/legacy.js', '');
    tree.write('worktrees/svc/types/globals.d.ts', '');
    tree.write('src/core/clock.ts', '');
    return tree;
  }

  it('resolves with the nearest tsconfig, its extends and paths, like the compiler', () => {
    const resolve = createModuleResolver(treeFileSystem(legacyTree()));
    const from = 'worktrees/svc/src/main.ts';
    expect(resolve('@shared/clock', from)).toBe('src/core/clock.ts');
    expect(resolve('./util', from)).toBe('worktrees/svc/src/util/index.ts');
    expect(resolve('./util/index.js', from)).toBe('worktrees/svc/src/util/index.ts');
    expect(resolve('../../../src/core/clock', from)).toBe('src/core/clock.ts');
    expect(resolve('./data.json', from)).toBe('worktrees/svc/src/data.json');
    expect(resolve('./legacy', from)).toBe('worktrees/svc/src/legacy.js');
    expect(resolve('./data', from, 'require')).toBe('worktrees/svc/src/data.json');
    expect(resolve('./../types/globals.d.ts', from, 'reference-path')).toBe('worktrees/svc/types/globals.d.ts');
  });

  it('leaves packages alone and explains paths that lead nowhere', () => {
    const resolve = createModuleResolver(treeFileSystem(legacyTree()));
    const from = 'worktrees/svc/src/main.ts';
    expect(resolve('fs', from)).toBeUndefined();
    expect(resolve('zod', from)).toBeUndefined();
    expect(resolve('./gone', from)).toEqual({
      unresolved: 'no file at worktrees/svc/src/gone (tried the TS/JS extensions and worktrees/svc/src/gone/index)',
    });
    expect(resolve('@shared/gone', from)).toEqual({
      unresolved: 'path alias "@shared/*" of worktrees/svc/tsconfig.json matches but names no file',
    });
  });

  it('uses the fallback config for files with no tsconfig above them', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write(
      'tsconfig.base.json',
      JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@rrr/core': ['libs/core/src/index.ts'] } } }),
    );
    tree.write('libs/core/src/index.ts', '');
    tree.write('tools/script.ts', '');
    const resolve = createModuleResolver(treeFileSystem(tree), { fallbackTsconfig: 'tsconfig.base.json' });
    expect(resolve('@rrr/core', 'tools/script.ts')).toBe('libs/core/src/index.ts');
  });

  it('sees the layout before the moves through originalTreeFileSystem', () => {
    const tree = legacyTree();
    const mapping = new PathMapping({
      'worktrees/svc/src/main.ts': 'libs/svc/src/main.ts',
      'worktrees/svc/src/util/index.ts': 'libs/svc/src/util/index.ts',
      'src/core/clock.ts': 'libs/core/src/clock.ts',
    });
    for (const [oldPath, newPath] of mapping.entries()) tree.rename(oldPath, newPath);
    // The moved tsconfig was replaced; its original text is recorded with the mapping.
    mapping.originalFiles = {
      'worktrees/svc/tsconfig.json': tree.read('worktrees/svc/tsconfig.json', 'utf-8') as string,
    };
    tree.write('worktrees/svc/tsconfig.json', '{}');

    const resolve = createModuleResolver(originalTreeFileSystem(tree, mapping));
    expect(resolve('@shared/clock', 'worktrees/svc/src/main.ts')).toBe('src/core/clock.ts');
    expect(resolve('./util', 'worktrees/svc/src/main.ts')).toBe('worktrees/svc/src/util/index.ts');
    const fs = originalTreeFileSystem(tree, mapping);
    expect(fs.fileExists('libs/svc/src/main.ts')).toBe(false);
    expect(fs.directoryExists('libs/svc')).toBe(false);
    expect(fs.directoryExists('worktrees/svc/src/util')).toBe(true);
    expect(fs.readFile('src/core/clock.ts')).toBe('');
  });
});
