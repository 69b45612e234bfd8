import { readFileSync } from 'node:fs';
import { type Tree, updateJson, writeJson } from '@nx/devkit';
import * as ts from 'typescript';
import { ensureJestPlugin, JEST_PLUGIN } from './jest-test-target';
import { ROOT_TSCONFIG, TYPECHECK_TARGET } from './make-library';

export interface EnsureNxWorkspaceOptions {
  /** Branch `nx affected` compares against (main's branch). */
  defaultBase: string;
  /** Lines the root .gitignore must have (tool output: Nx cache, backups, the worktrees folder). */
  gitignore: string[];
  /** Where to look for installed package versions first (the repository root). */
  resolveFrom: string[];
}

export interface WorkspaceSetup {
  /** nx.json existed before: only missing pieces were added. */
  wasNxWorkspace: boolean;
  created: string[];
  updated: string[];
  removed: string[];
  /** Legacy root files whose role moved to another file (`tsconfig.json` → `tsconfig.base.json`). */
  renamed: Array<[string, string]>;
  /** Original text of files replaced, keyed by path: module resolution of the old layout still needs them. */
  originals: Record<string, string>;
  devDependenciesAdded: Record<string, string>;
  scriptsReplaced: Array<{ name: string; from: string; to: string }>;
  gitignoreAdded: string[];
}

/** What a workspace of jest + swc + tsc libraries needs at its root, resolved to the installed versions. */
const TOOLCHAIN = [
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
];

/** Compiler options that only made sense for the legacy root project, not for a workspace base config. */
const LEGACY_ROOT_ONLY = new Set([
  'outDir',
  'rootDir',
  'composite',
  'incremental',
  'tsBuildInfoFile',
  'declarationDir',
]);

const NX_JSON = {
  $schema: './node_modules/nx/schemas/nx-schema.json',
  namedInputs: {
    default: ['{projectRoot}/**/*', 'sharedGlobals'],
    production: [
      'default',
      '!{projectRoot}/**/?(*.)+(spec|test).ts',
      '!{projectRoot}/src/__tests__/**',
      '!{projectRoot}/**/__fixtures__/**',
      '!{projectRoot}/tsconfig.spec.json',
      '!{projectRoot}/jest.config.cts',
      '!{projectRoot}/README.md',
    ],
    sharedGlobals: ['{workspaceRoot}/tsconfig.base.json'],
  },
  targetDefaults: { typecheck: TYPECHECK_TARGET },
  plugins: [JEST_PLUGIN],
};

const JEST_PRESET = `const nxPreset = require('@nx/jest/preset').default;

// swc instead of ts-jest: the typecheck target checks types, jest only needs the code to run.
module.exports = {
  ...nxPreset,
  testEnvironment: 'node',
  transform: {
    '^.+\\\\.(ts|js|mjs|cjs)$': [
      '@swc/jest',
      {
        swcrc: false,
        jsc: { parser: { syntax: 'typescript', decorators: false }, target: 'es2022' },
        module: { type: 'commonjs' },
        sourceMaps: 'inline',
      },
    ],
  },
  moduleFileExtensions: [...nxPreset.moduleFileExtensions, 'json'],
  testMatch: ['**/?(*.)+(spec|test).ts'],
};
`;

const DEFAULT_COMPILER_OPTIONS = {
  target: 'es2022',
  module: 'commonjs',
  moduleResolution: 'node',
  lib: ['es2022'],
  strict: true,
  esModuleInterop: true,
  resolveJsonModule: true,
  skipLibCheck: true,
  forceConsistentCasingInFileNames: true,
};

