import {
  DependencyType,
  validateDependency,
  type CreateDependencies,
  type RawProjectGraphDependency,
} from '@nx/devkit';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ts from 'typescript';
import { collectSpecifiers, type SpecifierKind } from '../specifiers/collect-specifiers';
import { projectOf, type ProjectInfo } from '../specifiers/project-info';
import { isScriptFile } from '../specifiers/script-files';
import { isRelativeSpecifier, joinWorkspacePath, workspaceDirname } from '../specifiers/workspace-paths';

/** The plugin's name as Nx lists it (`nx.json` → `plugins: ["./tools/rrr-tools/src/graph/mock-dependencies.ts"]`). */
export const name = '@rrr/tools/mock-dependencies';

export interface MockDependenciesOptions {
  /** The tsconfig whose `paths` map `@scope/name` specifiers to files. Default `tsconfig.base.json`. */
  tsconfig?: string;
}

/**
 * References Nx's own import analysis does not turn into edges: a test that only mocks a module
 * (`jest.mock('@rrr/risk-management')`) or only names its types (`typeof import()`) still breaks
 * when that module changes, so `nx affected` must re-test it.
 */
const EDGE_KINDS: ReadonlySet<SpecifierKind> = new Set(['jest-mock', 'vi-mock', 'type-query', 'jsdoc-import']);

interface PathAlias {
  prefix: string;
  suffix: string;
  wildcard: boolean;
  target: string;
}

function readAliases(workspaceRoot: string, tsconfig: string): PathAlias[] {
  let text: string;
  try {
    text = readFileSync(join(workspaceRoot, tsconfig), 'utf-8');
  } catch {
    return [];
  }
  const { config } = ts.parseConfigFileTextToJson(tsconfig, text);
  const options = (config?.compilerOptions ?? {}) as { baseUrl?: string; paths?: Record<string, string[]> };
  const base = joinWorkspacePath(workspaceDirname(tsconfig), options.baseUrl ?? '.');
  return Object.entries(options.paths ?? {}).flatMap(([pattern, targets]) => {
    if (!Array.isArray(targets) || targets.length === 0 || pattern === '*') return [];
    const star = pattern.indexOf('*');
    return [
      {
        prefix: star < 0 ? pattern : pattern.slice(0, star),
        suffix: star < 0 ? '' : pattern.slice(star + 1),
        wildcard: star >= 0,
        target: joinWorkspacePath(base, targets[0]),
      },
    ];
  });
}

function aliasTarget(specifier: string, aliases: readonly PathAlias[]): string | undefined {
  for (const alias of aliases) {
    if (!alias.wildcard) {
      if (specifier === alias.prefix) return alias.target;
      continue;
    }
    if (
      specifier.startsWith(alias.prefix) &&
      specifier.endsWith(alias.suffix) &&
      specifier.length >= alias.prefix.length + alias.suffix.length
    ) {
      const captured = specifier.slice(alias.prefix.length, specifier.length - alias.suffix.length);
      return joinWorkspacePath(alias.target.replace('*', captured));
    }
  }
  return undefined;
}

/**
 * Adds static edges for mocked modules and type queries, resolving relative specifiers by path and
 * `@scope/name` specifiers through the root tsconfig's `paths`. Only the files Nx asks about
 * (`filesToProcess`) are read.
 */
export const createDependencies: CreateDependencies<MockDependenciesOptions> = (options, context) => {
  const aliases = readAliases(context.workspaceRoot, options?.tsconfig ?? 'tsconfig.base.json');
  const projects: ProjectInfo[] = Object.entries(context.projects).map(([projectName, config]) => ({
    name: projectName,
    root: config.root,
  }));
  const dependencies: RawProjectGraphDependency[] = [];
  const seen = new Set<string>();

  for (const [source, files] of Object.entries(context.filesToProcess.projectFileMap)) {
    for (const { file } of files) {
      if (!isScriptFile(file)) continue;
      let text: string;
      try {
        text = readFileSync(join(context.workspaceRoot, file), 'utf-8');
      } catch {
        continue;
      }
      // Cheap pre-filter: most files mention none of the constructs this plugin looks for.
      if (!/\b(jest|vi)\.|import\(/.test(text)) continue;
      for (const reference of collectSpecifiers(text, file)) {
        if (!EDGE_KINDS.has(reference.kind)) continue;
        const targetPath = isRelativeSpecifier(reference.text)
          ? joinWorkspacePath(workspaceDirname(file), reference.text)
          : aliasTarget(reference.text, aliases);
        if (targetPath === undefined) continue;
        const target = projectOf(projects, targetPath)?.name;
        if (target === undefined || target === source) continue;
        const key = `${source}\0${target}\0${file}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const dependency: RawProjectGraphDependency = { source, target, sourceFile: file, type: DependencyType.static };
        validateDependency(dependency, context);
        dependencies.push(dependency);
      }
    }
  }
  return dependencies;
};
