import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../../../git';
import {
  HermeticGit,
  addServiceWorktree,
  initRepo,
  useHermeticGit,
  writeFiles,
} from '../../../git/testing/hermetic-git';
import { BUNDLE_FILE, MANIFEST_FILE, compareFiles, readManifest, sha256Of } from './backup-manifest';
import { backupStamp, createBackup, planBackup } from './backup';
import { discoverWorktrees } from './discover-worktrees';
import { listUncommitted } from './preflight';
import { extractTarGz } from './tar-archive';

const NOW = Date.UTC(2026, 10, 25, 17, 16, 11, 123);

function buildDirtyLegacy(root: string): { trading: string; neural: string } {
  initRepo(root, { 'src/core/types.ts': 'export type Side = "buy" | "sell";\n', 'README.md': '# legacy\n' });
  const neural = addServiceWorktree(root, 'neural_network', 'service/neural_network', [
    {
      message: 'nn: scaffold',
      files: { '.gitignore': 'node_modules/\ndist/\n', 'src/predictor.ts': 'export const v = 1;\n' },
    },
    { message: 'nn: v2', files: { 'src/predictor_v2.ts': 'export const v = 2;\n' } },
  ]);
  const trading = addServiceWorktree(root, 'trading_engine', 'service/trading_engine', [
    {
      message: 'te: scaffold',
      files: {
        '.gitignore': 'node_modules/\ndist/\n',
        'src/keep.ts': 'export const k = 1;\n',
        'src/gone.ts': 'export const g = 1;\n',
        'bin/run.sh': '#!/bin/sh\necho run\n',
      },
    },
  ]);
  chmodSync(join(trading, 'bin/run.sh'), 0o755);
  git(trading, ['add', 'bin/run.sh']);
  git(trading, ['commit', '-qm', 'te: executable']);
  // Dirty in every way git distinguishes: modified, staged, staged then modified again, deleted, untracked, ignored.
  writeFileSync(join(trading, 'src/keep.ts'), 'export const k = 2;\n');
  writeFiles(trading, { 'src/staged.ts': 'export const s = "staged";\n' });
  git(trading, ['add', 'src/staged.ts']);
  writeFileSync(join(trading, 'src/staged.ts'), 'export const s = "staged then edited";\n');
  git(trading, ['rm', '-q', 'src/gone.ts']);
  writeFiles(trading, {
    'notes/untracked.md': 'remember\n',
    'dist/index.js': 'built\n',
    'node_modules/left-pad/index.js': 'module.exports = 1;\n',
    'node_modules/left-pad/package.json': '{"name":"left-pad"}\n',
    'src/nested/node_modules/x.js': 'x\n',
  });
  symlinkSync('../src/keep.ts', join(trading, 'notes/link.ts'));
  writeFileSync(join(root, 'README.md'), '# legacy, edited\n');
  writeFiles(root, { 'scratch/idea.ts': 'export const idea = 1;\n' });
  return { trading, neural };
}

