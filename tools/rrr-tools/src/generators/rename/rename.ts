import { formatFiles, logger, readProjectConfiguration, visitNotIgnoredFiles, type Tree } from '@nx/devkit';
import { originalTreeFileSystem } from '../../specifiers/file-systems';
import { createModuleResolver } from '../../specifiers/module-resolver';
import { applyPathMapping } from '../../specifiers/path-mapping';
import { isScriptFile } from '../../specifiers/script-files';
import { readWorkspaceProjects, rootTsconfigPath } from '../../specifiers/workspace-projects';
import { planRenames, renamesToMapping } from '../consolidate/lib/normalize-names';
import { rewriteImports, type RewriteReport } from '../consolidate/lib/rewrite-imports';
import { updateReferences, type ReferencesReport } from '../consolidate/lib/update-references';
import type { RenameGeneratorSchema } from './schema';

export interface RenameResult {
  /** old → new for every renamed file and folder. */
  renames: Map<string, string>;
  imports: RewriteReport | undefined;
  references: ReferencesReport | undefined;
}

/** Files whose non-code path references update-references understands. */
function isReferenceFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    /^tsconfig.*\.json$/.test(name) ||
    name === 'package.json' ||
    /^jest\.config\.[cm]?[jt]s$/.test(name) ||
    /\.(md|markdown)$/i.test(name)
  );
}

function listFiles(tree: Tree, directory: string): string[] {
  const files: string[] = [];
  visitNotIgnoredFiles(tree, directory, (file) => files.push(file));
  return files;
}

/**
 * `nx g @rrr/tools:rename --project=<name> --convention=kebab`: renames one project's files and
 * folders to the convention and rewrites every reference to them across the workspace, resolving
 * each specifier with the workspace's current compiler options (as they were before the renames).
 */
export async function renameGenerator(tree: Tree, options: RenameGeneratorSchema): Promise<RenameResult> {
  const convention = options.convention ?? 'kebab';
  const project = readProjectConfiguration(tree, options.project);
  const projectFiles = listFiles(tree, project.root);
  const renames = planRenames(projectFiles, convention, { root: project.root });
  if (renames.size === 0) {
    logger.info(`${options.project}: every name already follows the ${convention} convention; nothing to rename.`);
    return { renames, imports: undefined, references: undefined };
  }

  const mapping = renamesToMapping(renames, projectFiles);
  logger.info(
    [`${options.project}: renaming ${mapping.size} file(s) to ${convention}-case:`]
      .concat([...mapping.entries()].map(([from, to]) => `  ${from} → ${to}`))
      .join('\n'),
  );
  applyPathMapping(tree, mapping);

  const workspaceFiles = listFiles(tree, '');
  const resolveOriginal = createModuleResolver(originalTreeFileSystem(tree, mapping), {
    fallbackTsconfig: rootTsconfigPath(tree),
  });
  const imports = rewriteImports(tree, {
    files: workspaceFiles.filter(isScriptFile),
    mapping,
    resolveOriginal,
    projects: readWorkspaceProjects(tree),
    onlyMoved: true,
  });
  const references = updateReferences(tree, { files: workspaceFiles.filter(isReferenceFile), mapping });

  logger.info(
    `${options.project}: rewrote ${imports.totalRewritten} import(s) in ${imports.filesChanged.length} file(s) and ` +
      `${references.updated.length} path reference(s) in configs and docs.`,
  );
  for (const unresolved of imports.unresolved) {
    logger.warn(`${unresolved.file}:${unresolved.line}: ${unresolved.specifier} — ${unresolved.reason}`);
  }
  for (const needed of imports.needsExport) {
    logger.warn(`${needed.file}:${needed.line}: kept ${needed.specifier} — ${needed.reason}`);
  }
  if (!options.skipFormat) await formatFiles(tree);
  return { renames, imports, references };
}

/** The Nx entry point: Nx calls whatever a generator returns as its task, so the result stays with renameGenerator. */
export default async function renameGeneratorTask(tree: Tree, options: RenameGeneratorSchema): Promise<void> {
  await renameGenerator(tree, options);
}
