import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export const MANIFEST_FILE = 'manifest.json';
export const BUNDLE_FILE = 'repo.bundle';

/** One file of a backed-up working tree. */
export interface BackedUpFile {
  /** Path relative to its working tree, `/`-separated. */
  path: string;
  type: 'file' | 'symlink';
  /** sha256 of the content (of the link target text for a symlink). */
  sha256: string;
  size: number;
  /** Permission bits in octal, e.g. `0644`. */
  mode: string;
}

/** A folder left out of an archive on purpose (dependencies reinstallable with npm). */
export interface ExcludedFolder {
  path: string;
  files: number;
  bytes: number;
  reason: string;
}

/** A working tree as backed up: its commit, branch, index and every file. */
export interface WorkingTreeBackup {
  /** `main` or the worktree path relative to the root. */
  label: string;
  /** Path relative to the repository root (`''` for main), `/`-separated. */
  relativePath: string;
  branch: string | null;
  head: string | null;
  detached: boolean;
  locked: boolean;
  lockReason?: string;
  /** The working tree was not on disk at backup time (prunable); only its commits are in the bundle. */
  missing: boolean;
  /** Archive of the files below, relative to the backup folder; null when there are none. */
  archive: string | null;
  archiveSha256: string | null;
  /** Copy of git's index file, so staged-but-uncommitted changes come back staged. */
  index: string | null;
  /** Pack of staged blobs that no commit references (the bundle holds only reachable objects). */
  stagedPack: string | null;
  files: BackedUpFile[];
  /** Uncommitted changes and untracked files at backup time (XY code + path), for the report. */
  uncommitted: string[];
  /** Paths (relative to this tree) left out of `files`: nested worktrees, backups, dependencies. */
  excludedPrefixes: string[];
  excluded: ExcludedFolder[];
}

export interface BackupManifest {
  format: 'rrr-tools-backup';
  version: 1;
  createdAt: number;
  createdAtIso: string;
  /** Repository root at backup time. */
  root: string;
  /** Backup folder relative to the root when inside it, so rollback leaves it alone. */
  backupDirRelative: string | null;
  bundle: { file: string; sha256: string; size: number; heads: Record<string, string> };
  /** Every ref (`refs/heads/…`, tags, stash, notes…) → object id. */
  refs: Record<string, string>;
  /** Short branch name → commit. */
  branches: Record<string, string>;
  main: WorkingTreeBackup;
  worktrees: WorkingTreeBackup[];
  /** Folder names left out of every archive (see each tree's `excluded`). */
  excludeFolderNames: string[];
  /** Worktrees outside worktreesDir: recorded, not archived. */
  otherWorktrees: { path: string; branch: string | null; head: string | null }[];
}

export function sha256Of(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** Hashes one file or symlink (never following the link). */
export function describeFile(base: string, path: string): BackedUpFile {
  const absolute = join(base, path);
  const stat = lstatSync(absolute);
  const mode = `0${(stat.mode & 0o7777).toString(8)}`;
  if (stat.isSymbolicLink()) {
    const target = readlinkSync(absolute);
    return { path, type: 'symlink', sha256: sha256Of(target), size: Buffer.byteLength(target), mode };
  }
  return { path, type: 'file', sha256: sha256Of(readFileSync(absolute)), size: stat.size, mode };
}

export interface WalkResult {
  files: string[];
  /** Folders skipped because of their name, with what they held. */
  skipped: ExcludedFolder[];
}

/**
 * Every file and symlink under `base` (relative, `/`-separated, sorted), skipping the top-level `.git`
 * entry, paths under `skipPrefixes`, and any folder whose name is in `skipNames` (recorded with its size).
 */
export function walkWorkingTree(
  base: string,
  options: { skipNames?: readonly string[]; skipPrefixes?: readonly string[] } = {},
): WalkResult {
  const skipNames = new Set(options.skipNames ?? []);
  const skipPrefixes = options.skipPrefixes ?? [];
  const files: string[] = [];
  const skipped: ExcludedFolder[] = [];
  const visit = (relative: string): void => {
    const entries = readdirSync(join(base, relative), { withFileTypes: true });
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (path === '.git') continue;
      if (skipPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) continue;
      if (entry.isDirectory()) {
        if (skipNames.has(entry.name)) {
          const size = measureFolder(join(base, path));
          skipped.push({ path, ...size, reason: `${entry.name} is reinstallable and was not archived` });
        } else {
          visit(path);
        }
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        files.push(path);
      }
    }
  };
  if (existsSync(base)) visit('');
  files.sort(byCodePoint);
  skipped.sort((a, b) => byCodePoint(a.path, b.path));
  return { files, skipped };
}

function measureFolder(path: string): { files: number; bytes: number } {
  let files = 0;
  let bytes = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) {
      const inner = measureFolder(child);
      files += inner.files;
      bytes += inner.bytes;
    } else {
      files += 1;
      bytes += lstatSync(child).size;
    }
  }
  return { files, bytes };
}

export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function readManifest(backupPath: string): BackupManifest {
  const file = join(backupPath, MANIFEST_FILE);
  if (!existsSync(file)) throw new Error(`${backupPath} is not a backup: ${MANIFEST_FILE} is missing`);
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as BackupManifest;
  if (manifest.format !== 'rrr-tools-backup' || manifest.version !== 1) {
    throw new Error(`${file} is not a version 1 @rrr/tools backup manifest`);
  }
  return manifest;
}

export interface FileMismatch {
  path: string;
  problem: string;
}

/** Compares the files on disk with the manifest entries: content, size, type and permission bits. */
export function compareFiles(base: string, expected: readonly BackedUpFile[]): FileMismatch[] {
  const mismatches: FileMismatch[] = [];
  for (const entry of expected) {
    if (!existsSync(join(base, entry.path)) && !isDanglingLink(join(base, entry.path))) {
      mismatches.push({ path: entry.path, problem: 'missing' });
      continue;
    }
    const actual = describeFile(base, entry.path);
    if (actual.type !== entry.type)
      mismatches.push({ path: entry.path, problem: `is a ${actual.type}, expected ${entry.type}` });
    else if (actual.sha256 !== entry.sha256 || actual.size !== entry.size) {
      mismatches.push({
        path: entry.path,
        problem: `sha256 ${actual.sha256.slice(0, 12)}…, expected ${entry.sha256.slice(0, 12)}…`,
      });
    } else if (entry.type === 'file' && actual.mode !== entry.mode) {
      mismatches.push({ path: entry.path, problem: `mode ${actual.mode}, expected ${entry.mode}` });
    }
  }
  return mismatches;
}

function isDanglingLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
