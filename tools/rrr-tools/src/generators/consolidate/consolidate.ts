import { formatFiles, logger, type GeneratorCallback, type Tree } from '@nx/devkit';
import { git, isAncestor, listTree } from '../../git';
import { joinWorkspacePath, normalizeWorkspacePath } from '../../specifiers/workspace-paths';
import { createBackup, planBackup } from './lib/backup';
import { commitRenames } from './lib/commit-consolidation';
import {
  checkProjectNames,
  consolidateTree,
  layoutMoves,
  planLayouts,
  sharedFolderFiles,
  type ImportedServiceFiles,
  type TreeConsolidationOptions,
  type TreeConsolidationResult,
} from './lib/consolidate-tree';
import { describePlan } from './lib/describe-plan';
import { discoverWorktrees, type DiscoveredWorktrees, type ServiceWorktree } from './lib/discover-worktrees';
import { importHistory } from './lib/import-history';
import { measureWorktree, type WorktreeMeasure } from './lib/measure-worktree';
import {
  commitWipChanges,
  preflight,
  type AllowDirty,
  type PlannedWipCommit,
  type PreflightResult,
} from './lib/preflight';
import { previewImport } from './lib/preview-import';
import { finishConsolidation } from './lib/finish-consolidation';
import { REPORT_PATH, rollbackCommand } from './lib/write-report';
import type { ConsolidateGeneratorSchema } from './schema';

export interface NormalizedConsolidateOptions extends TreeConsolidationOptions {
  allowDirty: AllowDirty;
  removeWorktrees: boolean;
  skipTypecheck: boolean;
  dryRun: boolean;
}

export function normalizeOptions(schema: ConsolidateGeneratorSchema): NormalizedConsolidateOptions {
  const folder = (value: string | undefined, fallback: string) => normalizeWorkspacePath(value ?? fallback);
  return {
    worktreesDir: folder(schema.worktreesDir, 'worktrees'),
    shared: folder(schema.shared, 'src/core'),
    sharedProject: schema.sharedProject ?? 'core',
    servicesDir: folder(schema.servicesDir, 'libs/services'),
    scope: schema.scope ?? '@rrr',
    naming: schema.naming ?? 'kebab',
    backupDir: schema.backupDir ?? 'backups',
    allowDirty: schema.allowDirty ?? 'refuse',
    removeWorktrees: schema.removeWorktrees ?? false,
    skipTypecheck: schema.skipTypecheck ?? false,
    // `nx g --dry-run` strips the flag from the options and announces it in the environment instead.
    dryRun: schema.dryRun ?? process.env['NX_DRY_RUN'] === 'true',
  };
}

function hasCommits(service: ServiceWorktree): boolean {
  return !!service.head && !/^0+$/.test(service.head);
}

/**
 * Services still to consolidate: not merged into main yet, or merged but not made a library (a run that
 * stopped after the history import). A service whose library exists and whose HEAD main contains is done.
 */
export function pendingServices(tree: Tree, discovered: DiscoveredWorktrees, servicesDir: string): ServiceWorktree[] {
  const mainHead = git(discovered.root, ['rev-parse', 'HEAD']);
  return discovered.services.filter((service) => {
    if (!hasCommits(service)) return false;
    const merged = isAncestor(discovered.root, service.head as string, mainHead);
    return !merged || !tree.exists(joinWorkspacePath(servicesDir, service.name, 'project.json'));
  });
}

/**
 * Runs `work` with GIT_OPTIONAL_LOCKS=0: `git status` then never refreshes an index file on its own, so a dry
 * run leaves .git byte for byte as it was.
 */
function withoutOptionalGitLocks<T>(work: () => T): T {
  const saved = process.env['GIT_OPTIONAL_LOCKS'];
  process.env['GIT_OPTIONAL_LOCKS'] = '0';
  try {
    return work();
  } finally {
    if (saved === undefined) delete process.env['GIT_OPTIONAL_LOCKS'];
    else process.env['GIT_OPTIONAL_LOCKS'] = saved;
  }
}

function trackedFiles(root: string, commit: string): string[] {
  return listTree(root, commit)
    .filter((record) => record.split(' ')[1] === 'blob')
    .map((record) => record.slice(record.indexOf('\t') + 1))
    .sort();
}

/** The files a service will have once its planned WIP commit is made: HEAD's, plus and minus the WIP changes. */
function expectedFiles(root: string, service: ServiceWorktree, wip: readonly PlannedWipCommit[]): string[] {
  const files = new Set(trackedFiles(root, service.head as string));
  for (const file of wip.find((planned) => planned.label === service.relativePath)?.files ?? []) {
    if (file.from) files.delete(file.from);
    if (file.kind === 'deleted') files.delete(file.path);
    else files.add(file.path);
  }
  return [...files].sort();
}

