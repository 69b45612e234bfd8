import { readJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { join } from 'node:path';
import { ensureNxWorkspace, mergeServiceDependencies } from './ensure-nx-workspace';
import { JEST_PLUGIN } from './jest-test-target';
import { TYPECHECK_TARGET } from './make-library';

const WORKSPACE_ROOT = join(__dirname, '../../../../../..');

/** A legacy repository root as the fixture has it: no nx.json, a root tsconfig/jest config for src/core. */
function legacyRoot(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  for (const file of ['nx.json', 'tsconfig.base.json', 'package.json', '.prettierrc', '.prettierignore']) {
    if (tree.exists(file)) tree.delete(file);
  }
  tree.write(
    'tsconfig.json',
    JSON.stringify({
      compilerOptions: { target: 'es2020', strict: true, outDir: 'dist', types: ['node', 'jest'] },
      include: ['src/**/*.ts'],
    }),
  );
  tree.write('jest.config.js', "module.exports = { roots: ['<rootDir>/src'] };\n");
  tree.write(
    'package.json',
    JSON.stringify({
      name: 'legacy',
      scripts: { test: 'jest', typecheck: 'tsc --noEmit -p tsconfig.json', lint: 'eslint .' },
    }),
  );
  tree.write('.gitignore', 'node_modules\nworktrees/\n');
  return tree;
}

describe('ensureNxWorkspace', () => {
  it('makes a legacy root an Nx workspace: nx.json, the base tsconfig from the legacy one, jest preset, scripts, ignores', () => {
    const tree = legacyRoot();
    const setup = ensureNxWorkspace(tree, {
      defaultBase: 'main',
      gitignore: ['.nx/cache', '.nx/workspace-data', '/worktrees/', '/backups/'],
      resolveFrom: [WORKSPACE_ROOT],
    });
    expect(setup.wasNxWorkspace).toBe(false);
    const nx = readJson(tree, 'nx.json');
    expect(nx.defaultBase).toBe('main');
    expect(Object.keys(nx.targetDefaults)).toEqual(['typecheck']);
    // Test targets are inferred from each library's jest config (the jest executor is deprecated).
    expect(nx.plugins).toEqual([JEST_PLUGIN]);

    const base = readJson(tree, 'tsconfig.base.json');
    expect(base.compilerOptions).toMatchObject({
      target: 'es2020',
      strict: true,
      baseUrl: '.',
      rootDir: '.',
      paths: {},
    });
    expect(base.compilerOptions.outDir).toBeUndefined();
    expect(tree.exists('tsconfig.json')).toBe(false);
    expect(setup.renamed).toEqual([['tsconfig.json', 'tsconfig.base.json']]);
    expect(setup.originals['tsconfig.json']).toContain('"include":["src/**/*.ts"]');

    expect(tree.read('jest.preset.js', 'utf-8')).toContain("require('@nx/jest/preset')");
    expect(tree.exists('jest.config.js')).toBe(false);
    expect(setup.removed).toEqual(['jest.config.js']);

    const pkg = readJson(tree, 'package.json');
    expect(pkg.scripts).toEqual({
      test: 'nx run-many -t test',
      typecheck: 'nx run-many -t typecheck',
      lint: 'eslint .',
    });
    // Versions are the ones installed where the repository resolves packages.
    expect(pkg.devDependencies.nx).toBe(require('nx/package.json').version);
    expect(pkg.devDependencies.typescript).toBe(require('typescript/package.json').version);

    // worktrees/ is already ignored, written without the leading slash.
    expect(setup.gitignoreAdded).toEqual(['.nx/cache', '.nx/workspace-data', '/backups/']);
    expect(tree.read('.gitignore', 'utf-8')).toBe(
      'node_modules\nworktrees/\n\n# @rrr/tools consolidate: tool output\n.nx/cache\n.nx/workspace-data\n/backups/\n',
    );
  });

  it('only adds what an Nx workspace lacks', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('jest.preset.js', 'module.exports = {};\n');
    tree.write(
      'tsconfig.base.json',
      JSON.stringify({ compilerOptions: { paths: { '@rrr/core': ['libs/core/src/index.ts'] } } }),
    );
    tree.write(
      'package.json',
      JSON.stringify({
        name: 'ws',
        devDependencies: Object.fromEntries(
          [
            'nx',
            '@nx/jest',
            '@nx/js',
            'typescript',
            'jest',
            '@swc/core',
            '@swc/jest',
            '@types/jest',
            '@types/node',
            'ts-node',
          ].map((n) => [n, '1.0.0']),
        ),
      }),
    );
    tree.write('.gitignore', '/node_modules\n/.nx/cache\n/.nx/workspace-data\n/backups\n');
    const before = tree.read('jest.preset.js', 'utf-8');
    const setup = ensureNxWorkspace(tree, {
      defaultBase: 'main',
      gitignore: ['.nx/cache', '.nx/workspace-data', '/backups/'],
      resolveFrom: [WORKSPACE_ROOT],
    });
    expect(setup.wasNxWorkspace).toBe(true);
    expect(setup.created).toEqual([]);
    expect(setup.updated).toEqual(['nx.json']);
    expect(readJson(tree, 'nx.json').targetDefaults.typecheck).toEqual(TYPECHECK_TARGET);
    expect(readJson(tree, 'nx.json').plugins).toContainEqual(JEST_PLUGIN);
    expect(tree.read('jest.preset.js', 'utf-8')).toBe(before);
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions.paths).toEqual({
      '@rrr/core': ['libs/core/src/index.ts'],
    });
    expect(setup.devDependenciesAdded).toEqual({});
    expect(setup.gitignoreAdded).toEqual([]);
  });
});

describe('mergeServiceDependencies', () => {
  it('adds what the root lacks and reports versions that disagree, keeping the root one', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', JSON.stringify({ name: 'ws', dependencies: { zod: '^3.23.0' } }));
    const merged = mergeServiceDependencies(tree, [
      { path: 'worktrees/a/package.json', text: JSON.stringify({ dependencies: { zod: '^3.20.0', ccxt: '4.0.0' } }) },
      { path: 'worktrees/b/package.json', text: JSON.stringify({ devDependencies: { 'fast-check': '3.0.0' } }) },
    ]);
    expect(merged.added).toEqual({ ccxt: '4.0.0', 'fast-check': '3.0.0' });
    expect(merged.conflicts).toEqual([
      { name: 'zod', kept: '^3.23.0', ignored: '^3.20.0', from: 'worktrees/a/package.json' },
    ]);
    const pkg = readJson(tree, 'package.json');
    expect(pkg.dependencies).toEqual({ ccxt: '4.0.0', zod: '^3.23.0' });
    expect(pkg.devDependencies).toEqual({ 'fast-check': '3.0.0' });
  });

  it('leaves package.json alone when no legacy package declares dependencies', () => {
    const tree = createTreeWithEmptyWorkspace();
    tree.write('package.json', '{"name":"ws"}');
    const changesBefore = tree.listChanges().length;
    expect(
      mergeServiceDependencies(tree, [
        { path: 'worktrees/a/package.json', text: '{"name":"a","main":"dist/index.js"}' },
      ]),
    ).toEqual({ added: {}, conflicts: [] });
    expect(tree.read('package.json', 'utf-8')).toBe('{"name":"ws"}');
    expect(tree.listChanges().length).toBe(changesBefore);
  });
});
