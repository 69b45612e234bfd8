import { getProjects, visitNotIgnoredFiles, type Tree } from '@nx/devkit';
import * as ts from 'typescript';
import { originalTreeFileSystem, treeFileSystem } from '../../../specifiers/file-systems';
import { createModuleResolver } from '../../../specifiers/module-resolver';
import {
  applyPathMapping,
  DEFAULT_MAPPING_PATH,
  LEGACY_MAPPING_PATH,
  PathMapping,
  readPathMapping,
  writePathMapping,
} from '../../../specifiers/path-mapping';
import { projectOf, type ProjectInfo } from '../../../specifiers/project-info';
import { isScriptFile } from '../../../specifiers/script-files';
import { isWithin, joinWorkspacePath, normalizeWorkspacePath } from '../../../specifiers/workspace-paths';
import { readWorkspaceProjects } from '../../../specifiers/workspace-projects';
import { ensureNxWorkspace, mergeServiceDependencies } from './ensure-nx-workspace';
import { findNearDuplicates } from './find-near-duplicates';
import { makeLibrary, ROOT_TSCONFIG, type MadeLibrary } from './make-library';
import type { WorktreeMeasure } from './measure-worktree';
import type { NamingConvention } from './normalize-names';
import { planLibraryLayout, type LibraryLayout } from './plan-layout';
import { deriveProjectDependencies, edgeKey, withDependents } from './project-dependencies';
import { rewriteImports } from './rewrite-imports';
import { updateReferences } from './update-references';
import {
  REPORT_PATH,
  writeMigrationReport,
  type MigrationReportData,
  type ServiceReport,
  type SharedReport,
  type WipCommitReport,
} from './write-report';
import { writeServiceRegistry, SERVICE_REGISTRY_PATH } from './write-service-registry';

export interface TreeConsolidationOptions {
  worktreesDir: string;
  shared: string;
  sharedProject: string;
  servicesDir: string;
  scope: string;
  naming: NamingConvention;
  backupDir: string;
}

/** One service whose files are in the tree at `target` exactly as the move commit put them. */
export interface ImportedServiceFiles {
  name: string;
  /** Worktree path relative to the root (`worktrees/neural_network`): the files' old home. */
  worktree: string;
  branch: string | null;
  source: string | null;
  /** `libs/services/neural-network`. */
  target: string;
  /** Paths relative to `target`. */
  files: string[];
  measure: WorktreeMeasure;
}

export interface TreeConsolidationInput {
  options: TreeConsolidationOptions;
  services: ImportedServiceFiles[];
  mainBranch: string;
  mainBefore: string;
  mainAfter: string;
  backupPath?: string;
  wipCommits: WipCommitReport[];
  dryRun: boolean;
  /** ISO time of the run, for the report. */
  date: string;
  /** Where to look for the toolchain's installed versions (the repository root, then this plugin). */
  resolveFrom: string[];
}

export interface TreeConsolidationResult {
  report: MigrationReportData;
  reportText: string;
  /** Files whose text is the author's (moved, or edited only at specifier offsets): formatting must not touch them. */
  authored: Map<string, Buffer>;
  mapping: PathMapping;
  /** Roots of the libraries made by this run. */
  libraries: MadeLibrary[];
}

/** Files that configure, package or document: update-references reads these. */
function isReferenceFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return (
    /^tsconfig.*\.json$/.test(name) ||
    name === 'package.json' ||
    /^jest\.config\.[cm]?[jt]s$/.test(name) ||
    /\.(md|markdown)$/i.test(name)
  );
}

/** The shared folder's files (not ignored), relative to it: what main tracks there. */
export function sharedFolderFiles(tree: Tree, shared: string): string[] {
  if (!tree.exists(shared) || tree.isFile(shared)) return [];
  const files: string[] = [];
  visitNotIgnoredFiles(tree, shared, (path) => files.push(relativeTo(shared, path)));
  return files.sort();
}

/** Workspace files that are not ignored and not inside the worktrees, the backups or Nx's own folders. */
function workspaceFiles(tree: Tree, excluded: readonly string[]): string[] {
  const files: string[] = [];
  visitNotIgnoredFiles(tree, '', (path) => {
    if (!excluded.some((prefix) => isWithin(path, prefix))) files.push(path);
  });
  return files;
}

function compilerOptionsOf(text: string | undefined, path: string): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const { config } = ts.parseConfigFileTextToJson(path, text);
  return (config?.compilerOptions ?? undefined) as Record<string, unknown> | undefined;
}

function relativeTo(base: string, path: string): string {
  return path.startsWith(`${base}/`) ? path.slice(base.length + 1) : path;
}

export interface PlannedLayouts {
  services: Map<string, LibraryLayout>;
  shared?: LibraryLayout;
}

