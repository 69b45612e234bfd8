import { existsSync, readdirSync, statSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { commitIdentityArgs, git, isAncestor, splitNul } from '../../../git';
import type { DiscoveredWorktrees, GitWorktree, ServiceWorktree } from './discover-worktrees';

/** What to do with uncommitted changes and untracked files: refuse (default) or commit them as a WIP commit. */
export type AllowDirty = 'refuse' | 'commit';

export interface PreflightOptions {
  /** Default `refuse`: list the files and stop. `commit`: plan a WIP commit per dirty working tree. */
  allowDirty?: AllowDirty | false;
  /** Where service libraries land, relative to the root. Default `libs/services`. */
  servicesDir?: string;
  /** More folders (relative to the root) that must be absent or empty, e.g. `config/services/<name>`. */
  targetDirs?: string[];
  /** Backup folder relative to the root (default `backups`): our own output, never the user's uncommitted work. */
  backupDir?: string;
}

export type ChangeKind =
  | 'modified'
  | 'added'
  | 'deleted'
  | 'renamed'
  | 'copied'
  | 'type-changed'
  | 'unmerged'
  | 'untracked';

/** One line of `git status --porcelain=v1`. */
export interface UncommittedFile {
  /** Path relative to the working tree, `/`-separated. */
  path: string;
  /** Source path of a rename or copy. */
  from?: string;
  /** The two-letter XY code (`M `, ` M`, `??`, `R `…). */
  status: string;
  kind: ChangeKind;
}

export interface WorktreeChanges {
  /** `main` or the worktree's path relative to the root. */
  label: string;
  path: string;
  branch: string | null;
  files: UncommittedFile[];
}

export interface PlannedWipCommit {
  label: string;
  path: string;
  branch: string | null;
  files: UncommittedFile[];
  message: string;
}

export interface WipCommit extends PlannedWipCommit {
  previousHead: string;
  commit: string;
}

export interface PlannedService {
  service: ServiceWorktree;
  /** Target folder relative to the root (`libs/services/neural-network`). */
  target: string;
  /** The worktree's HEAD is already part of main: a previous run imported it. */
  alreadyImported: boolean;
}

export interface PreflightResult {
  root: string;
  /** Every working tree with uncommitted changes or untracked files (only reached when allowed). */
  dirty: WorktreeChanges[];
  /** WIP commits to make with `commitWipChanges` (after the backup); empty unless allowDirty is `commit`. */
  wip: PlannedWipCommit[];
  services: PlannedService[];
  /** Conditions that do not stop the run but belong in the report. */
  warnings: string[];
}

export type PreflightProblemKind = 'dirty' | 'unmerged' | 'target-not-empty' | 'name-collision';

export interface PreflightProblem {
  kind: PreflightProblemKind;
  /** The working tree, folder or name the problem is about. */
  subject: string;
  message: string;
  files?: string[];
}

/** Refusal with every problem found, so one run tells the user all there is to fix. */
export class PreflightError extends Error {
  readonly code = 'PREFLIGHT_REFUSED';

  constructor(readonly problems: PreflightProblem[]) {
    super(
      ['Pre-flight refused the consolidation:', ...problems.map(describeProblem)].join('\n') +
        (problems.some((p) => p.kind === 'dirty')
          ? '\nCommit or remove these files, or pass --allowDirty=commit to save them as a WIP commit on their branch.'
          : ''),
    );
    this.name = 'PreflightError';
  }
}

function describeProblem(problem: PreflightProblem): string {
  const files = (problem.files ?? []).map((file) => `\n    ${file}`).join('');
  return `  - ${problem.subject}: ${problem.message}${files}`;
}

const KIND_BY_CODE: Record<string, ChangeKind> = {
  M: 'modified',
  A: 'added',
  D: 'deleted',
  R: 'renamed',
  C: 'copied',
  T: 'type-changed',
  U: 'unmerged',
};

/** Parses `git status --porcelain=v1 -z` output. */
export function parseStatusZ(output: string): UncommittedFile[] {
  const records = splitNul(output);
  const files: UncommittedFile[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i];
    const status = record.slice(0, 2);
    const path = record.slice(3);
    if (status === '??') {
      files.push({ path, status, kind: 'untracked' });
      continue;
    }
    const unmerged = status.includes('U') || status === 'AA' || status === 'DD';
    const code = status[0] !== ' ' ? status[0] : status[1];
    const kind: ChangeKind = unmerged ? 'unmerged' : (KIND_BY_CODE[code] ?? 'modified');
    if (status[0] === 'R' || status[0] === 'C') {
      files.push({ path, from: records[++i], status, kind });
    } else {
      files.push({ path, status, kind });
    }
  }
  return files;
}

