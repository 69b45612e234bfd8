import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { commitIdentityArgs, git, GitCommandError, listTree } from '../../../git';

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
  for (const record of listTree(root, before)) {
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
    stage(root, env, paths);
    return commitIndex(root, env, before, message);
  });
  return advance(root, before, commit, branch);
}

// --remove stages deletions, --add new files; paths that are gone and were never tracked are skipped.
const STAGE_ARGS = ['update-index', '-z', '--add', '--remove', '--stdin'];

function nulList(paths: Iterable<string>): string {
  return [...new Set(paths)].map((path) => `${path}\0`).join('');
}

function stage(root: string, env: { GIT_INDEX_FILE: string }, paths: Iterable<string>): void {
  git(root, STAGE_ARGS, { env, input: nulList(paths) });
}

function commitIndex(root: string, env: { GIT_INDEX_FILE: string }, before: string, message: string): string {
  const tree = git(root, ['write-tree'], { env });
  return git(root, [...commitIdentityArgs(root), 'commit-tree', tree, '-p', before, '-F', '-'], { input: message });
}

function advance(root: string, before: string, commit: string, branch: string | null): ConsolidationCommit {
  git(root, ['update-ref', '-m', 'consolidate', branch ? `refs/heads/${branch}` : 'HEAD', commit, before]);
  git(root, ['reset', '-q']);
  return { before, commit, branch };
}

/**
 * {@link commitChanges}, with `work` run meanwhile: `paths` are staged (every changed file hashed and written —
 * most of a commit's cost) by a git process on another core while `work` runs here; those of them in `latePaths`,
 * which `work` may still write, are staged once it is done. The commit holds exactly what commitChanges(paths + latePaths) would.
 * `work` throwing abandons the commit.
 */
export async function commitChangesAlongside<T>(
  root: string,
  changes: { paths: readonly string[]; latePaths: readonly string[] },
  message: string,
  work: () => T,
): Promise<{ commit: ConsolidationCommit; result: T }> {
  const before = git(root, ['rev-parse', 'HEAD']);
  const branch = currentBranch(root);
  const scratch = mkdtempSync(join(tmpdir(), 'rrr-commit-'));
  try {
    const env = { GIT_INDEX_FILE: join(scratch, 'index') };
    git(root, ['read-tree', before], { env });
    const late = new Set(changes.latePaths.filter((path) => changes.paths.includes(path)));
    // The list and git's stderr go through files: this thread is busy with `work` and could not feed a pipe.
    writeFileSync(join(scratch, 'paths'), nulList(changes.paths.filter((path) => !late.has(path))));
    const input = openSync(join(scratch, 'paths'), 'r');
    const errors = openSync(join(scratch, 'stderr'), 'w');
    let staged: Promise<number | null>;
    try {
      const child = spawn('git', STAGE_ARGS, {
        cwd: root,
        env: { ...process.env, ...env },
        stdio: [input, 'ignore', errors],
        windowsHide: true,
      });
      staged = new Promise((resolve, reject) => {
        child.once('error', reject);
        child.once('close', resolve);
      });
    } finally {
      closeSync(input);
      closeSync(errors);
    }
    let outcome: { ok: true; result: T } | { ok: false; error: unknown };
    try {
      outcome = { ok: true, result: work() };
    } catch (error) {
      outcome = { ok: false, error };
    }
    // Whatever work did, the git process is waited for before its scratch index is deleted.
    const exitCode = await staged;
    if (!outcome.ok) throw outcome.error;
    if (exitCode !== 0) {
      throw new GitCommandError(STAGE_ARGS, root, exitCode, readFileSync(join(scratch, 'stderr'), 'utf8'));
    }
    const result = outcome.result;
    stage(root, env, late);
    const commit = commitIndex(root, env, before, message);
    return { commit: advance(root, before, commit, branch), result };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
