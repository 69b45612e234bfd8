import {
  chmodSync,
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { logger } from '@nx/devkit';
import { FsTree } from 'nx/src/generators/tree';
import { git } from '../../git';
import {
  HermeticGit,
  addServiceWorktree,
  commitAll,
  initRepo,
  useHermeticGit,
  writeFiles,
} from '../../git/testing/hermetic-git';
import { MANIFEST_FILE, readManifest, sha256Of } from '../consolidate/lib/backup-manifest';
import { createBackup } from '../consolidate/lib/backup';
import { discoverWorktrees } from '../consolidate/lib/discover-worktrees';
import { importHistory } from '../consolidate/lib/import-history';
import { commitWipChanges, preflight } from '../consolidate/lib/preflight';
import { resolveBackup } from './lib/find-backup';
import { RollbackVerificationError, restoreBackup } from './lib/restore-backup';
import rollbackGenerator from './rollback';

/** Every file under `base` (not .git, not node_modules, not the given prefixes) → mode and bytes. */
function snapshotFiles(base: string, skip: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string): void => {
    for (const entry of readdirSync(join(base, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (path === '.git' || entry.name === 'node_modules' || skip.some((s) => path === s || path.startsWith(`${s}/`)))
        continue;
      const stat = lstatSync(join(base, path));
      if (entry.isDirectory()) visit(path);
      else if (stat.isSymbolicLink()) out[path] = `link ${readlinkSync(join(base, path))}`;
      else out[path] = `${(stat.mode & 0o777).toString(8)} ${readFileSync(join(base, path)).toString('base64')}`;
    }
  };
  visit('');
  return out;
}

interface RepoState {
  refs: string;
  worktrees: string;
  status: Record<string, string>;
  files: Record<string, Record<string, string>>;
}

function captureState(root: string): RepoState {
  const trees = ['', 'worktrees/neural_network', 'worktrees/trading_engine', 'worktrees/monitoring'];
  const status: Record<string, string> = {};
  const files: Record<string, Record<string, string>> = {};
  for (const tree of trees) {
    const path = join(root, tree);
    if (!existsSync(path)) continue;
    status[tree || 'main'] = git(path, ['status', '--porcelain=v1', '--untracked-files=all', '--branch']);
    files[tree || 'main'] = snapshotFiles(path, tree ? [] : ['worktrees', 'backups']);
  }
  return {
    refs: git(root, ['for-each-ref', '--format=%(refname) %(objectname)']),
    worktrees: git(root, ['worktree', 'list', '--porcelain']),
    status,
    files,
  };
}

function buildDirtyLegacy(root: string): void {
  initRepo(root, { 'src/core/types.ts': 'export type Side = "buy" | "sell";\n', 'src/core/logger.ts': 'export {};\n' });
  git(root, ['tag', 'v0-legacy']);
  const neural = addServiceWorktree(root, 'neural_network', 'service/neural_network', [
    { message: 'nn: scaffold', files: { '.gitignore': 'dist/\n', 'src/predictor.ts': 'export const v = 1;\n' } },
    { message: 'nn: v2', files: { 'src/predictor_v2.ts': 'export const v = 2;\n' } },
  ]);
  writeFiles(neural, { 'dist/predictor.js': 'exports.v = 1;\n' });
  const trading = addServiceWorktree(root, 'trading_engine', 'service/trading_engine', [
    {
      message: 'te: scaffold',
      files: {
        '.gitignore': 'node_modules/\n',
        'src/keep.ts': 'export const k = 1;\n',
        'src/gone.ts': 'g\n',
        'run.sh': '#!/bin/sh\n',
      },
    },
  ]);
  chmodSync(join(trading, 'run.sh'), 0o755);
  commitAll(trading, 'te: executable run.sh');
  writeFileSync(join(trading, 'src/keep.ts'), 'export const k = 2;\n');
  writeFiles(trading, { 'src/staged.ts': 'export const s = 1;\n' });
  git(trading, ['add', 'src/staged.ts']);
  writeFileSync(join(trading, 'src/staged.ts'), 'export const s = 2;\n');
  git(trading, ['rm', '-q', 'src/gone.ts']);
  writeFiles(trading, { 'notes/untracked.md': 'keep me\n', 'node_modules/dep/index.js': 'module.exports = 1;\n' });
  symlinkSync('../src/keep.ts', join(trading, 'notes/keep-link.ts'));
  const monitoring = addServiceWorktree(root, 'monitoring', 'service/monitoring', [
    { message: 'mon: scaffold', files: { 'src/health.ts': 'export const ok = true;\n' } },
  ]);
  git(monitoring, ['checkout', '-q', '--detach']);
  git(root, ['worktree', 'lock', '--reason', 'on call', monitoring]);
  writeFileSync(join(root, 'src/core/logger.ts'), 'export const level = "info";\n');
  writeFiles(root, { 'scratch.md': 'untracked in main\n' });
}

function wreck(root: string): void {
  const discovered = discoverWorktrees(root);
  const checked = preflight(discovered, { allowDirty: 'commit' });
  commitWipChanges(checked.wip);
  importHistory(discovered);
  const trading = join(root, 'worktrees/trading_engine');
  writeFileSync(join(trading, 'src/keep.ts'), 'export const k = 99;\n');
  renameSync(join(trading, 'notes/untracked.md'), join(trading, 'notes/moved.md'));
  writeFiles(trading, { 'src/after_backup.ts': 'new\n' });
  rmSync(join(trading, 'run.sh'));
  git(root, ['worktree', 'remove', '--force', join(root, 'worktrees/neural_network')]);
  git(root, ['branch', 'junk']);
  git(root, ['tag', '-d', 'v0-legacy']);
  writeFiles(root, { 'MIGRATION_REPORT.md': 'report\n', '.gitignore': 'changed\n' });
  rmSync(join(root, 'src/core/types.ts'));
}

describe('rollback', () => {
  let env: HermeticGit;
  let root: string;
  beforeEach(() => {
    env = useHermeticGit();
    root = join(env.dir, 'legacy');
    buildDirtyLegacy(root);
  });
  afterEach(() => env.dispose());

  it('restores refs, main and every worktree byte for byte after a wrecking consolidation', async () => {
    const before = captureState(root);
    const { path: backupPath } = createBackup(discoverWorktrees(root), { now: () => Date.UTC(2026, 0, 1) });
    wreck(root);
    const wrecked = captureState(root);
    expect(wrecked).not.toEqual(before);

    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const task = await rollbackGenerator(new FsTree(root, false), {});
    expect(info.mock.calls[0][0]).toContain(`Rollback from ${backupPath}`);
    expect(info.mock.calls[0][0]).toContain('delete refs/heads/junk');
    expect(info.mock.calls[0][0]).toContain('re-create worktree worktrees/neural_network');

    // Until the task runs (Nx skips it under --dry-run) nothing changes.
    expect(captureState(root)).toEqual(wrecked);
    await task();
    expect(info.mock.calls[1][0]).toMatch(/Restored 5 refs, main and 3 worktree\(s\); 15 files match/);
    info.mockRestore();

    const after = captureState(root);
    expect(after.refs).toBe(before.refs);
    expect(after.worktrees).toBe(before.worktrees);
    expect(after.status).toEqual(before.status);
    expect(after.files).toEqual(before.files);
    expect(existsSync(join(root, 'worktrees/trading_engine/node_modules/dep/index.js'))).toBe(true);

    // What the rollback replaced is archived, and deleted refs are logged.
    const [log] = readdirSync(backupPath).filter((name) => name.startsWith('rollback-'));
    const record = JSON.parse(readFileSync(join(backupPath, log, 'rollback.json'), 'utf8'));
    expect(record.refChanges).toEqual(
      expect.arrayContaining([{ ref: 'refs/heads/junk', from: expect.any(String), to: null }]),
    );
    expect(record.displacedArchives.map((p: string) => p.slice(join(backupPath, log).length + 1))).toEqual([
      'displaced/main.tar.gz',
      'displaced/worktrees_trading_engine.tar.gz',
    ]);
  });

  it('fails listing every file that does not match the manifest', () => {
    const { path: backupPath } = createBackup(discoverWorktrees(root));
    const manifestPath = join(backupPath, MANIFEST_FILE);
    const manifest = readManifest(backupPath);
    const keep = manifest.worktrees
      .find((w) => w.label === 'worktrees/trading_engine')
      ?.files.find((f) => f.path === 'src/keep.ts');
    if (!keep) throw new Error('fixture lost src/keep.ts');
    keep.sha256 = '0'.repeat(64);
    manifest.main.files = manifest.main.files.filter((f) => f.path !== 'scratch.md');
    writeFileSync(manifestPath, JSON.stringify(manifest));

    let caught: unknown;
    try {
      restoreBackup(root, backupPath);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RollbackVerificationError);
    expect((caught as RollbackVerificationError).problems).toEqual([
      'main: scratch.md is not in the backup',
      `worktrees/trading_engine: src/keep.ts sha256 ${sha256Of('export const k = 2;\n').slice(0, 12)}…, expected 000000000000…`,
    ]);
  });

  it('refuses a damaged backup before changing anything', () => {
    const { path: backupPath, manifest } = createBackup(discoverWorktrees(root));
    writeFileSync(join(backupPath, manifest.main.archive as string), 'garbage');
    const before = captureState(root);
    expect(() => restoreBackup(root, backupPath)).toThrow(
      /is damaged; nothing was changed:\n {2}- trees\/main\.tar\.gz sha256 mismatch/,
    );
    expect(captureState(root)).toEqual(before);
  });

  it('picks the latest backup unless one is named', () => {
    const first = createBackup(discoverWorktrees(root), { now: () => 1_000 }).path;
    const second = createBackup(discoverWorktrees(root), { now: () => 2_000 }).path;
    expect(resolveBackup(root, {})).toBe(second);
    expect(resolveBackup(root, { backup: first })).toBe(first);
    expect(() => resolveBackup(root, { backupDir: 'nowhere' })).toThrow(/No backups: .*nowhere does not exist/);
  });
});
