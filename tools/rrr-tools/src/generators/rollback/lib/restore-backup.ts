import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  realpathSync,
  renameSync,
  rmdirSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { git, revParse, splitNul } from '../../../git';
import {
  BackedUpFile,
  BackupManifest,
  WorkingTreeBackup,
  compareFiles,
  describeFile,
  readManifest,
  sha256Of,
  walkWorkingTree,
} from '../../consolidate/lib/backup-manifest';
import { backupStamp, mainFileList } from '../../consolidate/lib/backup';
import { GitWorktree, discoverWorktrees } from '../../consolidate/lib/discover-worktrees';
import { listUncommitted } from '../../consolidate/lib/preflight';
import { createTarGz, extractTarGz } from '../../consolidate/lib/tar-archive';

export interface RefChange {
  ref: string;
  /** Object id now; null when the ref does not exist now. */
  from: string | null;
  /** Object id in the backup; null when the ref is deleted (created after the backup). */
  to: string | null;
}

export interface RollbackPlan {
  root: string;
  backupPath: string;
  manifest: BackupManifest;
  refChanges: RefChange[];
  /** Branches kept because a worktree the backup does not know has them checked out. */
  keptRefs: string[];
  /** Worktrees (relative paths) that are registered and get reset in place. */
  worktreesToReset: string[];
  /** Worktrees that are gone or unregistered and get re-created. */
  worktreesToRecreate: string[];
  /** Worktrees registered now that the backup does not know: left alone. */
  unknownWorktrees: string[];
  /** Things the backup deliberately does not hold and that are absent now. */
  notRestored: string[];
}

export interface RollbackResult extends RollbackPlan {
  /** Folder with the rollback log and the archives of everything the rollback replaced or removed. */
  logPath: string;
  /** tar.gz archives of files that differed from the backup and were not recoverable from git. */
  displacedArchives: string[];
  /** Files checked against the manifest's sha256 after the restore. */
  verifiedFiles: number;
}

export interface RollbackOptions {
  /** Clock for the rollback log folder name (epoch ms). Default `Date.now`. */
  now?: () => number;
}

/** The restored state differs from the backup: every difference is listed. */
export class RollbackVerificationError extends Error {
  readonly code = 'ROLLBACK_MISMATCH';

