import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { git } from '../git';

const HERMETIC_KEYS = [
  'HOME',
  'XDG_CONFIG_HOME',
  'GIT_CONFIG_NOSYSTEM',
  'GIT_CONFIG_GLOBAL',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_TERMINAL_PROMPT',
  'EMAIL',
] as const;

export interface HermeticGit {
  /** Temp directory that holds HOME and every repository a spec creates. */
  readonly dir: string;
  /** Restores the environment and deletes the temp directory. */
  dispose(): void;
}

/**
 * Points git at an empty HOME and fixed identity so specs never read the machine's git config,
 * and gives the spec a temp directory to build repositories in.
 */
export function useHermeticGit(prefix = 'rrr-git-'): HermeticGit {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const home = join(dir, 'home');
  mkdirSync(home);
  const saved = new Map<string, string | undefined>(HERMETIC_KEYS.map((key) => [key, process.env[key]]));
  Object.assign(process.env, {
    HOME: home,
    XDG_CONFIG_HOME: join(home, '.config'),
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: join(home, '.gitconfig'),
    GIT_AUTHOR_NAME: 'Spec Author',
    GIT_AUTHOR_EMAIL: 'spec@example.test',
    GIT_COMMITTER_NAME: 'Spec Author',
    GIT_COMMITTER_EMAIL: 'spec@example.test',
    GIT_TERMINAL_PROMPT: '0',
  });
  delete process.env['EMAIL'];
  return {
    dir,
    dispose() {
      for (const [key, value] of saved) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes files (path relative to `root` → content), creating folders as needed. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

/** Stages everything in `cwd` and commits it with `message`; returns the new commit id. */
export function commitAll(cwd: string, message: string): string {
  git(cwd, ['add', '-A']);
  git(cwd, ['commit', '-q', '--no-verify', '-m', message]);
  return git(cwd, ['rev-parse', 'HEAD']);
}

/** A repository on `main` with one commit of `files` and `worktrees/` ignored. */
export function initRepo(root: string, files: Record<string, string>): string {
  mkdirSync(root, { recursive: true });
  git(root, ['init', '-q', '-b', 'main']);
  writeFiles(root, { '.gitignore': 'node_modules\nworktrees/\nbackups/\n', ...files });
  return commitAll(root, 'main: initial');
}

/**
 * Adds `worktrees/<folder>` on a new orphan branch whose history is one commit per entry of `commits`
 * (each a set of files to write, and an optional set of paths to delete).
 */
export function addServiceWorktree(
  root: string,
  folder: string,
  branch: string,
  commits: { message: string; files: Record<string, string>; remove?: string[] }[],
): string {
  const path = join(root, 'worktrees', folder);
  git(root, ['worktree', 'add', '-q', '--no-checkout', '--detach', path]);
  git(path, ['checkout', '-q', '--orphan', branch]);
  // An orphan branch starts with main's files still on disk: drop them so the branch holds only the service.
  git(path, ['read-tree', '--empty']);
  git(path, ['clean', '-q', '-f', '-d', '-x']);
  for (const commit of commits) {
    writeFiles(path, commit.files);
    for (const removed of commit.remove ?? []) rmSync(join(path, removed), { force: true });
    commitAll(path, commit.message);
  }
  return path;
}