/** Where every file of every service and of the shared folder goes (throws RenameCollisionError on a clash). */
export function planLayouts(
  options: TreeConsolidationOptions,
  services: ReadonlyArray<Pick<ImportedServiceFiles, 'name' | 'target' | 'files'>>,
  sharedFiles: readonly string[],
): PlannedLayouts {
  const layouts = new Map<string, LibraryLayout>();
  for (const service of services) {
    layouts.set(
      service.name,
      planLibraryLayout({
        from: service.target,
        files: service.files,
        naming: options.naming,
        libraryRoot: service.target,
        kind: 'service',
        configDir: joinWorkspacePath('config/services', service.name),
        docsDir: joinWorkspacePath('docs/services', service.name),
      }),
    );
  }
  const shared =
    sharedFiles.length > 0
      ? planLibraryLayout({
          from: options.shared,
          files: sharedFiles,
          naming: options.naming,
          libraryRoot: joinWorkspacePath('libs', options.sharedProject),
          kind: 'shared',
        })
      : undefined;
  return { services: layouts, shared };
}

/** Every file move of a plan, current path → final path. */
export function layoutMoves(layouts: PlannedLayouts): Array<[string, string]> {
  return [...layouts.services.values(), ...(layouts.shared ? [layouts.shared] : [])].flatMap((layout) => [
    ...layout.moves,
  ]);
}

/** Refuses a library name that a project elsewhere in the workspace already has. */
export function checkProjectNames(
  tree: Tree,
  options: TreeConsolidationOptions,
  services: ReadonlyArray<Pick<ImportedServiceFiles, 'name' | 'target'>>,
  withShared: boolean,
): void {
  const existingProjects = getProjects(tree);
  const planned = [
    ...services.map((s) => ({ name: s.name, root: s.target })),
    ...(withShared ? [{ name: options.sharedProject, root: joinWorkspacePath('libs', options.sharedProject) }] : []),
  ];
  for (const { name, root } of planned) {
    const existing = existingProjects.get(name);
    if (existing && normalizeWorkspacePath(existing.root) !== root) {
      throw new Error(`A project named ${name} already exists at ${existing.root}; ${root} cannot take that name`);
    }
  }
}

/**
 * The part of the consolidation that happens in the Nx tree, after the history import put each service's
 * files at `<servicesDir>/<name>/`: lays out each library (names normalised, tests/config/docs moved —
 * unless the rename commit already did on disk —, dependencies and package files dropped), makes it an Nx
 * library, moves the shared folder into its own,
 * rewrites every import and config/doc reference by resolution, writes the service registry from the
 * resulting project graph, records the path mapping for the migration and writes MIGRATION_REPORT.md.
 * Works on any tree: the generator's (after the import), a scratch one (dry run) or a spec's.
 */