/** Uncommitted changes and untracked (not ignored) files of one working tree, minus paths under `excluded`. */
export function listUncommitted(path: string, excluded: readonly string[] = []): UncommittedFile[] {
  const output = git(path, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--no-renames'], { raw: true });
  return parseStatusZ(output).filter((file) => !excluded.some((prefix) => isUnder(file.path, prefix)));
}

function isUnder(path: string, prefix: string): boolean {
  const clean = path.replace(/\/$/, '');
  return clean === prefix || clean.startsWith(`${prefix}/`);
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

/**
 * Nx's own output (project graph data and cache): `nx g @rrr/tools:consolidate` writes it into the legacy
 * repository before the generator runs, so it is neither the user's work nor part of the backup.
 */
const NX_OUTPUT_DIRS = ['.nx/workspace-data', '.nx/cache'];

/** Paths (relative to the main root) that hold other working trees, our own backups or Nx's output. */
export function mainExclusions(discovered: DiscoveredWorktrees, backupDir: string): string[] {
  const nested = [...discovered.services, ...discovered.others]
    .map((worktree) => toPosix(relative(discovered.root, worktree.path)))
    .filter((rel) => rel !== '' && !rel.startsWith('..'))
    .concat(NX_OUTPUT_DIRS.filter((dir) => existsSync(join(discovered.root, dir))));
  const backupRel = toPosix(isAbsolute(backupDir) ? relative(discovered.root, backupDir) : backupDir).replace(
    /\/+$/,
    '',
  );
  const backupInside = backupRel !== '' && !backupRel.startsWith('..') && !isAbsolute(backupRel);
  return backupInside ? [...nested, backupRel] : nested;
}

function describeFile(file: UncommittedFile): string {
  return file.from ? `${file.status} ${file.from} -> ${file.path}` : `${file.status} ${file.path}`;
}

function wipMessage(label: string, branch: string | null, files: UncommittedFile[]): string {
  return [
    `WIP: uncommitted work in ${label} saved before consolidation`,
    '',
    `@rrr/tools consolidate committed these uncommitted changes and untracked files`,
    `${branch ? `on ${branch}` : 'on the detached HEAD'} so that they move with the history:`,
    ...files.map((file) => `  ${describeFile(file)}`),
    '',
  ].join('\n');
}

function isNonEmptyDir(path: string): boolean {
  return existsSync(path) && (!statSync(path).isDirectory() || readdirSync(path).length > 0);
}

/**
 * Checks that consolidation can start without losing anything: lists uncommitted changes and untracked files
 * per working tree (refusing unless allowDirty is `commit`), refuses non-empty target folders and colliding
 * names. Changes nothing: WIP commits are only planned here and made by `commitWipChanges` after the backup,
 * so the backup holds the work exactly as it was, uncommitted.
 */
export function preflight(discovered: DiscoveredWorktrees, options: PreflightOptions = {}): PreflightResult {
  const allowDirty: AllowDirty = options.allowDirty === 'commit' ? 'commit' : 'refuse';
  const servicesDir = (options.servicesDir ?? 'libs/services').replace(/\\/g, '/').replace(/\/+$/, '');
  const backupDir = options.backupDir ?? 'backups';
  const { root } = discovered;
  const problems: PreflightProblem[] = [];
  const warnings: string[] = [];
  const dirty: WorktreeChanges[] = [];

  const trees: { label: string; worktree: GitWorktree; excluded: string[] }[] = [
    { label: 'main', worktree: discovered.main, excluded: mainExclusions(discovered, backupDir) },
    ...discovered.services.map((service) => ({ label: service.relativePath, worktree: service, excluded: [] })),
  ];
  for (const { label, worktree, excluded } of trees) {
    if (worktree.prunable || !existsSync(worktree.path)) {
      warnings.push(
        `${label}: working tree is missing (${worktree.prunableReason ?? 'not on disk'}); only its commits are used`,
      );
      continue;
    }
    const files = listUncommitted(worktree.path, excluded);
    if (files.length === 0) continue;
    dirty.push({ label, path: worktree.path, branch: worktree.branch, files });
    const unmerged = files.filter((file) => file.kind === 'unmerged');
    if (unmerged.length > 0) {
      problems.push({
        kind: 'unmerged',
        subject: label,
        message: 'has unresolved merge conflicts; resolve them first',
        files: unmerged.map(describeFile),
      });
    } else if (allowDirty === 'refuse') {
      problems.push({
        kind: 'dirty',
        subject: label,
        message: `has ${files.length} uncommitted change(s) or untracked file(s)`,
        files: files.map(describeFile),
      });
    }
  }

  const mainHead = discovered.main.head;
  const byName = new Map<string, ServiceWorktree[]>();
  const services: PlannedService[] = [];
  for (const service of discovered.services) {
    byName.set(service.name, [...(byName.get(service.name) ?? []), service]);
    const target = `${servicesDir}/${service.name}`;
    const unborn = !service.head || /^0+$/.test(service.head);
    if (unborn) warnings.push(`${service.relativePath}: branch has no commits; nothing to import`);
    const alreadyImported = !unborn && !!mainHead && isAncestor(root, service.head as string, mainHead);
    services.push({ service, target, alreadyImported });
    if (!alreadyImported && !unborn && isNonEmptyDir(join(root, target))) {
      problems.push({
        kind: 'target-not-empty',
        subject: target,
        message: `target of ${service.relativePath} exists and is not empty`,
      });
    }
  }
  if (services.some((s) => !s.alreadyImported)) {
    for (const dir of options.targetDirs ?? []) {
      if (isNonEmptyDir(join(root, dir))) {
        problems.push({ kind: 'target-not-empty', subject: dir, message: 'exists and is not empty' });
      }
    }
  }
  for (const [name, owners] of byName) {
    if (owners.length > 1) {
      problems.push({
        kind: 'name-collision',
        subject: name,
        message: `${owners.map((o) => o.relativePath).join(' and ')} would both become ${servicesDir}/${name}`,
      });
    }
  }
  if (problems.length > 0) throw new PreflightError(problems);

  const wip =
    allowDirty === 'commit'
      ? dirty.map((tree) => ({ ...tree, message: wipMessage(tree.label, tree.branch, tree.files) }))
      : [];
  return { root, dirty, wip, services, warnings };
}

/**
 * Commits each planned WIP change set on its working tree's branch: exactly the listed paths, hooks skipped
 * (a WIP commit exists to preserve work, not to pass lint). Fails if anything listed is still uncommitted after.
 */
export function commitWipChanges(planned: readonly PlannedWipCommit[]): WipCommit[] {
  return planned.map((plan) => {
    const previousHead = git(plan.path, ['rev-parse', 'HEAD']);
    const paths = plan.files.flatMap((file) => (file.from ? [file.from, file.path] : [file.path]));
    // A deletion already staged (`D `) is in neither the index nor the tree: no pathspec would match it.
    const toAdd = plan.files
      .filter((file) => file.status !== 'D ')
      .flatMap((f) => (f.from ? [f.from, f.path] : [f.path]));
    if (toAdd.length > 0) {
      git(plan.path, ['--literal-pathspecs', 'add', '-A', '--pathspec-from-file=-', '--pathspec-file-nul'], {
        input: toAdd.map((p) => `${p}\0`).join(''),
      });
    }
    git(plan.path, [...commitIdentityArgs(plan.path), 'commit', '-q', '--no-verify', '-F', '-'], {
      input: plan.message,
    });
    const commit = git(plan.path, ['rev-parse', 'HEAD']);
    const left = listUncommitted(plan.path).filter((file) => paths.includes(file.path));
    if (left.length > 0) {
      throw new Error(
        `WIP commit ${commit} in ${plan.label} left files uncommitted: ${left.map(describeFile).join(', ')}`,
      );
    }
    return { ...plan, previousHead, commit };
  });
}
