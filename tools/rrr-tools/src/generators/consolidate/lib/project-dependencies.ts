import type { Tree } from '@nx/devkit';
import { collectSpecifiers, type SpecifierKind } from '../../../specifiers/collect-specifiers';
import type { ResolveOriginal } from '../../../specifiers/module-resolver';
import { projectOf, type ProjectInfo } from '../../../specifiers/project-info';
import { isScriptFile } from '../../../specifiers/script-files';
import { isRelativeSpecifier } from '../../../specifiers/workspace-paths';

/** project → the projects its files reference, and for each edge one example (file and kind) for reports. */
export interface ProjectDependencies {
  edges: Map<string, Set<string>>;
  examples: Map<string, { file: string; line: number; kind: SpecifierKind }>;
}

export function edgeKey(from: string, to: string): string {
  return `${from} -> ${to}`;
}

/**
 * Reads the dependencies between projects off the code as it is now: every module reference in `files`
 * (imports, re-exports, dynamic imports, require, `typeof import()`, jest/vi mocks…) is resolved in the
 * current layout, and a reference that lands in another project is an edge — the edges `nx graph` draws
 * from the same files (Nx's import analysis plus the @rrr/tools graph plugin for mocks and type queries).
 */
export function deriveProjectDependencies(
  tree: Tree,
  options: { files: readonly string[]; projects: readonly ProjectInfo[]; resolve: ResolveOriginal },
): ProjectDependencies {
  const edges = new Map<string, Set<string>>(options.projects.map((project) => [project.name, new Set<string>()]));
  const examples: ProjectDependencies['examples'] = new Map();
  for (const file of options.files) {
    if (!isScriptFile(file)) continue;
    const from = projectOf(options.projects, file);
    if (!from) continue;
    const text = tree.read(file, 'utf-8');
    if (text === null) continue;
    for (const reference of collectSpecifiers(text, file)) {
      const query =
        reference.kind === 'reference-path' && !isRelativeSpecifier(reference.text) && !reference.text.startsWith('/')
          ? `./${reference.text}`
          : reference.text;
      const resolved = options.resolve(query, file, reference.kind);
      if (typeof resolved !== 'string') continue;
      const to = projectOf(options.projects, resolved);
      if (!to || to.name === from.name) continue;
      edges.get(from.name)?.add(to.name);
      const key = edgeKey(from.name, to.name);
      if (!examples.has(key)) examples.set(key, { file, line: reference.line, kind: reference.kind });
    }
  }
  return { edges, examples };
}

/** Projects that depend on any of `changed`, directly or transitively, plus `changed` itself (what `nx affected` adds). */
export function withDependents(
  changed: Iterable<string>,
  edges: ReadonlyMap<string, ReadonlySet<string>>,
): Set<string> {
  const dependents = new Map<string, string[]>();
  for (const [from, tos] of edges) {
    for (const to of tos) dependents.set(to, [...(dependents.get(to) ?? []), from]);
  }
  const result = new Set<string>();
  const queue = [...changed];
  while (queue.length > 0) {
    const project = queue.pop() as string;
    if (result.has(project)) continue;
    result.add(project);
    queue.push(...(dependents.get(project) ?? []));
  }
  return result;
}
