import { existsSync, realpathSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import { git, splitNul } from '../../../git';

/** One entry of `git worktree list --porcelain`. */
export interface GitWorktree {
  /** Absolute path of the working tree. */
  path: string;
  /** Commit checked out; null for a bare repository entry. */
  head: string | null;
  /** Short branch name (`service/neural_network`), null when detached or bare. */
  branch: string | null;
  bare: boolean;
  detached: boolean;
  locked: boolean;
  lockReason?: string;
  /** The working tree is gone and `git worktree prune` would drop the entry. */
  prunable: boolean;
  prunableReason?: string;
}

/** A worktree under `worktreesDir`, i.e. one legacy service. */
export interface ServiceWorktree extends GitWorktree {
  /** Folder name as found on disk (`neural_network`). */
  folder: string;
  /** Path relative to the repository root, with `/` separators (`worktrees/neural_network`). */
  relativePath: string;
  /** Kebab-case service name derived from the folder (`neural-network`). */
  name: string;
}

export interface DiscoveredWorktrees {
  /** Absolute, symlink-resolved root of the main working tree. */
  root: string;
  /** The main working tree (first entry of the list). */
  main: GitWorktree;
  /** Worktrees under `worktreesDir`, sorted by folder. */
  services: ServiceWorktree[];
  /** Worktrees registered elsewhere: left alone, listed so callers can report them. */
  others: GitWorktree[];
  /** `worktreesDir` relative to the root, `/`-separated. */
  worktreesDir: string;
}

export interface DiscoverWorktreesOptions {
  /** Folder (relative to the root) holding the service worktrees. Default `worktrees`. */
  worktreesDir?: string;
}

/** Parses `git worktree list --porcelain -z` (records separated by an empty field). */
export function parseWorktreeList(porcelainZ: string): GitWorktree[] {
  const worktrees: GitWorktree[] = [];
  let current: GitWorktree | null = null;
  for (const field of splitNul(porcelainZ)) {
    if (field === '') {
      current = null;
      continue;
    }
    const space = field.indexOf(' ');
    const key = space === -1 ? field : field.slice(0, space);
    const value = space === -1 ? undefined : field.slice(space + 1);
    if (key === 'worktree') {
      current = {
        path: value ?? '',
        head: null,
        branch: null,
        bare: false,
        detached: false,
        locked: false,
        prunable: false,
      };
      worktrees.push(current);
      continue;
    }
    if (!current) continue;
    switch (key) {
      case 'HEAD':
        current.head = value ?? null;
        break;
      case 'branch':
        current.branch = value ? value.replace(/^refs\/heads\//, '') : null;
        break;
      case 'bare':
        current.bare = true;
        break;
      case 'detached':
        current.detached = true;
        break;
      case 'locked':
        current.locked = true;
        if (value) current.lockReason = value;
        break;
      case 'prunable':
        current.prunable = true;
        if (value) current.prunableReason = value;
        break;
    }
  }
  return worktrees;
}

/**
 * Kebab-case name for a legacy folder: snake_case, camelCase, PascalCase and spaces all become
 * lower-case words joined by `-` (`neural_network` → `neural-network`, `dataPipeline` → `data-pipeline`).
 */
export function serviceNameFromFolder(folder: string): string {
  return folder
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1-$2')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .toLowerCase();
}

/** Lists the repository's worktrees and keeps those under `worktreesDir` as services. */
export function discoverWorktrees(root: string, options: DiscoverWorktreesOptions = {}): DiscoveredWorktrees {
  const worktreesDir = (options.worktreesDir ?? 'worktrees').replace(/\\/g, '/').replace(/\/+$/, '');
  // The first entry is the main working tree, also when `root` is inside one of the linked worktrees.
  const all = parseWorktreeList(git(root, ['worktree', 'list', '--porcelain', '-z'], { raw: true }));
  const [main, ...rest] = all;
  if (!main) throw new Error(`git worktree list returned nothing in ${root}`);
  if (main.bare) throw new Error(`${main.path} is a bare repository: consolidation needs a main working tree`);
  const top = realpathSync(main.path);
  const container = resolve(top, worktreesDir);
  const services: ServiceWorktree[] = [];
  const others: GitWorktree[] = [];
  for (const worktree of rest) {
    const path = existsSync(worktree.path) ? realpathSync(worktree.path) : worktree.path;
    const fromContainer = relative(container, path);
    const inside = fromContainer !== '' && !fromContainer.startsWith('..') && !isAbsolute(fromContainer);
    if (!inside || worktree.bare) {
      others.push(worktree);
      continue;
    }
    const folder = basename(path);
    services.push({
      ...worktree,
      path,
      folder,
      relativePath: relative(top, path).split(sep).join('/'),
      name: serviceNameFromFolder(folder),
    });
  }
  services.sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
  return { root: top, main: { ...main, path: top }, services, others, worktreesDir };
}