  constructor(readonly problems: string[]) {
    super(`Rollback did not reproduce the backup exactly:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'RollbackVerificationError';
  }
}

function currentRefs(root: string): Record<string, string> {
  const refs: Record<string, string> = {};
  for (const line of git(root, ['for-each-ref', '--format=%(objectname) %(refname)']).split('\n').filter(Boolean)) {
    const [id, ref] = line.split(' ');
    refs[ref] = id;
  }
  return refs;
}

function realOrSame(path: string): string {
  return existsSync(path) ? realpathSync(path) : path;
}

function registeredWorktrees(root: string): GitWorktree[] {
  const found = discoverWorktrees(root);
  return [...found.services, ...found.others];
}

function toPosix(path: string): string {
  return path.split(sep).join('/');
}

function mainExcludedNow(root: string, manifest: BackupManifest, backupPath: string): string[] {
  const nested = registeredWorktrees(root)
    .map((w) => toPosix(relative(root, w.path)))
    .filter((rel) => rel !== '' && !rel.startsWith('..') && !isAbsolute(rel));
  const backupRel = toPosix(relative(root, backupPath));
  const inside = backupRel && !backupRel.startsWith('..') && !isAbsolute(backupRel) ? [backupRel] : [];
  return [...new Set([...manifest.main.excludedPrefixes, ...nested, ...inside])];
}

/** Reads the backup and the repository and says what a rollback would change, changing nothing. */
export function planRollback(root: string, backupPath: string): RollbackPlan {
  const mainRoot = discoverWorktrees(root).root;
  const manifest = readManifest(backupPath);
  const registered = registeredWorktrees(mainRoot);
  const known = new Set(manifest.worktrees.map((w) => realOrSame(join(mainRoot, w.relativePath))));
  const unknown = registered.filter((w) => !known.has(realOrSame(w.path)));
  const protectedBranches = new Set(unknown.map((w) => w.branch).filter((b): b is string => !!b));

  const now = currentRefs(mainRoot);
  const refChanges: RefChange[] = [];
  const keptRefs: string[] = [];
  for (const ref of [...new Set([...Object.keys(now), ...Object.keys(manifest.refs)])].sort()) {
    const from = now[ref] ?? null;
    const to = manifest.refs[ref] ?? null;
    if (from === to) continue;
    if (to === null && ref.startsWith('refs/heads/') && protectedBranches.has(ref.slice('refs/heads/'.length))) {
      keptRefs.push(ref);
      continue;
    }
    refChanges.push({ ref, from, to });
  }

  const worktreesToReset: string[] = [];
  const worktreesToRecreate: string[] = [];
  const notRestored: string[] = [];
  const registeredPaths = new Set(registered.filter((w) => !w.prunable).map((w) => realOrSame(w.path)));
  for (const tree of manifest.worktrees) {
    if (tree.missing) continue;
    const path = join(mainRoot, tree.relativePath);
    if (existsSync(path) && registeredPaths.has(realOrSame(path))) worktreesToReset.push(tree.relativePath);
    else worktreesToRecreate.push(tree.relativePath);
    for (const folder of tree.excluded) {
      if (!existsSync(join(path, folder.path))) {
        notRestored.push(
          `${tree.relativePath}/${folder.path} (${folder.files} files, ${folder.bytes} bytes) is not in the backup: reinstall it`,
        );
      }
    }
  }
  return {
    root: mainRoot,
    backupPath,
    manifest,
    refChanges,
    keptRefs,
    worktreesToReset,
    worktreesToRecreate,
    unknownWorktrees: unknown.map((w) => w.path),
    notRestored,
  };
}

/** Human-readable lines for a plan (what --dry-run prints). */
export function describeRollbackPlan(plan: RollbackPlan): string[] {
  const { manifest } = plan;
  const short = (id: string | null): string => (id ? id.slice(0, 12) : '(none)');
  return [
    `Rollback from ${plan.backupPath} (taken ${manifest.createdAtIso})`,
    `  verify ${manifest.bundle.file} (sha256 and git bundle verify) and every archive's sha256`,
    ...plan.refChanges.map((c) =>
      c.to === null
        ? `  delete ${c.ref} (now ${short(c.from)}; recorded in the rollback log)`
        : `  set ${c.ref} ${short(c.from)} -> ${short(c.to)}`,
    ),
    ...plan.keptRefs.map((ref) => `  keep ${ref}: checked out in a worktree the backup does not know`),
    `  main: ${manifest.main.branch ?? 'detached'} at ${short(manifest.main.head)}, ${manifest.main.files.length} files restored from the archive`,
    ...plan.worktreesToReset.map((p) => `  reset worktree ${p} in place and restore its files`),
    ...plan.worktreesToRecreate.map((p) => `  re-create worktree ${p} and restore its files`),
    ...plan.unknownWorktrees.map((p) => `  leave worktree ${p} alone (not in the backup)`),
    ...plan.notRestored.map((line) => `  not restored: ${line}`),
    '  files that differ from the backup and are not recoverable from git are archived in the rollback log first',
  ];
}

function verifyBackupIntegrity(root: string, backupPath: string, manifest: BackupManifest): void {
  const problems: string[] = [];
  const bundlePath = join(backupPath, manifest.bundle.file);
  if (!existsSync(bundlePath)) problems.push(`${manifest.bundle.file} is missing`);
  else if (sha256Of(readFileSync(bundlePath)) !== manifest.bundle.sha256)
    problems.push(`${manifest.bundle.file} sha256 mismatch`);
  for (const tree of [manifest.main, ...manifest.worktrees]) {
    if (!tree.archive) continue;
    const archive = join(backupPath, tree.archive);
    if (!existsSync(archive)) problems.push(`${tree.archive} is missing`);
    else if (sha256Of(readFileSync(archive)) !== tree.archiveSha256) problems.push(`${tree.archive} sha256 mismatch`);
  }
  if (problems.length > 0)
    throw new Error(`Backup ${backupPath} is damaged; nothing was changed:\n  - ${problems.join('\n  - ')}`);
  git(root, ['bundle', 'verify', '-q', bundlePath]);
}

/** Paths tracked in the index and unmodified: git can give them back, so they need no copy. */
function cleanTrackedFiles(base: string, excluded: readonly string[]): Set<string> {
  const tracked = splitNul(git(base, ['ls-files', '-z'], { raw: true }));
  const dirty = new Set(listUncommitted(base, excluded).map((f) => f.path));
  return new Set(tracked.filter((p) => !dirty.has(p)));
}

/** Copies the files that the restore will replace or remove, unless they match the backup or git has them. */
function archiveDisplaced(
  base: string,
  current: readonly string[],
  expected: readonly BackedUpFile[],
  recoverable: Set<string>,
  archive: string,
): boolean {
  const byPath = new Map(expected.map((f) => [f.path, f]));
  const displaced = current.filter((path) => {
    if (recoverable.has(path)) return false;
    const want = byPath.get(path);
    if (!want) return true;
    const have = describeFile(base, path);
    return have.sha256 !== want.sha256 || have.type !== want.type;
  });
  if (displaced.length === 0) return false;
  mkdirSync(dirname(archive), { recursive: true });
  createTarGz(archive, base, displaced);
  return true;
}

/** Deletes files not in the backup, then the folders they leave empty. */
function removeExtraFiles(base: string, current: readonly string[], expected: readonly BackedUpFile[]): void {
  const keep = new Set(expected.map((f) => f.path));
  const emptied = new Set<string>();
  for (const path of current) {
    if (keep.has(path)) continue;
    unlinkSync(join(base, path));
    for (let dir = dirname(path); dir !== '.' && dir !== ''; dir = dirname(dir)) emptied.add(dir);
  }
  for (const dir of [...emptied].sort((a, b) => b.length - a.length)) {
    const absolute = join(base, dir);
    if (existsSync(absolute) && lstatSync(absolute).isDirectory() && readdirSync(absolute).length === 0)
      rmdirSync(absolute);
  }
}

function setHead(treePath: string, backup: WorkingTreeBackup): void {
  if (backup.branch) git(treePath, ['symbolic-ref', 'HEAD', `refs/heads/${backup.branch}`]);
  else if (backup.head) git(treePath, ['update-ref', '--no-deref', 'HEAD', backup.head]);
}

function restoreIndexAndFiles(backupPath: string, treePath: string, backup: WorkingTreeBackup): void {
  if (backup.archive) extractTarGz(join(backupPath, backup.archive), treePath);
  if (backup.index) {
    copyFileSync(
      join(backupPath, backup.index),
      git(treePath, ['rev-parse', '--path-format=absolute', '--git-path', 'index']),
    );
  }
  // The copied index has stale stat data; refreshing makes later status calls cheap. Exit 1 only means "changes".
  git(treePath, ['update-index', '-q', '--refresh'], { okExitCodes: [1] });
}

/** Registers `path` as a worktree again, keeping whatever is in the folder (e.g. node_modules). */
function recreateWorktree(root: string, path: string, backup: WorkingTreeBackup, stamp: string): void {
  // Same folder name as the original, so git names the worktree's admin folder as before.
  const scratchParent = join(dirname(path), `.rrr-restore-${stamp}`);
  const scratch = join(scratchParent, basename(path));
  const target = backup.branch ?? backup.head;
  if (!target)
    throw new Error(`Cannot re-create ${backup.relativePath}: the backup records neither a branch nor a HEAD`);
  git(root, ['worktree', 'add', '-q', '--no-checkout', ...(backup.branch ? [] : ['--detach']), scratch, target]);
  mkdirSync(path, { recursive: true });
  const staleGit = join(path, '.git');
  if (existsSync(staleGit) && lstatSync(staleGit).isDirectory()) {
    throw new Error(`${path} holds its own .git folder (a separate repository); move it away and roll back again`);
  }
  renameSync(join(scratch, '.git'), staleGit);
  rmdirSync(scratch);
  rmdirSync(scratchParent);
  git(root, ['worktree', 'repair', path]);
}

function verifyTree(
  label: string,
  base: string,
  backup: WorkingTreeBackup,
  current: readonly string[],
  problems: string[],
): number {
  for (const mismatch of compareFiles(base, backup.files))
    problems.push(`${label}: ${mismatch.path} ${mismatch.problem}`);
  const expected = new Set(backup.files.map((f) => f.path));
  for (const extra of current.filter((p) => !expected.has(p))) problems.push(`${label}: ${extra} is not in the backup`);
  const head = revParse(base, 'HEAD');
  if (head !== backup.head) problems.push(`${label}: HEAD is ${head}, expected ${backup.head}`);
  const branch = git(base, ['symbolic-ref', '-q', '--short', 'HEAD'], { okExitCodes: [1] }) || null;
  if (branch !== backup.branch)
    problems.push(`${label}: on ${branch ?? 'detached HEAD'}, expected ${backup.branch ?? 'detached HEAD'}`);
  const status = listUncommitted(base, backup.excludedPrefixes).map((f) => `${f.status} ${f.path}`);
  if (JSON.stringify(status) !== JSON.stringify(backup.uncommitted)) {
    problems.push(`${label}: git status is [${status.join(', ')}], expected [${backup.uncommitted.join(', ')}]`);
  }
  return backup.files.length;
}

/**
 * Restores the repository to the backup: refs (every branch, tag, stash) from the verified bundle, each
 * worktree (re-created if removed) and main with their HEAD, index, and files — uncommitted, untracked and
 * ignored ones included — then checks every file against the manifest's sha256 and each tree's git status.
 * Before overwriting, it archives whatever differs from the backup and is not recoverable from git, and logs
 * deleted refs, in `<backup>/rollback-<timestamp>/`, so a rollback loses nothing either.
 */
export function restoreBackup(root: string, backupPath: string, options: RollbackOptions = {}): RollbackResult {
  const plan = planRollback(root, backupPath);
  const { manifest } = plan;
  const mainRoot = plan.root;
  verifyBackupIntegrity(mainRoot, backupPath, manifest);
  const stamp = backupStamp((options.now ?? Date.now)());
  const logPath = join(backupPath, `rollback-${stamp}`);
  mkdirSync(logPath, { recursive: true });
  const displacedArchives: string[] = [];
  const skipNames = manifest.excludeFolderNames;

  // Objects first: the bundle brings back every commit, the packs the staged-only blobs.
  git(mainRoot, ['bundle', 'unbundle', join(backupPath, manifest.bundle.file)]);
  for (const tree of [manifest.main, ...manifest.worktrees]) {
    if (tree.stagedPack)
      git(mainRoot, ['unpack-objects', '-q'], { input: readFileSync(join(backupPath, tree.stagedPack)) });
  }

  // Snapshot what would be lost before any destructive step, for main and every worktree on disk.
  const mainExcluded = mainExcludedNow(mainRoot, manifest, backupPath);
  const mainCurrent = mainFileList(mainRoot, mainExcluded, skipNames);
  const mainArchive = join(logPath, 'displaced', 'main.tar.gz');
  if (
    archiveDisplaced(mainRoot, mainCurrent, manifest.main.files, cleanTrackedFiles(mainRoot, mainExcluded), mainArchive)
  ) {
    displacedArchives.push(mainArchive);
  }
  const worktreeCurrent = new Map<string, string[]>();
  for (const tree of manifest.worktrees) {
    if (tree.missing) continue;
    const path = join(mainRoot, tree.relativePath);
    if (!existsSync(path)) continue;
    const current = walkWorkingTree(path, { skipNames }).files;
    worktreeCurrent.set(tree.relativePath, current);
    const registered = plan.worktreesToReset.includes(tree.relativePath);
    const recoverable = registered ? cleanTrackedFiles(path, []) : new Set<string>();
    const archive = join(logPath, 'displaced', `${tree.relativePath.replace(/[^A-Za-z0-9._-]+/g, '_')}.tar.gz`);
    if (archiveDisplaced(path, current, tree.files, recoverable, archive)) displacedArchives.push(archive);
  }
  writeFileSync(
    join(logPath, 'rollback.json'),
    JSON.stringify(
      { backup: backupPath, startedAt: stamp, refChanges: plan.refChanges, keptRefs: plan.keptRefs, displacedArchives },
      null,
      2,
    ) + '\n',
  );

  // Refs: one transaction, so a failure leaves every ref as it was.
  if (plan.refChanges.length > 0) {
    const commands = plan.refChanges
      .map((c) => (c.to === null ? `delete ${c.ref}\n` : `update ${c.ref} ${c.to}\n`))
      .join('');
    git(mainRoot, ['update-ref', '--stdin'], { input: commands });
  }

  git(mainRoot, ['worktree', 'prune']);
  for (const tree of manifest.worktrees) {
    if (tree.missing) continue;
    const path = join(mainRoot, tree.relativePath);
    if (plan.worktreesToRecreate.includes(tree.relativePath)) recreateWorktree(mainRoot, path, tree, stamp);
    setHead(path, tree);
    removeExtraFiles(path, worktreeCurrent.get(tree.relativePath) ?? [], tree.files);
    restoreIndexAndFiles(backupPath, path, tree);
    const locked = registeredWorktrees(mainRoot).find((w) => realOrSame(w.path) === realOrSame(path))?.locked ?? false;
    if (tree.locked && !locked)
      git(mainRoot, ['worktree', 'lock', ...(tree.lockReason ? ['--reason', tree.lockReason] : []), path]);
    if (!tree.locked && locked) git(mainRoot, ['worktree', 'unlock', path]);
  }

  setHead(mainRoot, manifest.main);
  git(mainRoot, ['reset', '-q', '--hard']);
  removeExtraFiles(mainRoot, mainFileList(mainRoot, mainExcluded, skipNames), manifest.main.files);
  restoreIndexAndFiles(backupPath, mainRoot, manifest.main);

  // Verify: refs, then every file of every tree against its sha256, with nothing extra, then git status.
  const problems: string[] = [];
  const refsNow = currentRefs(mainRoot);
  for (const [ref, id] of Object.entries(manifest.refs)) {
    if (refsNow[ref] !== id) problems.push(`${ref} is ${refsNow[ref] ?? 'missing'}, expected ${id}`);
  }
  let verifiedFiles = verifyTree(
    'main',
    mainRoot,
    manifest.main,
    mainFileList(mainRoot, mainExcluded, skipNames),
    problems,
  );
  for (const tree of manifest.worktrees) {
    if (tree.missing) continue;
    const path = join(mainRoot, tree.relativePath);
    verifiedFiles += verifyTree(tree.relativePath, path, tree, walkWorkingTree(path, { skipNames }).files, problems);
  }
  if (problems.length > 0) throw new RollbackVerificationError(problems);
  return { ...plan, logPath, displacedArchives, verifiedFiles };
}
