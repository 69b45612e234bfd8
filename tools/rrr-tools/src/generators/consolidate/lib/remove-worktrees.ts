import { existsSync } from 'node:fs';
import { git, isAncestor, revParse } from '../../../git';
import type { DiscoveredWorktrees } from './discover-worktrees';
import { listUncommitted } from './preflight';

export interface RemoveWorktreesOptions {
  /** The consolidate option: nothing is removed unless this is true. */
  removeWorktrees: boolean;
  /** Report what would be removed without removing anything. */
  dryRun?: boolean;
}

export interface WorktreeRemoval {
  /** Worktree path relative to the root. */
  worktree: string;
  path: string;
  removed: boolean;
  /** Why it was kept (or, in a dry run, that it would be removed). */
  reason?: string;
}

export interface RemoveWorktreesResult {
  worktrees: WorktreeRemoval[];
  /** `git worktree prune` ran. */
  pruned: boolean;
}

/**
 * Removes the service worktrees with `git worktree remove` and then `git worktree prune`, only when told to.
 * A worktree is kept (and reported) when its HEAD is not part of main yet, when it has uncommitted changes or
 * untracked files, or when it is locked; so removal never loses work. Ignored files inside (node_modules,
 * dist) go with the folder, as `git worktree remove` does; the backup holds every one but node_modules.
 */
export function removeWorktrees(
  discovered: DiscoveredWorktrees,
  options: RemoveWorktreesOptions,
): RemoveWorktreesResult {
  const { root } = discovered;
  if (!options.removeWorktrees) {
    return {
      worktrees: discovered.services.map((s) => ({
        worktree: s.relativePath,
        path: s.path,
        removed: false,
        reason: 'removeWorktrees is false',
      })),
      pruned: false,
    };
  }
  const mainHead = git(root, ['rev-parse', 'HEAD']);
  const worktrees = discovered.services.map((service): WorktreeRemoval => {
    const keep = (reason: string): WorktreeRemoval => ({
      worktree: service.relativePath,
      path: service.path,
      removed: false,
      reason,
    });
    if (!existsSync(service.path)) return keep('folder is already gone (pruned below)');
    if (service.locked)
      return keep(`locked${service.lockReason ? ` (${service.lockReason})` : ''}; unlock it to remove`);
    const head = revParse(service.path, 'HEAD');
    if (!head || !isAncestor(root, head, mainHead)) return keep('its HEAD is not merged into main');
    const dirty = listUncommitted(service.path);
    if (dirty.length > 0) {
      return keep(
        `has uncommitted changes or untracked files: ${dirty.map((f) => `${f.status} ${f.path}`).join(', ')}`,
      );
    }
    if (options.dryRun) return { ...keep('would be removed (dry run)') };
    git(root, ['worktree', 'remove', service.path]);
    return { worktree: service.relativePath, path: service.path, removed: true };
  });
  if (!options.dryRun) git(root, ['worktree', 'prune']);
  return { worktrees, pruned: !options.dryRun };
}
