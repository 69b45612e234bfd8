import { isWithin, joinWorkspacePath, normalizeWorkspacePath } from './workspace-paths';

/** A project as the rewriter sees it: where it lives and how other projects import it. */
export interface ProjectInfo {
  name: string;
  /** Workspace-relative root, e.g. `libs/services/data-pipeline`. */
  root: string;
  /** The specifier other projects use, e.g. `@rrr/data-pipeline`; without one, only relative paths reach it. */
  importPath?: string;
  /** The public entry, relative to the root (`src/index.ts`) or to the workspace. */
  entry?: string;
}

/** The project whose root is the longest prefix of `path`, or undefined when it lies in none. */
export function projectOf(projects: readonly ProjectInfo[], path: string): ProjectInfo | undefined {
  let best: ProjectInfo | undefined;
  for (const project of projects) {
    const root = normalizeWorkspacePath(project.root);
    if (!isWithin(path, root)) continue;
    if (!best || root.length > normalizeWorkspacePath(best.root).length) best = project;
  }
  return best;
}

/** Workspace path of a project's public entry file. */
export function entryPathOf(project: ProjectInfo): string {
  const root = normalizeWorkspacePath(project.root);
  const entry = normalizeWorkspacePath(project.entry ?? 'src/index.ts');
  return root !== '' && isWithin(entry, root) ? entry : joinWorkspacePath(root, entry);
}