describe('createBackup', () => {
  let env: HermeticGit;
  let root: string;
  beforeEach(() => {
    env = useHermeticGit();
    root = join(env.dir, 'legacy');
  });
  afterEach(() => env.dispose());

  it('writes a verified bundle, archives and a manifest, and changes nothing in the repository', () => {
    const { trading } = buildDirtyLegacy(root);
    const refsBefore = git(root, ['for-each-ref']);
    const statusBefore = listUncommitted(trading);
    const indexBefore = readFileSync(git(trading, ['rev-parse', '--path-format=absolute', '--git-path', 'index']));

    const { path, manifest } = createBackup(discoverWorktrees(root), { now: () => NOW });

    expect(path).toBe(join(root, 'backups', '2026-11-25T17-16-11-123Z'));
    expect(readManifest(path)).toEqual(manifest);
    expect(git(root, ['for-each-ref'])).toBe(refsBefore);
    expect(listUncommitted(trading)).toEqual(statusBefore);

    // Bundle: complete, verifiable, holding every branch and the worktree HEADs.
    expect(() => git(root, ['bundle', 'verify', '-q', join(path, BUNDLE_FILE)])).not.toThrow();
    expect(manifest.bundle.sha256).toBe(sha256Of(readFileSync(join(path, BUNDLE_FILE))));
    expect(manifest.bundle.heads['refs/heads/service/trading_engine']).toBe(
      git(root, ['rev-parse', 'service/trading_engine']),
    );
    expect(Object.keys(manifest.branches).sort()).toEqual(['main', 'service/neural_network', 'service/trading_engine']);
    expect(manifest.main).toMatchObject({ branch: 'main', head: git(root, ['rev-parse', 'main']) });
    expect(manifest.backupDirRelative).toBe('backups');

    // Main: every non-ignored file, modified and untracked included, nested worktrees and backups left out.
    expect(manifest.main.files.map((f) => f.path)).toEqual([
      '.gitignore',
      'README.md',
      'scratch/idea.ts',
      'src/core/types.ts',
    ]);
    expect(manifest.main.uncommitted).toEqual([' M README.md', '?? scratch/idea.ts']);
    expect(manifest.main.excludedPrefixes).toEqual(['worktrees/neural_network', 'worktrees/trading_engine', 'backups']);

    // Worktree: tracked, untracked, ignored and symlinked files; node_modules excluded and recorded.
    const te = manifest.worktrees.find((w) => w.label === 'worktrees/trading_engine');
    expect(te).toBeDefined();
    if (!te) return;
    expect(te.files.map((f) => f.path)).toEqual([
      '.gitignore',
      'bin/run.sh',
      'dist/index.js',
      'notes/link.ts',
      'notes/untracked.md',
      'src/keep.ts',
      'src/staged.ts',
    ]);
    expect(te.files.find((f) => f.path === 'bin/run.sh')?.mode).toBe('0755');
    expect(te.files.find((f) => f.path === 'notes/link.ts')).toMatchObject({
      type: 'symlink',
      sha256: sha256Of('../src/keep.ts'),
    });
    expect(te.files.find((f) => f.path === 'src/keep.ts')?.sha256).toBe(sha256Of('export const k = 2;\n'));
    expect(te.excluded).toEqual([
      { path: 'node_modules', files: 2, bytes: 40, reason: 'node_modules is reinstallable and was not archived' },
      {
        path: 'src/nested/node_modules',
        files: 1,
        bytes: 2,
        reason: 'node_modules is reinstallable and was not archived',
      },
    ]);
    expect(te.uncommitted).toEqual([
      'D  src/gone.ts',
      ' M src/keep.ts',
      'AM src/staged.ts',
      '?? notes/link.ts',
      '?? notes/untracked.md',
    ]);

    // Archive round trip: extracting it reproduces every manifest entry byte for byte.
    const restored = join(env.dir, 'restored');
    mkdirSync(restored);
    extractTarGz(join(path, te.archive as string), restored);
    expect(compareFiles(restored, te.files)).toEqual([]);
    expect(existsSync(join(restored, 'node_modules'))).toBe(false);

    // Index and the staged-only blob are kept, so staged work comes back staged.
    expect(readFileSync(join(path, te.index as string))).toEqual(indexBefore);
    const stagedBlob = git(trading, ['rev-parse', ':src/staged.ts']);
    expect(te.stagedPack).toMatch(/^trees\/worktrees_trading_engine-staged-[0-9a-f]{40}\.pack$/);
    expect(git(root, ['verify-pack', '-v', join(path, te.stagedPack as string)])).toContain(stagedBlob);
  });

  it('never reuses a backup folder and plans without writing', () => {
    buildDirtyLegacy(root);
    const discovered = discoverWorktrees(root);
    const plan = planBackup(discovered, { now: () => NOW, backupDir: join(env.dir, 'elsewhere') });
    expect(plan.path).toBe(join(env.dir, 'elsewhere', backupStamp(NOW)));
    expect(existsSync(plan.path)).toBe(false);
    expect(plan.trees.map((t) => [t.label, t.files, t.excluded.map((e) => e.path)])).toEqual([
      ['main', 4, []],
      ['worktrees/neural_network', 3, []],
      ['worktrees/trading_engine', 7, ['node_modules', 'src/nested/node_modules']],
    ]);

    const first = createBackup(discovered, { now: () => NOW, backupDir: join(env.dir, 'elsewhere') });
    const second = createBackup(discovered, { now: () => NOW, backupDir: join(env.dir, 'elsewhere') });
    expect(first.path).toBe(plan.path);
    expect(second.path).toBe(`${plan.path}-1`);
    expect(existsSync(join(second.path, MANIFEST_FILE))).toBe(true);
    expect(second.manifest.backupDirRelative).toBeNull();
    expect(second.manifest.main.excludedPrefixes).toEqual(['worktrees/neural_network', 'worktrees/trading_engine']);
  });
});
