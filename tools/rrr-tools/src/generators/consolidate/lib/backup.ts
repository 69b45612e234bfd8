import { copyFileSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { git, splitNul } from '../../../git';
import {
  BUNDLE_FILE,
  BackedUpFile,
  BackupManifest,
  MANIFEST_FILE,
  WorkingTreeBackup,
  byCodePoint,
  describeFile,
  sha256Of,
  walkWorkingTree,
} from './backup-manifest';
import type { DiscoveredWorktrees, GitWorktree } from './discover-worktrees';
import { listUncommitted, mainExclusions } from './preflight';
import { countTarGzMembers, createTarGz } from './tar-archive';

export interface BackupOptions {
  /** Folder that receives `<timestamp>/`, relative to the root or absolute. Default `backups`. */
  backupDir?: string;
  /** Clock for the timestamp folder name (epoch ms). Default `Date.now`. */
  now?: () => number;
  /** Folder names never archived (reinstallable); recorded in the manifest with their size. Default `node_modules`. */
  excludeFolderNames?: string[];
}

export interface BackupResult {
  /** Absolute path of the backup folder (`<backupDir>/<timestamp>`). */
  path: string;
  manifest: BackupManifest;
}

export interface BackupPlanEntry {
  label: string;
  files: number;
  excluded: { path: string; files: number; bytes: number }[];
}

export interface BackupPlan {
  /** Folder the backup would be written to. */
  path: string;
  trees: BackupPlanEntry[];
}

/** `2026-11-25T17-16-11-123Z`: sortable, and valid as a folder name everywhere. */
export function backupStamp(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[:.]/g, '-');
}

function resolveBackupRoot(root: string, backupDir: string): string {
  return isAbsolute(backupDir) ? backupDir : resolve(root, backupDir);
}

function backupDirRelative(root: string, backupRoot: string): string | null {
  const rel = relative(root, backupRoot);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : null;
}

function freshFolder(backupRoot: string, stamp: string): string {
  let candidate = join(backupRoot, stamp);
  for (let n = 1; existsSync(candidate); n++) candidate = join(backupRoot, `${stamp}-${n}`);
  return candidate;
}

