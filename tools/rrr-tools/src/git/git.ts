import { spawnSync } from 'node:child_process';
import { GitCommandError } from './git-command-error';

export interface GitOptions {
  /** Variables added to the inherited environment (e.g. GIT_INDEX_FILE, author identity). */
  env?: Record<string, string | undefined>;
  /** Bytes or text written to git's standard input. */
  input?: string | Buffer;
  /** Exit codes that are answers rather than failures (e.g. 1 for `merge-base --is-ancestor`). */
  okExitCodes?: readonly number[];
  /** Keep trailing newlines; by default one trailing newline is removed. */
  raw?: boolean;
}

export interface GitResult {
  stdout: string;
  exitCode: number;
}

// Large repositories produce large listings (ls-files, status -z); the default 1 MiB would truncate them.
const MAX_BUFFER = 1024 * 1024 * 1024;

/** Runs `git <args>` in `cwd` with an argument array (no shell) and returns stdout; throws GitCommandError otherwise. */
export function git(cwd: string, args: readonly string[], options: GitOptions = {}): string {
  return gitResult(cwd, args, options).stdout;
}

/** Like `git`, but also returns the exit code, for commands whose non-zero codes listed in okExitCodes mean "no". */
export function gitResult(cwd: string, args: readonly string[], options: GitOptions = {}): GitResult {
  const result = spawnSync('git', [...args], {
    cwd,
    env: options.env ? { ...process.env, ...options.env } : process.env,
    input: options.input,
    maxBuffer: MAX_BUFFER,
    windowsHide: true,
  });
  if (result.error) {
    throw new GitCommandError(args, cwd, null, result.error.message);
  }
  const exitCode = result.status ?? -1;
  const ok = exitCode === 0 || (options.okExitCodes ?? []).includes(exitCode);
  if (!ok) {
    throw new GitCommandError(args, cwd, result.status, result.stderr.toString('utf8'), result.signal);
  }
  const stdout = result.stdout.toString('utf8');
  return { stdout: options.raw ? stdout : stdout.replace(/\n$/, ''), exitCode };
}

/** Splits NUL-terminated output (`-z`) into its records. */
export function splitNul(output: string): string[] {
  const records = output.split('\0');
  if (records.length > 0 && records[records.length - 1] === '') records.pop();
  return records;
}

/** Splits newline-separated output into non-empty lines. */
export function splitLines(output: string): string[] {
  return output.split('\n').filter((line) => line.length > 0);
}

const OBJECT_ID = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/**
 * Answers about objects named by their full id never change (a commit's ancestry, a tree's entries), so each is
 * asked of git once per process: a consolidation asks the same questions in pre-flight, the import and the tree
 * phase, and every git process costs a fork of a large Node process.
 */
const immutableAnswers = new Map<string, unknown>();

function rememberForObjects<T>(cwd: string, ids: readonly string[], question: string, ask: () => T): T {
  if (!ids.every((id) => OBJECT_ID.test(id))) return ask();
  const key = [cwd, question, ...ids].join('\0');
  if (immutableAnswers.has(key)) return immutableAnswers.get(key) as T;
  const answer = ask();
  immutableAnswers.set(key, answer);
  return answer;
}

/** True when `ancestor` is reachable from `descendant` (both resolvable revisions). */
export function isAncestor(cwd: string, ancestor: string, descendant: string): boolean {
  return rememberForObjects(
    cwd,
    [ancestor, descendant],
    'is-ancestor',
    () => gitResult(cwd, ['merge-base', '--is-ancestor', ancestor, descendant], { okExitCodes: [1] }).exitCode === 0,
  );
}

/**
 * Every entry of a commit's or tree's whole tree (`git ls-tree -r -z --full-tree`): `<mode> <type> <id>\t<path>`
 * records, in git's order. The returned array is shared: do not modify it.
 */
export function listTree(cwd: string, treeish: string): readonly string[] {
  return rememberForObjects(cwd, [treeish], 'ls-tree', () =>
    splitNul(git(cwd, ['ls-tree', '-r', '-z', '--full-tree', treeish], { raw: true })),
  );
}

/** Resolves a revision to a full object id, or null when it does not exist. */
export function revParse(cwd: string, revision: string): string | null {
  const result = gitResult(cwd, ['rev-parse', '--verify', '--quiet', `${revision}^{object}`], { okExitCodes: [1] });
  return result.exitCode === 0 ? result.stdout.trim() : null;
}

/**
 * Identity arguments for commits this tool makes: the repository's own identity when one is configured,
 * otherwise a named tool identity, so a WIP or move commit never fails on a machine without user.email.
 */
export function commitIdentityArgs(cwd: string): string[] {
  const configured = gitResult(cwd, ['config', '--get', 'user.email'], { okExitCodes: [1] }).stdout.trim();
  if (configured || process.env['GIT_AUTHOR_EMAIL'] || process.env['EMAIL']) return [];
  return ['-c', 'user.name=rrr-tools', '-c', 'user.email=rrr-tools@localhost'];
}
