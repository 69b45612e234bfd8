import { formatFiles, logger, visitNotIgnoredFiles, type Tree } from '@nx/devkit';
import { originalTreeFileSystem, treeFileSystem } from '../../specifiers/file-systems';
import { createModuleResolver } from '../../specifiers/module-resolver';
import {
  DEFAULT_MAPPING_PATH,
  findPathMapping,
  LEGACY_MAPPING_PATH,
  readPathMapping,
} from '../../specifiers/path-mapping';
import { isScriptFile } from '../../specifiers/script-files';
import { isRelativeSpecifier } from '../../specifiers/workspace-paths';
import { readWorkspaceProjects, rootTsconfigPath } from '../../specifiers/workspace-projects';
import { rewriteImports, type RewriteReport } from '../../generators/consolidate/lib/rewrite-imports';

export interface RewriteLegacySpecifiersOptions {
  /** Where the consolidation recorded its mapping. Default {@link DEFAULT_MAPPING_PATH}, else {@link LEGACY_MAPPING_PATH}. */
  mappingPath?: string;
  skipFormat?: boolean;
}

/**
 * Migration for branches that were in flight during the consolidation: once merged, their files sit
 * at the consolidated paths but may still say `../../../../src/core/types`, `@shared/utils` or
 * `./priceFeed`. Every specifier that no longer resolves in the workspace is resolved as it was
 * written — from the file's old location, with the legacy compiler options recorded with the
 * mapping — and rewritten to the consolidated specifier. Specifiers that resolve today are not touched.
 */
export default async function rewriteLegacySpecifiers(
  tree: Tree,
  options: RewriteLegacySpecifiersOptions = {},
): Promise<RewriteReport | undefined> {
  const found = options.mappingPath
    ? { path: options.mappingPath, mapping: readPathMapping(tree, options.mappingPath) }
    : findPathMapping(tree);
  const mapping = found?.mapping;
  if (!mapping) {
    const looked = options.mappingPath ?? `${DEFAULT_MAPPING_PATH} or ${LEGACY_MAPPING_PATH}`;
    logger.info(`No consolidation mapping at ${looked}: nothing to rewrite.`);
    return undefined;
  }

  const files: string[] = [];
  visitNotIgnoredFiles(tree, '', (file) => {
    if (isScriptFile(file)) files.push(file);
  });
  const resolveNow = createModuleResolver(treeFileSystem(tree), { fallbackTsconfig: rootTsconfigPath(tree) });
  const resolveLegacy = createModuleResolver(originalTreeFileSystem(tree, mapping));
  const projects = mapping.projects.length > 0 ? mapping.projects : readWorkspaceProjects(tree);

  const report = rewriteImports(tree, {
    files,
    mapping,
    projects,
    resolveOriginal: resolveLegacy,
    shouldRewrite: (reference, file) => {
      const written =
        reference.kind === 'reference-path' && !isRelativeSpecifier(reference.text)
          ? `./${reference.text}`
          : reference.text;
      return typeof resolveNow(written, file, reference.kind) !== 'string';
    },
  });

  logger.info(
    `Rewrote ${report.totalRewritten} legacy specifier(s) in ${report.filesChanged.length} file(s)` +
      (report.exportsAdded.length > 0 ? `; added ${report.exportsAdded.length} re-export(s) to project entries.` : '.'),
  );
  for (const unresolved of report.unresolved) {
    logger.warn(`${unresolved.file}:${unresolved.line}: ${unresolved.specifier} — ${unresolved.reason}`);
  }
  for (const needed of report.needsExport) {
    logger.warn(`${needed.file}:${needed.line}: kept ${needed.specifier} — ${needed.reason}`);
  }
  if (!options.skipFormat) await formatFiles(tree);
  return report;
}