/** Files of the main working tree that are not ignored: tracked (present) plus untracked. */
export function mainFileList(
  root: string,
  excludedPrefixes: readonly string[],
  excludeNames: readonly string[],
): string[] {
  const listed = splitNul(git(root, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { raw: true }));
  const unique = [...new Set(listed)].filter(
    (path) =>
      !excludedPrefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`)) &&
      !path.split('/').some((segment) => excludeNames.includes(segment)),
  );
  return unique
    .filter((path) => {
      const stat = lstatSync(join(root, path), { throwIfNoEntry: false });
      // Deleted files are absent; gitlinks and nested repositories are folders whose content is not ours.
      return stat !== undefined && !stat.isDirectory();
    })
    .sort(byCodePoint);
}

function treeFiles(
  tree: GitWorktree,
  isMain: boolean,
  root: string,
  excludedPrefixes: string[],
  excludeNames: string[],
): { files: string[]; excluded: WorkingTreeBackup['excluded'] } {
  if (isMain) return { files: mainFileList(root, excludedPrefixes, excludeNames), excluded: [] };
  const walked = walkWorkingTree(tree.path, { skipNames: excludeNames });
  return { files: walked.files, excluded: walked.skipped };
}

/** What `createBackup` would write, without writing anything (for --dry-run). */
export function planBackup(discovered: DiscoveredWorktrees, options: BackupOptions = {}): BackupPlan {
  const backupRoot = resolveBackupRoot(discovered.root, options.backupDir ?? 'backups');
  const excludeNames = options.excludeFolderNames ?? ['node_modules'];
  const mainExcluded = mainExclusions(discovered, backupDirRelative(discovered.root, backupRoot) ?? '');
  const trees: BackupPlanEntry[] = [];
  for (const [tree, isMain, label] of allTrees(discovered)) {
    if (!isMain && (tree.prunable || !existsSync(tree.path))) {
      trees.push({ label, files: 0, excluded: [] });
      continue;
    }
    const { files, excluded } = treeFiles(tree, isMain, discovered.root, isMain ? mainExcluded : [], excludeNames);
    trees.push({
      label,
      files: files.length,
      excluded: excluded.map(({ path, files: n, bytes }) => ({ path, files: n, bytes })),
    });
  }
  return { path: join(backupRoot, backupStamp((options.now ?? Date.now)())), trees };
}

function allTrees(discovered: DiscoveredWorktrees): [GitWorktree, boolean, string][] {
  return [
    [discovered.main, true, 'main'],
    ...discovered.services.map((service): [GitWorktree, boolean, string] => [service, false, service.relativePath]),
  ];
}

function safeName(label: string): string {
  return label.replace(/[^A-Za-z0-9._-]+/g, '_');
}

/** Object ids of staged blobs (index side of `git diff --cached`) that exist in the object store. */
function stagedBlobs(path: string): string[] {
  const records = splitNul(
    git(path, ['diff', '--cached', '--raw', '-z', '--no-renames', '--no-abbrev'], { raw: true }),
  );
  const ids = new Set<string>();
  for (const record of records) {
    if (!record.startsWith(':')) continue;
    const id = record.split(' ')[3];
    if (id && !/^0+$/.test(id)) ids.add(id);
  }
  if (ids.size === 0) return [];
  const check = git(path, ['cat-file', '--batch-check=%(objectname) %(objecttype)'], {
    input: [...ids].join('\n') + '\n',
  });
  return check
    .split('\n')
    .filter((line) => line.endsWith(' blob'))
    .map((line) => line.split(' ')[0]);
}

function backUpTree(
  backupPath: string,
  tree: GitWorktree,
  label: string,
  relativePath: string,
  isMain: boolean,
  root: string,
  excludedPrefixes: string[],
  excludeNames: string[],
): WorkingTreeBackup {
  const base: WorkingTreeBackup = {
    label,
    relativePath,
    branch: tree.branch,
    head: tree.head,
    detached: tree.detached,
    locked: tree.locked,
    ...(tree.lockReason ? { lockReason: tree.lockReason } : {}),
    missing: false,
    archive: null,
    archiveSha256: null,
    index: null,
    stagedPack: null,
    files: [],
    uncommitted: [],
    excludedPrefixes,
    excluded: [],
  };
  if (!isMain && (tree.prunable || !existsSync(tree.path))) return { ...base, missing: true };

  const uncommitted = listUncommitted(tree.path, excludedPrefixes).map((f) => `${f.status} ${f.path}`);
  const { files: paths, excluded } = treeFiles(tree, isMain, root, excludedPrefixes, excludeNames);
  const files: BackedUpFile[] = paths.map((path) => describeFile(tree.path, path));
  const name = safeName(label);

  let archive: string | null = null;
  let archiveSha256: string | null = null;
  if (paths.length > 0) {
    archive = `trees/${name}.tar.gz`;
    const archivePath = join(backupPath, archive);
    createTarGz(archivePath, tree.path, paths);
    const members = countTarGzMembers(archivePath);
    if (members !== paths.length) {
      throw new Error(`Backup archive ${archivePath} holds ${members} entries, expected ${paths.length}`);
    }
    archiveSha256 = sha256Of(readFileSync(archivePath));
  }

  const indexSource = git(tree.path, ['rev-parse', '--path-format=absolute', '--git-path', 'index']);
  let index: string | null = null;
  if (existsSync(indexSource)) {
    index = `trees/${name}.index`;
    copyFileSync(indexSource, join(backupPath, index));
  }

  let stagedPack: string | null = null;
  const blobs = stagedBlobs(tree.path);
  if (blobs.length > 0) {
    const packBase = join(backupPath, 'trees', `${name}-staged`);
    const packId = git(tree.path, ['pack-objects', '-q', packBase], { input: blobs.join('\n') + '\n' });
    stagedPack = `trees/${basename(packBase)}-${packId}.pack`;
  }
  return { ...base, archive, archiveSha256, index, stagedPack, files, uncommitted, excluded };
}

/**
 * Backs up everything consolidation could touch, before it touches anything: a verified `git bundle --all`
 * (every branch, tag and worktree HEAD), one tar.gz per working tree (worktrees: every file including
 * untracked and ignored ones, except dependency folders; main: every file that is not ignored), each index
 * file and any staged-only blobs, and `manifest.json` with sha256/size/mode per file, refs and worktrees.
 * Returns the backup folder `<backupDir>/<timestamp>/`.
 */
export function createBackup(discovered: DiscoveredWorktrees, options: BackupOptions = {}): BackupResult {
  const { root } = discovered;
  const createdAt = (options.now ?? Date.now)();
  const backupRoot = resolveBackupRoot(root, options.backupDir ?? 'backups');
  const excludeNames = options.excludeFolderNames ?? ['node_modules'];
  const backupPath = freshFolder(backupRoot, backupStamp(createdAt));
  const relativeBackupRoot = backupDirRelative(root, backupRoot);
  mkdirSync(join(backupPath, 'trees'), { recursive: true });

  const bundlePath = join(backupPath, BUNDLE_FILE);
  git(root, ['bundle', 'create', '-q', bundlePath, '--all']);
  git(root, ['bundle', 'verify', '-q', bundlePath]);
  const heads: Record<string, string> = {};
  for (const line of git(root, ['bundle', 'list-heads', bundlePath]).split('\n').filter(Boolean)) {
    const [id, ref] = line.split(' ');
    heads[ref] = id;
  }

  const refs: Record<string, string> = {};
  const branches: Record<string, string> = {};
  for (const line of git(root, ['for-each-ref', '--format=%(objectname) %(refname)']).split('\n').filter(Boolean)) {
    const [id, ref] = line.split(' ');
    refs[ref] = id;
    if (ref.startsWith('refs/heads/')) branches[ref.slice('refs/heads/'.length)] = id;
  }

  const mainExcluded = mainExclusions(discovered, relativeBackupRoot ?? '').filter(Boolean);
  const main = backUpTree(backupPath, discovered.main, 'main', '', true, root, mainExcluded, excludeNames);
  const worktrees = discovered.services.map((service) =>
    backUpTree(backupPath, service, service.relativePath, service.relativePath, false, root, [], excludeNames),
  );

  const bundleBytes = readFileSync(bundlePath);
  const manifest: BackupManifest = {
    format: 'rrr-tools-backup',
    version: 1,
    createdAt,
    createdAtIso: new Date(createdAt).toISOString(),
    root,
    backupDirRelative: relativeBackupRoot,
    bundle: { file: BUNDLE_FILE, sha256: sha256Of(bundleBytes), size: bundleBytes.length, heads },
    refs,
    branches,
    main,
    worktrees,
    excludeFolderNames: excludeNames,
    otherWorktrees: discovered.others.map((w) => ({ path: w.path, branch: w.branch, head: w.head })),
  };
  // Written last and renamed into place: a folder with manifest.json is a complete backup.
  const manifestTmp = join(backupPath, `${MANIFEST_FILE}.partial`);
  writeFileSync(manifestTmp, JSON.stringify(manifest, null, 2) + '\n');
  renameSync(manifestTmp, join(backupPath, MANIFEST_FILE));
  return { path: backupPath, manifest };
}
