import {
  addProjectConfiguration,
  readNxJson,
  updateJson,
  type ProjectConfiguration,
  type TargetConfiguration,
  type Tree,
} from '@nx/devkit';
import { posix } from 'node:path';
import * as ts from 'typescript';
import { analyzeExports } from '../../../specifiers/export-surface';
import { resolveRelativeInTree } from '../../../specifiers/resolve-in-tree';
import { isScriptFile, stripScriptExtension } from '../../../specifiers/script-files';
import { joinWorkspacePath, relativeWorkspacePath } from '../../../specifiers/workspace-paths';
import { ensureJestPlugin, testTargetFor } from './jest-test-target';
import { TESTS_FOLDER } from './plan-layout';

export interface MakeLibraryOptions {
  /** Project name (`neural-network`). */
  name: string;
  /** Project root (`libs/services/neural-network`). */
  root: string;
  /** `@rrr/neural-network`. */
  importPath: string;
  tags: string[];
  /** compilerOptions of the legacy package's own tsconfig.json (raw JSON), if it had one. */
  legacyCompilerOptions?: Record<string, unknown>;
  /** Where the legacy package was, for the README written when it had none. */
  origin: string;
}

export interface MadeLibrary {
  name: string;
  root: string;
  importPath: string;
  /** Files this step created (workspace paths). */
  created: string[];
  /** The entry was generated because the package had none: the modules it re-exports. */
  generatedEntry?: { exported: string[]; skipped: { module: string; reason: string }[] };
  /** Legacy compiler options kept in the library's tsconfig.json because they differ from the base. */
  keptCompilerOptions: string[];
  hasTests: boolean;
}

/** Compiler options the workspace owns: the base tsconfig and the lib/spec configs set them for every library. */
const WORKSPACE_OWNED_OPTIONS = new Set([
  'baseUrl',
  'paths',
  'rootDir',
  'rootDirs',
  'outDir',
  'outFile',
  'declarationDir',
  'tsBuildInfoFile',
  'composite',
  'incremental',
  'types',
  'typeRoots',
  'noEmit',
]);

export const ROOT_TSCONFIG = 'tsconfig.base.json';

const TEST_FILE = /\.(spec|test)\.[cm]?[jt]sx?$/;

/** How the workspace defines the typecheck target when nx.json has no targetDefaults for it. */
export const TYPECHECK_TARGET: TargetConfiguration = {
  executor: 'nx:run-commands',
  cache: true,
  inputs: ['default', '^production'],
  options: {
    cwd: '{projectRoot}',
    command: 'tsc --noEmit -p tsconfig.lib.json && tsc --noEmit -p tsconfig.spec.json',
  },
};

function isTestFile(path: string): boolean {
  return TEST_FILE.test(path) || path.includes('/__tests__/');
}

function listFiles(tree: Tree, dir: string): string[] {
  if (!tree.exists(dir) || tree.isFile(dir)) return [];
  const files: string[] = [];
  const visit = (current: string): void => {
    for (const child of tree.children(current)) {
      const path = `${current}/${child}`;
      if (tree.isFile(path)) files.push(path);
      else visit(path);
    }
  };
  visit(dir);
  return files.sort();
}

function readRootCompilerOptions(tree: Tree): Record<string, unknown> {
  const text = tree.read(ROOT_TSCONFIG, 'utf-8');
  if (text === null) return {};
  const { config } = ts.parseConfigFileTextToJson(ROOT_TSCONFIG, text);
  return (config?.compilerOptions ?? {}) as Record<string, unknown>;
}

function sameOption(a: unknown, b: unknown): boolean {
  return String(JSON.stringify(a)).toLowerCase() === String(JSON.stringify(b)).toLowerCase();
}

/**
 * The target as this workspace defines it: an empty entry when nx.json has targetDefaults for it (as the
 * workspace's own libraries do), the full definition otherwise.
 */
function targetFor(tree: Tree, name: string, full: TargetConfiguration): TargetConfiguration {
  const defaults = readNxJson(tree)?.targetDefaults ?? {};
  return defaults[name] ? {} : structuredClone(full);
}

/**
 * Exports every module of src/ (tests excluded) from a new src/index.ts, skipping a module whose names an
 * earlier one already exports (near-duplicate versions usually do), so the entry compiles.
 */
function writeEntry(tree: Tree, root: string): NonNullable<MadeLibrary['generatedEntry']> {
  const entry = joinWorkspacePath(root, 'src/index.ts');
  // By module name, so `predictor` comes before its `predictor-v2` copy and wins the names they share.
  const modules = listFiles(tree, joinWorkspacePath(root, 'src'))
    .filter((path) => isScriptFile(path) && !isTestFile(path) && !path.endsWith('.d.ts') && path !== entry)
    .map((path) => [stripScriptExtension(path), path] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, path]) => path);
  const taken = new Map<string, string>();
  const exported: string[] = [];
  const skipped: { module: string; reason: string }[] = [];
  const lines: string[] = [];
  for (const module of modules) {
    const text = tree.read(module, 'utf-8') ?? '';
    const surface = analyzeExports(text, module, (specifier) =>
      resolveRelativeInTree((candidate) => tree.isFile(candidate), module, specifier),
    );
    const names = [...surface.local.keys(), ...surface.reexports.keys()].filter((name) => name !== 'default');
    const clash = names.find((name) => taken.has(name));
    if (clash) {
      skipped.push({ module, reason: `exports ${clash}, already exported from ${taken.get(clash)}` });
      continue;
    }
    if (names.length === 0 && surface.stars.length === 0) {
      skipped.push({ module, reason: 'exports nothing' });
      continue;
    }
    for (const name of names) taken.set(name, module);
    const specifier = './' + stripScriptExtension(relativeWorkspacePath(posix.dirname(entry), module));
    lines.push(`export * from '${specifier}';`);
    exported.push(module);
  }
  tree.write(entry, lines.join('\n') + (lines.length > 0 ? '\n' : 'export {};\n'));
  return { exported, skipped };
}