export function consolidateTree(tree: Tree, input: TreeConsolidationInput): TreeConsolidationResult {
  const { options } = input;
  const sharedRoot = joinWorkspacePath('libs', options.sharedProject);
  const backupInside =
    !options.backupDir.startsWith('/') && !options.backupDir.startsWith('..')
      ? normalizeWorkspacePath(options.backupDir)
      : null;
  const excluded = [options.worktreesDir, ...(backupInside ? [backupInside] : []), '.nx', 'node_modules'];

  const sharedFiles = sharedFolderFiles(tree, options.shared);
  checkProjectNames(tree, options, input.services, sharedFiles.length > 0);

  const workspace = ensureNxWorkspace(tree, {
    defaultBase: input.mainBranch,
    gitignore: [
      '.nx/cache',
      '.nx/workspace-data',
      `/${options.worktreesDir}/`,
      ...(backupInside ? [`/${backupInside}/`] : []),
    ],
    resolveFrom: input.resolveFrom,
  });

  // Layout: where every file goes. Planned for all first, so a name collision refuses before anything moves.
  const { services: layouts, shared: sharedLayout } = planLayouts(options, input.services, sharedFiles);

  const moves = new PathMapping();
  const mapping = new PathMapping();
  const originals: Record<string, string> = { ...workspace.originals };
  const legacyPackages: Array<{ path: string; text: string }> = [];
  const legacyTsconfigs = new Map<string, string>();
  for (const service of input.services) {
    const layout = layouts.get(service.name) as LibraryLayout;
    for (const [from, to] of layout.moves) moves.set(from, to);
    for (const path of [...layout.moves.keys(), ...layout.kept]) {
      mapping.set(
        joinWorkspacePath(service.worktree, relativeTo(service.target, path)),
        layout.moves.get(path) ?? path,
      );
    }
    for (const file of [...layout.replaced, ...layout.dropped]) {
      const text = tree.read(file.path, 'utf-8');
      const role = 'role' in file ? file.role : undefined;
      if (text !== null && role) {
        const oldPath = joinWorkspacePath(service.worktree, relativeTo(service.target, file.path));
        originals[oldPath] = text;
        if (role === 'package-json') legacyPackages.push({ path: oldPath, text });
        if (role === 'tsconfig') legacyTsconfigs.set(service.name, text);
      }
      tree.delete(file.path);
    }
  }
  if (sharedLayout) {
    for (const [from, to] of sharedLayout.moves) {
      moves.set(from, to);
      mapping.set(from, to);
    }
  }
  mapping.originalFiles = originals;
  applyPathMapping(tree, moves);

  // Libraries: shared first, so services can see its import path.
  const libraries: MadeLibrary[] = [];
  if (sharedLayout) {
    libraries.push(
      makeLibrary(tree, {
        name: options.sharedProject,
        root: sharedRoot,
        importPath: `${options.scope}/${options.sharedProject}`,
        tags: [`scope:${options.sharedProject}`],
        origin: options.shared,
      }),
    );
  }
  for (const service of input.services) {
    libraries.push(
      makeLibrary(tree, {
        name: service.name,
        root: service.target,
        importPath: `${options.scope}/${service.name}`,
        tags: ['scope:service', `service:${service.name}`],
        legacyCompilerOptions: compilerOptionsOf(
          legacyTsconfigs.get(service.name),
          `${service.worktree}/tsconfig.json`,
        ),
        origin: service.worktree,
      }),
    );
  }
  const dependencyMerge = mergeServiceDependencies(tree, legacyPackages);

  const generated = new Set(libraries.flatMap((library) => library.created));
  const files = workspaceFiles(tree, excluded);
  const projects = readWorkspaceProjects(tree);
  const resolveOriginal = createModuleResolver(originalTreeFileSystem(tree, mapping), {
    fallbackTsconfig: workspace.wasNxWorkspace ? ROOT_TSCONFIG : undefined,
  });
  const resolveCurrent = createModuleResolver(treeFileSystem(tree), { fallbackTsconfig: ROOT_TSCONFIG });
  const imports = rewriteImports(tree, {
    files: files.filter(isScriptFile),
    mapping,
    resolveOriginal,
    resolveCurrent,
    projects,
    onlyMoved: true,
  });
  const references = updateReferences(tree, {
    files: files.filter((path) => isReferenceFile(path) && !generated.has(path)),
    mapping,
  });

  // The graph as the rewritten code draws it; the registry keeps the service-to-service part.
  const madeNames = new Set(libraries.map((library) => library.name));
  const dependencies = deriveProjectDependencies(tree, {
    files: files.filter(isScriptFile),
    projects,
    resolve: createModuleResolver(treeFileSystem(tree), { fallbackTsconfig: ROOT_TSCONFIG }),
  });
  const serviceProjects = projects.filter((project) => isWithin(project.root, options.servicesDir));
  const serviceNames = new Set(serviceProjects.map((project) => project.name));
  const registry = writeServiceRegistry(
    tree,
    Object.fromEntries(
      serviceProjects.map((project) => [
        project.name,
        [...(dependencies.edges.get(project.name) ?? [])].filter((name) => serviceNames.has(name)),
      ]),
    ),
  );
  const edges = [...dependencies.edges]
    .filter(([from]) => madeNames.has(from))
    .flatMap(([from, tos]) =>
      [...tos].sort().map((to) => {
        const example = dependencies.examples.get(edgeKey(from, to));
        return { from, to, example: example ? `${example.file}:${example.line} ${example.kind}` : '' };
      }),
    );

  const consolidatedFiles = [...mapping.entries()].map(([, to]) => to);
  const nearDuplicates = findNearDuplicates(
    consolidatedFiles.filter(isScriptFile).map((path) => ({ path, text: tree.read(path, 'utf-8') ?? '' })),
  );

  // The mapping the migration reads to bring in-flight branches up to date; an earlier run's entries stay.
  // A mapping an earlier version recorded under tools/rrr-tools moves to the root with this run's entries.
  const recorded = [LEGACY_MAPPING_PATH, DEFAULT_MAPPING_PATH].map((path) => readPathMapping(tree, path));
  const record = new PathMapping(recorded.flatMap((earlier) => (earlier ? [...earlier.entries()] : [])));
  for (const [from, to] of mapping.entries()) record.set(from, to);
  record.projects = projects;
  record.originalFiles = Object.assign({}, ...recorded.map((earlier) => earlier?.originalFiles ?? {}), originals);
  writePathMapping(tree, DEFAULT_MAPPING_PATH, record);
  if (recorded[0]) tree.delete(LEGACY_MAPPING_PATH);

  const serviceReports: ServiceReport[] = input.services.map((service) => {
    const layout = layouts.get(service.name) as LibraryLayout;
    const library = libraries.find((made) => made.name === service.name) as MadeLibrary;
    const finals = [...layout.moves.values(), ...layout.kept];
    const bytes = finals.reduce((sum, path) => sum + (tree.read(path)?.length ?? 0), 0);
    const configDir = joinWorkspacePath('config/services', service.name);
    const docsDir = joinWorkspacePath('docs/services', service.name);
    return {
      worktree: service.worktree,
      branch: service.branch,
      source: service.source,
      project: service.name,
      importPath: library.importPath,
      target: service.target,
      filesImported: service.files.length,
      filesAfter: finals.length,
      renames: [...layout.renames].map(([from, to]): [string, string] => [
        joinWorkspacePath(service.worktree, from),
        joinWorkspacePath(service.worktree, to),
      ]),
      testsMoved: layout.testsMoved,
      configMoved: finals.filter((path) => isWithin(path, configDir)).length,
      docsMoved: finals.filter((path) => isWithin(path, docsDir)).length,
      dropped: layout.dropped,
      replaced: layout.replaced,
      before: service.measure.total,
      after: { files: finals.length, bytes },
      leftBehind: service.measure.leftBehind,
      generatedEntry: library.generatedEntry,
      keptCompilerOptions: library.keptCompilerOptions,
    };
  });
  const sharedReport: SharedReport | undefined = sharedLayout && {
    from: options.shared,
    project: options.sharedProject,
    importPath: `${options.scope}/${options.sharedProject}`,
    target: sharedRoot,
    files: sharedFiles.length,
    renames: [...sharedLayout.renames].map(([from, to]): [string, string] => [
      joinWorkspacePath(options.shared, from),
      joinWorkspacePath(options.shared, to),
    ]),
  };

  // Renamed files count as changed whether the rename happened here or in the rename commit on disk.
  const changed = new Set<string>([
    ...tree.listChanges().map((change) => change.path),
    ...layoutMoves({ services: layouts, shared: sharedLayout }).flat(),
    REPORT_PATH,
  ]);
  const affected = affectedProjects(changed, projects, dependencies.edges);
  const report: MigrationReportData = {
    date: input.date,
    mainBranch: input.mainBranch,
    mainBefore: input.mainBefore,
    mainAfter: input.mainAfter,
    backupPath: input.backupPath,
    dryRun: input.dryRun,
    wipCommits: input.wipCommits,
    services: serviceReports,
    shared: sharedReport,
    workspace,
    dependencyConflicts: dependencyMerge.conflicts,
    imports,
    references,
    nearDuplicates,
    registry,
    edges,
    affected,
    changedFiles: changed.size,
  };
  const reportText = writeMigrationReport(tree, report);

  // Everything that existed before keeps its author's formatting: moved files, and files edited only at offsets.
  const authored = new Map<string, Buffer>();
  const ours = new Set([
    ...generated,
    REPORT_PATH,
    DEFAULT_MAPPING_PATH,
    SERVICE_REGISTRY_PATH,
    'nx.json',
    ROOT_TSCONFIG,
    'jest.preset.js',
    'package.json',
    '.gitignore',
  ]);
  for (const change of tree.listChanges()) {
    if (change.type === 'DELETE' || ours.has(change.path)) continue;
    const content = tree.read(change.path);
    if (content) authored.set(change.path, content);
  }
  return { report, reportText, authored, mapping, libraries };
}

/** Files outside any project that every project reads: a change to one marks every project affected. */
const WORKSPACE_INPUTS = new Set(['nx.json', ROOT_TSCONFIG, 'package.json', 'package-lock.json', 'jest.preset.js']);

/**
 * The projects `nx affected` marks after the consolidation commits: those containing a changed file, all of
 * them when a workspace-wide input changed, and every project depending on a marked one.
 */
export function affectedProjects(
  changed: Iterable<string>,
  projects: readonly ProjectInfo[],
  edges: ReadonlyMap<string, ReadonlySet<string>>,
): MigrationReportData['affected'] {
  const direct = new Set<string>();
  let viaWorkspaceFiles = false;
  for (const path of changed) {
    if (WORKSPACE_INPUTS.has(path)) viaWorkspaceFiles = true;
    const project = projectOf(projects, path);
    if (project) direct.add(project.name);
  }
  const all = viaWorkspaceFiles ? new Set(projects.map((p) => p.name)) : withDependents(direct, edges);
  const viaDependencies = viaWorkspaceFiles ? [] : [...all].filter((name) => !direct.has(name)).sort();
  return { projects: [...all].sort(), direct: [...direct].sort(), viaWorkspaceFiles, viaDependencies };
}
