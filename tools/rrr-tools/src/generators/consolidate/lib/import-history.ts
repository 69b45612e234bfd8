import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitIdentityArgs, git, isAncestor, listTree, revParse } from '../../../git';
import type { DiscoveredWorktrees, ServiceWorktree } from './discover-worktrees';

export interface ImportHistoryOptions {
  /** Folder that receives one library per service, relative to the root. Default `libs/services`. */
  servicesDir?: string;
  /** Compute the plan (sources, targets, file counts) without writing any object, ref or file. */
  dryRun?: boolean;
}

export type ImportSkipReason = 'already-imported' | 'no-commits';

export interface ImportedService {
  /** Kebab-case service name (`neural-network`). */
  name: string;
  /** Worktree path relative to the root (`worktrees/neural_network`). */
  worktree: string;
  branch: string | null;
  /** Commit whose tree and history were imported (the worktree's HEAD at import time). */
  source: string | null;
  /** Library folder relative to the root (`libs/services/neural-network`). */
  target: string;
  /** Files moved (tracked files of the source commit). */
  files: number;
  /** The pure move commit (parent: source); null in a dry run or when skipped. */
  moveCommit: string | null;
  /** The merge commit on main (parents: previous main, move commit); null in a dry run or when skipped. */
  mergeCommit: string | null;
  skipped?: ImportSkipReason;
}

export interface ImportHistoryResult {
  /** Main's HEAD before the step. */
  mainBefore: string;
  /** Main's HEAD after the step (equal to mainBefore in a dry run or when nothing was imported). */
  mainAfter: string;
  services: ImportedService[];
}

/** Every branch head now (one git call for all services): WIP commits may have moved them since discovery. */
function branchHeads(root: string): Map<string, string> {
  const heads = new Map<string, string>();
  for (const line of git(root, ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/']).split('\n')) {
    const space = line.indexOf(' ');
    if (space > 0) heads.set(line.slice(space + 1), line.slice(0, space));
  }
  return heads;
}

/** The worktree's current HEAD: re-read, since a WIP commit may have moved it since discovery. */
function currentHead(service: ServiceWorktree, heads: ReadonlyMap<string, string>): string | null {
  if (service.branch) return heads.get(`refs/heads/${service.branch}`) ?? null;
  if (!service.prunable) {
    const head = revParse(service.path, 'HEAD');
    if (head) return head;
  }
  return service.head && !/^0+$/.test(service.head) ? service.head : null;
}

function moveMessage(service: ServiceWorktree, source: string, target: string): string {
  return [
    `chore(consolidate): move ${service.relativePath} to ${target}`,
    '',
    `Pure move of every file of ${service.branch ?? 'the detached worktree HEAD'} at ${source.slice(0, 12)} into ${target}/,`,
    'with no content change, so rename detection links each new path to its worktree history',
    `(git log --follow ${target}/<file>). Renames and import rewrites come in later commits.`,
    '',
  ].join('\n');
}

function mergeMessage(service: ServiceWorktree, target: string): string {
  return [
    `chore(consolidate): merge ${service.branch ?? service.relativePath} history into ${target}`,
    '',
    `Brings the commits of ${service.relativePath} into main, its files under ${target}/.`,
    '',
  ].join('\n');
}

/**
 * Moves each service worktree's files to `<servicesDir>/<name>/` with its history merged into main.
 *
 * Like `nx import`, the result has the worktree's commits in main's history with paths under the target
 * folder. `nx import` gets there by rewriting every historical commit (filter-branch / filter-repo); we keep
 * the original commits (so the worktree branch, the backup and the worktree itself stay valid) and add, per
 * service, one pure move commit on top of the branch tip and a merge of it into main built with plumbing
 * (read-tree --prefix into a private index, so main's index and the worktree are never touched). Because the
 * move commit changes no content, exact rename detection holds and `git log --follow` reaches the worktree
 * commits. Main is advanced once, fast-forward, at the end; services already merged are skipped.
 */
export function importHistory(
  discovered: DiscoveredWorktrees,
  options: ImportHistoryOptions = {},
): ImportHistoryResult {
  const { root } = discovered;
  const servicesDir = (options.servicesDir ?? 'libs/services').replace(/\\/g, '/').replace(/\/+$/, '');
  const mainBefore = git(root, ['rev-parse', 'HEAD']);
  const identity = commitIdentityArgs(root);
  const scratch = options.dryRun ? null : mkdtempSync(join(tmpdir(), 'rrr-import-'));
  const services: ImportedService[] = [];
  let mainTip = mainBefore;
  let mergeIndexTip: string | undefined;
  const heads = branchHeads(root);
  const mainPaths = listTree(root, mainBefore).map((record) => record.slice(record.indexOf('\t') + 1));
  const importedTargets = new Set<string>();
  const mergeIndex = scratch ? { GIT_INDEX_FILE: join(scratch, 'merge.index') } : {};
  try {
    for (const service of discovered.services) {
      const target = `${servicesDir}/${service.name}`;
      const source = currentHead(service, heads);
      const base = { name: service.name, worktree: service.relativePath, branch: service.branch, source, target };
      if (!source) {
        services.push({ ...base, files: 0, moveCommit: null, mergeCommit: null, skipped: 'no-commits' });
        continue;
      }
      if (isAncestor(root, source, mainTip)) {
        services.push({ ...base, files: 0, moveCommit: null, mergeCommit: null, skipped: 'already-imported' });
        continue;
      }
      // Main's tip differs from mainBefore only by the services imported above, each under its own target.
      if (importedTargets.has(target) || mainPaths.some((path) => path === target || path.startsWith(`${target}/`))) {
        throw new Error(
          `${target} already exists in main (${mainTip.slice(0, 12)}); cannot import ${service.relativePath} there`,
        );
      }
      const files = listTree(root, source).length;
      if (!scratch) {
        services.push({ ...base, files, moveCommit: null, mergeCommit: null });
        continue;
      }
      const moveIndex = { GIT_INDEX_FILE: join(scratch, `${service.name}.move.index`) };
      git(root, ['read-tree', `--prefix=${target}/`, `${source}^{tree}`], { env: moveIndex });
      const moveTree = git(root, ['write-tree'], { env: moveIndex });
      const moveCommit = git(root, [...identity, 'commit-tree', moveTree, '-p', source, '-F', '-'], {
        input: moveMessage(service, source, target),
      });

      // One merge index for the whole run: it holds main's tip so far, so each service only adds its prefix.
      if (mergeIndexTip !== mainTip) git(root, ['read-tree', mainTip], { env: mergeIndex });
      git(root, ['read-tree', `--prefix=${target}/`, `${source}^{tree}`], { env: mergeIndex });
      const mergeTree = git(root, ['write-tree'], { env: mergeIndex });
      const mergeCommit = git(
        root,
        [...identity, 'commit-tree', mergeTree, '-p', mainTip, '-p', moveCommit, '-F', '-'],
        {
          input: mergeMessage(service, target),
        },
      );
      mainTip = mergeCommit;
      mergeIndexTip = mergeCommit;
      importedTargets.add(target);
      services.push({ ...base, files, moveCommit, mergeCommit });
    }
    if (mainTip !== mainBefore) {
      // Fast-forward checks the new files out and refuses to overwrite anything untracked in the way.
      git(root, ['merge', '--ff-only', '-q', mainTip]);
    }
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
  return { mainBefore, mainAfter: options.dryRun ? mainBefore : mainTip, services };
}
