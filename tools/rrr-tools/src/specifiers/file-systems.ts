import type { Tree } from '@nx/devkit';
import type { ResolverFileSystem } from './module-resolver';
import type { PathMapping } from './path-mapping';
import { normalizeWorkspacePath, workspaceDirname } from './workspace-paths';

/** The tree as it is now. */
export function treeFileSystem(tree: Tree): ResolverFileSystem {
  return {
    fileExists: (path) => path !== '' && tree.isFile(path),
    readFile: (path) => tree.read(path, 'utf-8') ?? undefined,
    directoryExists: (path) => path === '' || (tree.exists(path) && !tree.isFile(path)),
  };
}

function ancestors(path: string): string[] {
  const result: string[] = [];
  for (let dir = workspaceDirname(path); dir !== ''; dir = workspaceDirname(dir)) result.push(dir);
  return result;
}

/**
 * The workspace as it was BEFORE the moves in `mapping`, seen through the tree as it is now: a moved
 * file is read from its new location under its old name, a path that is only occupied because a file
 * moved there does not exist, and `originals` (old path → text) stands in for files whose content the
 * move replaced (e.g. a legacy tsconfig.json overwritten by the generated one).
 */
export function originalTreeFileSystem(
  tree: Tree,
  mapping: PathMapping,
  originals: Record<string, string> = mapping.originalFiles,
): ResolverFileSystem {
  const oldDirectories = new Set<string>();
  const newOnlyDirectories = new Set<string>();
  for (const [oldPath, newPath] of mapping.entries()) {
    for (const dir of ancestors(oldPath)) oldDirectories.add(dir);
    for (const dir of ancestors(newPath)) newOnlyDirectories.add(dir);
  }
  for (const oldPath of Object.keys(originals)) {
    for (const dir of ancestors(normalizeWorkspacePath(oldPath))) oldDirectories.add(dir);
  }
  for (const dir of oldDirectories) newOnlyDirectories.delete(dir);

  const existedBefore = (path: string): boolean => {
    if (Object.prototype.hasOwnProperty.call(originals, path)) return true;
    if (mapping.hasOld(path)) return tree.isFile(mapping.oldToNew(path));
    if (mapping.hasNew(path)) return false;
    return path !== '' && tree.isFile(path);
  };

  // A directory that only exists because files moved into it existed before only if it also holds files that stayed.
  const holdsUnmovedFile = (dir: string): boolean =>
    tree.children(dir).some((child) => {
      const path = `${dir}/${child}`;
      return tree.isFile(path) ? !mapping.hasNew(path) : holdsUnmovedFile(path);
    });

  return {
    fileExists: (path) => existedBefore(normalizeWorkspacePath(path)),
    readFile: (path) => {
      const normalized = normalizeWorkspacePath(path);
      if (Object.prototype.hasOwnProperty.call(originals, normalized)) return originals[normalized];
      if (!existedBefore(normalized)) return undefined;
      return tree.read(mapping.oldToNew(normalized), 'utf-8') ?? undefined;
    },
    directoryExists: (path) => {
      const dir = normalizeWorkspacePath(path);
      if (dir === '' || oldDirectories.has(dir)) return true;
      if (!tree.exists(dir) || tree.isFile(dir)) return false;
      return newOnlyDirectories.has(dir) ? holdsUnmovedFile(dir) : true;
    },
  };
}
