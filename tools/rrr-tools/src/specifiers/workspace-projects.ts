import { getProjects, type Tree } from '@nx/devkit';
import * as ts from 'typescript';
import type { ProjectInfo } from './project-info';
import { isWithin, joinWorkspacePath, normalizeWorkspacePath, workspaceDirname } from './workspace-paths';

/** The workspace's root tsconfig: `tsconfig.base.json` in integrated repos, else `tsconfig.json`. */
export function rootTsconfigPath(tree: Tree): string | undefined {
  return ['tsconfig.base.json', 'tsconfig.json'].find((path) => tree.exists(path));
}

/**
 * The workspace's projects with the import path and entry the root tsconfig `paths` give them
 * (`"@rrr/core": ["libs/core/src/index.ts"]`). A project without an exact alias has no import path.
 */
export function readWorkspaceProjects(tree: Tree): ProjectInfo[] {
  const tsconfig = rootTsconfigPath(tree);
  let paths: Record<string, string[]> = {};
  let base = '';
  if (tsconfig) {
    const { config } = ts.parseConfigFileTextToJson(tsconfig, tree.read(tsconfig, 'utf-8') ?? '{}');
    const options = (config?.compilerOptions ?? {}) as { baseUrl?: string; paths?: Record<string, string[]> };
    paths = options.paths ?? {};
    base = joinWorkspacePath(workspaceDirname(tsconfig), options.baseUrl ?? '.');
  }
  const aliases = Object.entries(paths)
    .filter(([alias, targets]) => !alias.includes('*') && Array.isArray(targets) && targets.length > 0)
    .map(([alias, targets]) => ({ alias, target: joinWorkspacePath(base, targets[0]) }));

  return [...getProjects(tree)].map(([name, config]) => {
    const root = normalizeWorkspacePath(config.root);
    const alias = aliases.find(({ target }) => root !== '' && isWithin(target, root));
    return alias ? { name, root, importPath: alias.alias, entry: alias.target } : { name, root };
  });
}
