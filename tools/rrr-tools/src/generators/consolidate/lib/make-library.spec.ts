import { readJson, readProjectConfiguration, updateJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { JEST_PLUGIN } from './jest-test-target';
import { makeLibrary, TYPECHECK_TARGET } from './make-library';

const ROOT = 'libs/services/neural-network';

function library(tree: Tree, legacyCompilerOptions?: Record<string, unknown>) {
  return makeLibrary(tree, {
    name: 'neural-network',
    root: ROOT,
    importPath: '@rrr/neural-network',
    tags: ['scope:service', 'service:neural-network'],
    legacyCompilerOptions,
    origin: 'worktrees/neural_network',
  });
}

describe('makeLibrary', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write(
      'tsconfig.base.json',
      JSON.stringify({ compilerOptions: { strict: true, target: 'es2022', paths: {} } }),
    );
    tree.write(`${ROOT}/src/index.ts`, "export * from './models/predictor';\n");
    tree.write(`${ROOT}/src/models/predictor.ts`, 'export const predict = () => 1;\n');
    tree.write(`${ROOT}/src/__tests__/predictor.test.ts`, "it('runs', () => undefined);\n");
    tree.write(`${ROOT}/README.md`, '# Neural network\n');
  });

  it('writes project.json with the tags and the typecheck target nx.json defaults; test is inferred by the jest plugin', () => {
    updateJson(tree, 'nx.json', (json) => ({
      ...json,
      targetDefaults: { typecheck: TYPECHECK_TARGET },
      plugins: [JEST_PLUGIN],
    }));
    library(tree);
    const project = readProjectConfiguration(tree, 'neural-network');
    expect(project.tags).toEqual(['scope:service', 'service:neural-network']);
    expect(project.targets).toEqual({ typecheck: {} });
    expect(project.sourceRoot).toBe(`${ROOT}/src`);
    expect(readJson(tree, 'nx.json').plugins).toEqual([JEST_PLUGIN]);
  });

  it('spells typecheck out when nx.json has no default, registers the jest plugin, and lets a library without tests pass', () => {
    tree.delete(`${ROOT}/src/__tests__/predictor.test.ts`);
    const made = library(tree);
    const project = readProjectConfiguration(tree, 'neural-network');
    expect(project.targets?.['typecheck']).toEqual(TYPECHECK_TARGET);
    expect(project.targets?.['test']).toEqual({ options: { args: ['--passWithNoTests'] } });
    expect(readJson(tree, 'nx.json').plugins).toContainEqual(JEST_PLUGIN);
    expect(made.hasTests).toBe(false);
  });

  it('keeps a workspace whose test target default runs jest through an executor on its convention', () => {
    const executorTest = { executor: '@nx/jest:jest', options: { jestConfig: '{projectRoot}/jest.config.cts' } };
    updateJson(tree, 'nx.json', (json) => ({ ...json, targetDefaults: { test: executorTest }, plugins: [] }));
    tree.delete(`${ROOT}/src/__tests__/predictor.test.ts`);
    library(tree);
    expect(readProjectConfiguration(tree, 'neural-network').targets?.['test']).toEqual({
      options: { passWithNoTests: true },
    });
    expect(readJson(tree, 'nx.json').plugins).toEqual([]);
  });

  it('writes tsconfigs on the base (keeping legacy options that differ), a jest config and the path alias', () => {
    const made = library(tree, { strict: true, target: 'ES2022', noImplicitAny: false, paths: { '@shared/*': ['x'] } });
    expect(readJson(tree, `${ROOT}/tsconfig.json`)).toEqual({
      extends: '../../../tsconfig.base.json',
      compilerOptions: { noImplicitAny: false },
      files: [],
      include: [],
      references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }],
    });
    expect(made.keptCompilerOptions).toEqual(['noImplicitAny']);
    expect(readJson(tree, `${ROOT}/tsconfig.lib.json`).exclude).toContain('src/__tests__/**');
    expect(readJson(tree, `${ROOT}/tsconfig.spec.json`).compilerOptions.types).toEqual(['jest', 'node']);
    expect(tree.read(`${ROOT}/jest.config.cts`, 'utf-8')).toBe(
      [
        'export default {',
        "  displayName: 'neural-network',",
        "  preset: '../../../jest.preset.js',",
        "  coverageDirectory: '../../../coverage/libs/services/neural-network',",
        '};',
        '',
      ].join('\n'),
    );
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions.paths).toEqual({
      '@rrr/neural-network': [`${ROOT}/src/index.ts`],
    });
    expect(made.generatedEntry).toBeUndefined();
    expect(tree.read(`${ROOT}/README.md`, 'utf-8')).toBe('# Neural network\n');
  });

  it('generates an entry exporting each module once when the package had none', () => {
    tree.delete(`${ROOT}/src/index.ts`);
    tree.delete(`${ROOT}/README.md`);
    tree.write(`${ROOT}/src/models/predictor-v2.ts`, 'export const predict = () => 2;\nexport const version = 2;\n');
    tree.write(`${ROOT}/src/features/momentum.ts`, 'export function momentum(): number {\n  return 0;\n}\n');
    tree.write(`${ROOT}/src/types.d.ts`, 'declare const LEGACY: boolean;\n');
    const made = library(tree);
    expect(tree.read(`${ROOT}/src/index.ts`, 'utf-8')).toBe(
      "export * from './features/momentum';\nexport * from './models/predictor';\n",
    );
    expect(made.generatedEntry).toEqual({
      exported: [`${ROOT}/src/features/momentum.ts`, `${ROOT}/src/models/predictor.ts`],
      skipped: [
        {
          module: `${ROOT}/src/models/predictor-v2.ts`,
          reason: `exports predict, already exported from ${ROOT}/src/models/predictor.ts`,
        },
      ],
    });
    expect(tree.read(`${ROOT}/README.md`, 'utf-8')).toContain('Consolidated from `worktrees/neural_network`');
  });

  it('refuses to overwrite an existing project', () => {
    library(tree);
    expect(() => library(tree)).toThrow('A project already exists in this directory');
  });
});