/**
 * Makes one consolidated folder an Nx library the way this workspace's own libraries are made:
 * project.json (tags, the typecheck target as nx.json's targetDefaults define it, test inferred by Nx's jest
 * plugin — registered when the workspace has neither it nor a test target default — lint left to the
 * workspace's eslint plugin), tsconfig.json/tsconfig.lib.json/tsconfig.spec.json, a jest.config.cts on the
 * root jest.preset.js, the `@scope/name` path in tsconfig.base.json, src/index.ts when the package had no
 * entry and a README.md when it had none.
 */
export function makeLibrary(tree: Tree, options: MakeLibraryOptions): MadeLibrary {
  const { name, root, importPath } = options;
  const created: string[] = [];
  const write = (path: string, content: string) => {
    const full = joinWorkspacePath(root, path);
    tree.write(full, content);
    created.push(full);
  };
  const toRoot = relativeWorkspacePath(root, '') || '.';
  const files = listFiles(tree, root);
  const hasTests = files.some((path) => isScriptFile(path) && isTestFile(path));

  ensureJestPlugin(tree);
  const targets: Record<string, TargetConfiguration> = { typecheck: targetFor(tree, 'typecheck', TYPECHECK_TARGET) };
  const test = testTargetFor(tree, hasTests);
  if (test !== undefined) targets['test'] = test;
  const project: ProjectConfiguration = {
    name,
    root,
    sourceRoot: `${root}/src`,
    projectType: 'library',
    tags: options.tags,
    targets,
  };
  addProjectConfiguration(tree, name, project);
  created.push(joinWorkspacePath(root, 'project.json'));

  const base = readRootCompilerOptions(tree);
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options.legacyCompilerOptions ?? {})) {
    if (WORKSPACE_OWNED_OPTIONS.has(key) || sameOption(base[key], value)) continue;
    kept[key] = value;
  }
  write(
    'tsconfig.json',
    JSON.stringify(
      {
        extends: `${toRoot}/${ROOT_TSCONFIG}`,
        ...(Object.keys(kept).length > 0 ? { compilerOptions: kept } : {}),
        files: [],
        include: [],
        references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }],
      },
      null,
      2,
    ) + '\n',
  );
  write(
    'tsconfig.lib.json',
    JSON.stringify(
      {
        extends: './tsconfig.json',
        compilerOptions: { outDir: `${toRoot}/dist/out-tsc`, types: ['node'] },
        include: ['src/**/*.ts'],
        exclude: [
          'src/**/*.spec.ts',
          'src/**/*.test.ts',
          `${TESTS_FOLDER}/**`,
          'src/**/__fixtures__/**',
          'jest.config.cts',
        ],
      },
      null,
      2,
    ) + '\n',
  );
  write(
    'tsconfig.spec.json',
    JSON.stringify(
      {
        extends: './tsconfig.json',
        compilerOptions: { outDir: `${toRoot}/dist/out-tsc`, types: ['jest', 'node'] },
        include: ['jest.config.cts', 'src/**/*.ts'],
        exclude: ['src/**/__fixtures__/**'],
      },
      null,
      2,
    ) + '\n',
  );
  write(
    'jest.config.cts',
    [
      'export default {',
      `  displayName: '${name}',`,
      `  preset: '${toRoot}/jest.preset.js',`,
      `  coverageDirectory: '${toRoot}/coverage/${root}',`,
      '};',
      '',
    ].join('\n'),
  );

  let generatedEntry: MadeLibrary['generatedEntry'];
  if (!tree.exists(joinWorkspacePath(root, 'src/index.ts'))) {
    generatedEntry = writeEntry(tree, root);
    created.push(joinWorkspacePath(root, 'src/index.ts'));
  }
  if (!tree.exists(joinWorkspacePath(root, 'README.md'))) {
    write(
      'README.md',
      `# ${importPath}\n\nConsolidated from \`${options.origin}\` by \`nx g @rrr/tools:consolidate\`. Public API: \`src/index.ts\`.\n`,
    );
  }

  updateJson(tree, ROOT_TSCONFIG, (json) => {
    const compilerOptions = (json.compilerOptions ??= {});
    const paths: Record<string, string[]> = {
      ...(compilerOptions.paths ?? {}),
      [importPath]: [`${root}/src/index.ts`],
    };
    compilerOptions.paths = Object.fromEntries(Object.entries(paths).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return json;
  });
  return { name, root, importPath, created, generatedEntry, keptCompilerOptions: Object.keys(kept), hasTests };
}