function logReportSummary(result: TreeConsolidationResult): void {
  const { report } = result;
  logger.info(
    [
      `Consolidated ${report.services.length} service(s)${report.shared ? ` and ${report.shared.from}` : ''}: ` +
        `${report.imports.totalRewritten} import(s) rewritten, ${report.imports.unresolved.length} unresolved, ` +
        `${report.nearDuplicates.length} near-duplicate group(s); boot order ${report.registry.bootOrder.join(' → ')}.`,
      `Report: ${REPORT_PATH}`,
    ].join('\n'),
  );
}

interface Preparation {
  discovered: DiscoveredWorktrees;
  pre: PreflightResult;
  mainBranch: string;
  date: string;
  /** The pending services with their files, for the tree phase. */
  services(sources: Map<string, string | null>, files: (service: ServiceWorktree) => string[]): ImportedServiceFiles[];
}

/** Discovery, what is left to do and pre-flight: read-only. Undefined when there is nothing to do. */
function prepare(tree: Tree, options: NormalizedConsolidateOptions): Preparation | undefined {
  const discovered = discoverWorktrees(tree.root, { worktreesDir: options.worktreesDir });
  const pending = pendingServices(tree, discovered, options.servicesDir);
  const sharedPending = sharedFolderFiles(tree, options.shared).length > 0;
  if (pending.length === 0 && !sharedPending) {
    logger.info(
      `Nothing to do: ${discovered.services.length} worktree(s) under ${options.worktreesDir} are consolidated in ` +
        `${options.servicesDir} and ${options.shared} holds no shared code to move.`,
    );
    return undefined;
  }
  const pre = preflight(discovered, {
    allowDirty: options.allowDirty,
    servicesDir: options.servicesDir,
    backupDir: options.backupDir,
    targetDirs: [
      ...pending.flatMap((service) => [`config/services/${service.name}`, `docs/services/${service.name}`]),
      ...(sharedPending ? [joinWorkspacePath('libs', options.sharedProject)] : []),
    ],
  });
  for (const warning of pre.warnings) logger.warn(warning);
  // Name clashes refuse here, before the backup and the import: with the files each service will have.
  const expected = pending.map((service) => ({
    name: service.name,
    target: joinWorkspacePath(options.servicesDir, service.name),
    files: expectedFiles(discovered.root, service, pre.wip),
  }));
  checkProjectNames(tree, options, expected, sharedPending);
  planLayouts(options, expected, sharedFolderFiles(tree, options.shared));
  // Measured before anything moves: the worktrees' files, dependencies and build output as the user had them.
  const measures = new Map(pending.map((service) => [service.relativePath, measureWorktree(service.path)]));
  return {
    discovered,
    pre,
    mainBranch: discovered.main.branch ?? 'main',
    date: new Date().toISOString(),
    services: (sources, files) =>
      pending.map((service) => ({
        name: service.name,
        worktree: service.relativePath,
        branch: service.branch,
        source: sources.get(service.name) ?? service.head,
        target: joinWorkspacePath(options.servicesDir, service.name),
        files: files(service),
        measure: measures.get(service.relativePath) as WorktreeMeasure,
      })),
  };
}

/** --dry-run: the import and WIP commits simulated in a scratch tree, the tree phase on it, the plan printed. */
function printPlan(tree: Tree, options: NormalizedConsolidateOptions): void {
  const prep = prepare(tree, options);
  if (!prep) return;
  const { discovered, pre } = prep;
  const root = discovered.root;
  const history = importHistory(discovered, { servicesDir: options.servicesDir, dryRun: true });
  const backup = planBackup(discovered, { backupDir: options.backupDir });
  const preview = previewImport(
    root,
    history,
    pre.wip,
    new Map(discovered.services.map((service) => [service.relativePath, service.path])),
  );
  const previewed = new Map(preview.services.map((service) => [service.name, service.files]));
  const result = consolidateTree(preview.tree, {
    options,
    services: prep.services(
      new Map(history.services.map((service) => [service.name, service.source])),
      // Services merged by an earlier, interrupted run are on disk already.
      (service) => previewed.get(service.name) ?? trackedFiles(root, service.head as string),
    ),
    mainBranch: prep.mainBranch,
    mainBefore: history.mainBefore,
    mainAfter: history.mainAfter,
    wipCommits: pre.wip.map((wip) => ({
      label: wip.label,
      branch: wip.branch,
      commit: '(planned)',
      files: wip.files.map((file) => file.path),
    })),
    dryRun: true,
    date: prep.date,
    resolveFrom: [root, __dirname],
  });
  logger.info(
    describePlan({
      root,
      preflight: pre,
      backup,
      history,
      changes: preview.tree.listChanges(),
      reportText: result.reportText,
      removeWorktrees: options.removeWorktrees,
    }),
  );
}

