import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitIdentityArgs, git, splitNul } from '../../../git';

export interface ConsolidationCommit {
  /** HEAD before. */
  before: string;
  commit: string;
  /** The branch that moved; null on a detached HEAD. */
  branch: string | null;
}

function currentBranch(root: string): string | null {
  return git(root, ['symbolic-ref', '-q', '--short', 'HEAD'], { okExitCodes: [1] }) || null;
}

function withScratchIndex<T>(work: (env: { GIT_INDEX_FILE: string }) => T): T {
  const scratch = mkdtempSync(join(tmpdir(), 'rrr-commit-'));
  try {
    return work({ GIT_INDEX_FILE: join(scratch, 'index') });
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * One commit on top of main's HEAD that only renames: every new path gets the old path's blob, so git's rename
 * detection is exact and `git log --follow` crosses it. Built in a private index; main is then fast-forwarded,
 * which moves the files in the working tree (and refuses to overwrite anything untracked in the way).
 * Renames whose source HEAD does not track (already renamed by an earlier run) are skipped; null when none is left.
 */
export function commitRenames(
  root: string,
  renames: ReadonlyArray<readonly [string, string]>,
  message: string,
): ConsolidationCommit | null {
  const before = git(root, ['rev-parse', 'HEAD']);
  const tracked = new Map<string, { mode: string; id: string }>();
  for (const record of splitNul(git(root, ['ls-tree', '-r', '-z', '--full-tree', before], { raw: true }))) {
    const tab = record.indexOf('\t');
    const [mode, , id] = record.slice(0, tab).split(' ');
    tracked.set(record.slice(tab + 1), { mode, id });
  }
  const lines: string[] = [];
  for (const [from, to] of renames) {
    const entry = tracked.get(from);
    if (!entry) continue;
    lines.push(`0 ${'0'.repeat(entry.id.length)}\t${from}`, `${entry.mode} ${entry.id}\t${to}`);
  }
  if (lines.length === 0) return null;
  const commit = withScratchIndex((env) => {
    git(root, ['read-tree', before], { env });
    git(root, ['update-index', '-z', '--index-info'], { env, input: lines.map((line) => `${line}\0`).join('') });
    const tree = git(root, ['write-tree'], { env });
    return git(root, [...commitIdentityArgs(root), 'commit-tree', tree, '-p', before, '-F', '-'], { input: message });
  });
  git(root, ['merge', '--ff-only', '-q', commit]);
  return { before, commit, branch: currentBranch(root) };
}

/**
 * Commits exactly `paths` as the working tree has them now (new, changed or deleted — the Nx tree's changes
 * once flushed), on top of main's HEAD, built in a private index so hooks, the user's index and unrelated
 * untracked files play no part. Main's index is reset to the result, so `git status` is clean for those paths.
 */
export function commitChanges(root: string, paths: readonly string[], message: string): ConsolidationCommit {
  const before = git(root, ['rev-parse', 'HEAD']);
  const branch = currentBranch(root);
  const commit = withScratchIndex((env) => {
    git(root, ['read-tree', before], { env });
    // --remove stages deletions, --add new files; paths that are gone and were never tracked are skipped.
    git(root, ['update-index', '-z', '--add', '--remove', '--stdin'], {
      env,
      input: [...new Set(paths)].map((path) => `${path}\0`).join(''),
    });
    const tree = git(root, ['write-tree'], { env });
    return git(root, [...commitIdentityArgs(root), 'commit-tree', tree, '-p', before, '-F', '-'], { input: message });
  });
  git(root, ['update-ref', '-m', 'consolidate', branch ? `refs/heads/${branch}` : 'HEAD', commit, before]);
  git(root, ['reset', '-q']);
  return { before, commit, branch };
}