function installedVersion(name: string, paths: string[]): string | undefined {
  try {
    const manifest = require.resolve(`${name}/package.json`, { paths });
    return (JSON.parse(readFileSync(manifest, 'utf-8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

function readJsonText(text: string, path: string): Record<string, unknown> {
  const { config, error } = ts.parseConfigFileTextToJson(path, text);
  if (error) throw new Error(`${path} is not valid JSON: ${ts.flattenDiagnosticMessageText(error.messageText, '\n')}`);
  return (config ?? {}) as Record<string, unknown>;
}

/**
 * Gives a repository that is not an Nx workspace yet the few root files its libraries need, and adds what is
 * missing to one that is: nx.json (the typecheck target default, Nx's jest plugin for the test targets unless a
 * test target default already runs them, defaultBase), tsconfig.base.json (the legacy root tsconfig.json's
 * compiler options, which it replaces), jest.preset.js (swc), the toolchain devDependencies at the installed
 * versions, `nx run-many` scripts in place of the legacy root test and typecheck scripts, and .gitignore entries
 * for tool output. The legacy root jest config, which only ran the shared folder's tests, goes: every library has
 * its own now. Existing files are only added to.
 */
export function ensureNxWorkspace(tree: Tree, options: EnsureNxWorkspaceOptions): WorkspaceSetup {
  const setup: WorkspaceSetup = {
    wasNxWorkspace: tree.exists('nx.json'),
    created: [],
    updated: [],
    removed: [],
    renamed: [],
    originals: {},
    devDependenciesAdded: {},
    scriptsReplaced: [],
    gitignoreAdded: [],
  };

  if (!setup.wasNxWorkspace) {
    writeJson(tree, 'nx.json', { ...NX_JSON, defaultBase: options.defaultBase });
    setup.created.push('nx.json');
  } else {
    let changed = false;
    updateJson(tree, 'nx.json', (json) => {
      const defaults = (json.targetDefaults ??= {});
      if (!defaults.typecheck) {
        defaults.typecheck = TYPECHECK_TARGET;
        changed = true;
      }
      return json;
    });
    if (ensureJestPlugin(tree)) changed = true;
    if (changed) setup.updated.push('nx.json');
  }

  if (!tree.exists(ROOT_TSCONFIG)) {
    const legacy = tree.read('tsconfig.json', 'utf-8');
    const legacyOptions = legacy ? ((readJsonText(legacy, 'tsconfig.json').compilerOptions ?? {}) as object) : {};
    const compilerOptions: Record<string, unknown> = { ...DEFAULT_COMPILER_OPTIONS };
    for (const [key, value] of Object.entries(legacyOptions)) {
      if (!LEGACY_ROOT_ONLY.has(key)) compilerOptions[key] = value;
    }
    Object.assign(compilerOptions, { rootDir: '.', baseUrl: '.', paths: compilerOptions['paths'] ?? {} });
    writeJson(tree, ROOT_TSCONFIG, { compileOnSave: false, compilerOptions, exclude: ['node_modules', 'tmp', 'dist'] });
    if (legacy !== null) {
      setup.originals['tsconfig.json'] = legacy;
      tree.delete('tsconfig.json');
      setup.renamed.push(['tsconfig.json', ROOT_TSCONFIG]);
    } else {
      setup.created.push(ROOT_TSCONFIG);
    }
  }

  if (!tree.exists('jest.preset.js')) {
    tree.write('jest.preset.js', JEST_PRESET);
    setup.created.push('jest.preset.js');
    for (const legacy of ['jest.config.js', 'jest.config.cjs', 'jest.config.ts', 'jest.config.json']) {
      if (!setup.wasNxWorkspace && tree.exists(legacy)) {
        setup.originals[legacy] = tree.read(legacy, 'utf-8') ?? '';
        tree.delete(legacy);
        setup.removed.push(legacy);
      }
    }
  }

  if (!tree.exists('package.json')) {
    writeJson(tree, 'package.json', { name: 'workspace', private: true });
    setup.created.push('package.json');
  }
  updateJson(tree, 'package.json', (json) => {
    const declared = { ...(json.dependencies ?? {}), ...(json.devDependencies ?? {}) };
    const devDependencies: Record<string, string> = { ...(json.devDependencies ?? {}) };
    for (const name of TOOLCHAIN) {
      if (declared[name]) continue;
      const version = installedVersion(name, options.resolveFrom);
      if (version) {
        devDependencies[name] = version;
        setup.devDependenciesAdded[name] = version;
      }
    }
    if (Object.keys(setup.devDependenciesAdded).length > 0) {
      json.devDependencies = Object.fromEntries(Object.entries(devDependencies).sort(([a], [b]) => a.localeCompare(b)));
    }
    const scripts = (json.scripts ?? {}) as Record<string, string>;
    for (const [name, tool, to] of [
      ['test', /\bjest\b/, 'nx run-many -t test'],
      ['typecheck', /\btsc\b/, 'nx run-many -t typecheck'],
    ] as const) {
      if (!setup.wasNxWorkspace && scripts[name] && tool.test(scripts[name]) && scripts[name] !== to) {
        setup.scriptsReplaced.push({ name, from: scripts[name], to });
        scripts[name] = to;
      }
    }
    if (setup.scriptsReplaced.length > 0) json.scripts = scripts;
    if (Object.keys(setup.devDependenciesAdded).length > 0 || setup.scriptsReplaced.length > 0) {
      setup.updated.push('package.json');
    }
    return json;
  });

  const gitignore = tree.read('.gitignore', 'utf-8') ?? '';
  const present = new Set(gitignore.split(/\r?\n/).map((line) => line.trim().replace(/^\/|\/$/g, '')));
  const missing = options.gitignore.filter((entry) => !present.has(entry.replace(/^\/|\/$/g, '')));
  if (missing.length > 0) {
    const separator = gitignore === '' || gitignore.endsWith('\n') ? '' : '\n';
    tree.write(
      '.gitignore',
      `${gitignore}${separator}\n# @rrr/tools consolidate: tool output\n${missing.join('\n')}\n`,
    );
    setup.gitignoreAdded = missing;
    (gitignore === '' ? setup.created : setup.updated).push('.gitignore');
  }
  return setup;
}

export interface DependencyConflict {
  name: string;
  kept: string;
  ignored: string;
  from: string;
}

/**
 * One root package.json (integrated repo): each legacy package's dependencies go to the root when it does
 * not declare them; a different version than the root's is reported, the root's wins.
 */
export function mergeServiceDependencies(
  tree: Tree,
  packages: Array<{ path: string; text: string }>,
): { added: Record<string, string>; conflicts: DependencyConflict[] } {
  const added: Record<string, string> = {};
  const conflicts: DependencyConflict[] = [];
  const declaring = packages.filter((pkg) => {
    const json = readJsonText(pkg.text, pkg.path);
    return Object.keys(json['dependencies'] ?? {}).length + Object.keys(json['devDependencies'] ?? {}).length > 0;
  });
  if (declaring.length === 0) return { added, conflicts };
  updateJson(tree, 'package.json', (json) => {
    for (const field of ['dependencies', 'devDependencies'] as const) {
      for (const pkg of declaring) {
        const legacy = (readJsonText(pkg.text, pkg.path)[field] ?? {}) as Record<string, string>;
        for (const [name, version] of Object.entries(legacy)) {
          const existing = json.dependencies?.[name] ?? json.devDependencies?.[name];
          if (existing === undefined) {
            json[field] = { ...(json[field] ?? {}), [name]: version };
            added[name] = version;
          } else if (existing !== version) {
            conflicts.push({ name, kept: existing, ignored: version, from: pkg.path });
          }
        }
      }
      if (json[field]) {
        json[field] = Object.fromEntries(
          Object.entries(json[field] as Record<string, string>).sort(([a], [b]) => a.localeCompare(b)),
        );
      }
    }
    return json;
  });
  return { added, conflicts };
}