/**
 * `nx g @rrr/tools:consolidate`: turns a repository whose services live in git worktrees into an Nx workspace.
 *
 * Git work happens on disk, outside the Nx tree, in an order that keeps the history honest: pre-flight,
 * backup, WIP commits, then the history import (one pure move commit per service, merged into main — so
 * rename detection links every file to its worktree history), then one commit with the renames alone. The
 * tree then sees the files where they belong; libraries, import rewrites, the registry and the report are
 * made in the tree, and the returned task — run after Nx has flushed the tree — typechecks the new
 * libraries, commits the rewrite and, when asked to and the typecheck passed, removes the worktrees. With --dry-run it computes all
 * of that on a scratch tree, prints it and changes nothing on disk, git included. When nothing is left to
 * consolidate it says so and changes nothing.
 */
export async function consolidateGenerator(
  tree: Tree,
  schema: ConsolidateGeneratorSchema,
): Promise<GeneratorCallback | undefined> {
  const options = normalizeOptions(schema);
  if (options.dryRun) return withoutOptionalGitLocks(() => void printPlan(tree, options));
  const prep = prepare(tree, options);
  if (!prep) return undefined;
  const { discovered, pre } = prep;
  const root = discovered.root;

  const backup = createBackup(discovered, { backupDir: options.backupDir });
  logger.info(`Backup: ${backup.path}\nRoll back with: ${rollbackCommand(backup.path)}`);
  const wip = commitWipChanges(pre.wip);
  for (const commit of wip) logger.info(`WIP commit ${commit.commit.slice(0, 12)} on ${commit.branch ?? commit.label}`);
  const history = importHistory(discovered, { servicesDir: options.servicesDir });
  const sources = new Map(history.services.map((service) => [service.name, service.source]));
  const services = prep.services(sources, (service) =>
    trackedFiles(root, (sources.get(service.name) ?? service.head) as string),
  );
  // The services' renames as one pure rename commit right after the move commits, on disk: the tree then
  // sees every file where it belongs, and only content changes are left for the rewrite commit.
  const renamed = commitRenames(
    root,
    layoutMoves(planLayouts(options, services, [])),
    [
      `chore(consolidate): rename to ${options.naming}-case, move tests to src/__tests__, config and docs out`,
      '',
      'Pure renames (no content change), so git log --follow links every file to its history.',
      '',
    ].join('\n'),
  );
  if (renamed) logger.info(`Renames committed: ${renamed.commit.slice(0, 12)}`);

  let result: TreeConsolidationResult;
  try {
    result = consolidateTree(tree, {
      options,
      services,
      mainBranch: prep.mainBranch,
      mainBefore: history.mainBefore,
      mainAfter: history.mainAfter,
      backupPath: backup.path,
      wipCommits: wip.map((commit) => ({
        label: commit.label,
        branch: commit.branch,
        commit: commit.commit,
        files: commit.files.map((file) => file.path),
      })),
      dryRun: false,
      date: prep.date,
      resolveFrom: [root, __dirname],
    });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${message}\n\nThe history import already ran (main ${history.mainBefore.slice(0, 12)} → ${history.mainAfter.slice(0, 12)}); ` +
        `its renames are committed; nothing else was written. Fix the problem and run consolidate again (it resumes), ` +
        `or roll back with:\n  ${rollbackCommand(backup.path)}`,
    );
  }
  await formatFiles(tree);
  // formatFiles reformats every changed file; legacy code keeps its author's layout (only specifiers changed).
  for (const [path, content] of result.authored) tree.write(path, content);
  logReportSummary(result);
  const changedPaths = tree.listChanges().map((change) => change.path);

  return async () => {
    await finishConsolidation(root, {
      libraries: result.libraries.map((library) => library.root),
      changedPaths,
      backupPath: backup.path,
      services: result.report.services.length,
      skipTypecheck: options.skipTypecheck,
      removeWorktrees: options.removeWorktrees,
      worktreesDir: options.worktreesDir,
    });
  };
}

export default consolidateGenerator;
