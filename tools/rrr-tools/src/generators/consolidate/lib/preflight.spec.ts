import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../../../git';
import {
  HermeticGit,
  addServiceWorktree,
  initRepo,
  useHermeticGit,
  writeFiles,
} from '../../../git/testing/hermetic-git';
import { discoverWorktrees } from './discover-worktrees';
import { PreflightError, commitWipChanges, listUncommitted, parseStatusZ, preflight } from './preflight';

function buildLegacy(root: string): { neural: string; trading: string } {
  initRepo(root, { 'src/core/types.ts': 'export type Side = "buy" | "sell";\n', 'README.md': '# legacy\n' });
  const neural = addServiceWorktree(root, 'neural_network', 'service/neural_network', [
    {
      message: 'nn: scaffold',
      files: { 'package.json': '{"name":"nn"}\n', 'src/predictor.ts': 'export const v = 1;\n' },
    },
  ]);
  const trading = addServiceWorktree(root, 'trading_engine', 'service/trading_engine', [
    {
      message: 'te: scaffold',
      files: { 'package.json': '{"name":"te"}\n', 'src/old_name.ts': 'export const o = 1;\n', 'src/keep.ts': 'k\n' },
    },
  ]);
  return { neural, trading };
}

function refusal(run: () => unknown): PreflightError {
  try {
    run();
  } catch (error) {
    if (error instanceof PreflightError) return error;
    throw error;
  }
  throw new Error('expected a PreflightError');
}

describe('parseStatusZ', () => {
  it('reads XY codes, renames with their source, untracked and conflicted entries', () => {
    const z = ['M  a.ts', ' M b.ts', 'R  new.ts', 'old.ts', '?? dir/u.ts', 'UU c.ts', ' D d.ts', 'A  e.ts', ''].join(
      '\0',
    );
    expect(parseStatusZ(z)).toEqual([
      { path: 'a.ts', status: 'M ', kind: 'modified' },
      { path: 'b.ts', status: ' M', kind: 'modified' },
      { path: 'new.ts', from: 'old.ts', status: 'R ', kind: 'renamed' },
      { path: 'dir/u.ts', status: '??', kind: 'untracked' },
      { path: 'c.ts', status: 'UU', kind: 'unmerged' },
      { path: 'd.ts', status: ' D', kind: 'deleted' },
      { path: 'e.ts', status: 'A ', kind: 'added' },
    ]);
  });
});

describe('preflight', () => {
  let env: HermeticGit;
  let root: string;
  beforeEach(() => {
    env = useHermeticGit();
    root = join(env.dir, 'legacy');
  });
  afterEach(() => env.dispose());

  it('passes a clean repository and plans one target per service', () => {
    buildLegacy(root);
    const result = preflight(discoverWorktrees(root));
    expect(result.dirty).toEqual([]);
    expect(result.wip).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.services.map((s) => [s.service.folder, s.target, s.alreadyImported])).toEqual([
      ['neural_network', 'libs/services/neural-network', false],
      ['trading_engine', 'libs/services/trading-engine', false],
    ]);
  });

  it('refuses a dirty repository, listing every file per working tree, and changes nothing', () => {
    const { trading } = buildLegacy(root);
    writeFileSync(join(root, 'README.md'), '# legacy, edited\n');
    writeFiles(root, { 'notes/todo.md': 'untracked\n' });
    writeFileSync(join(trading, 'src/keep.ts'), 'k2\n');
    rmSync(join(trading, 'src/old_name.ts'));
    writeFiles(trading, { 'src/new_file.ts': 'export const n = 1;\n', 'src/deep/er/untracked.ts': 'x\n' });
    git(trading, ['add', 'src/new_file.ts']);
    const before = listUncommitted(trading);

    const error = refusal(() => preflight(discoverWorktrees(root)));

    expect(error.problems.map((p) => [p.kind, p.subject, p.files])).toEqual([
      ['dirty', 'main', [' M README.md', '?? notes/todo.md']],
      [
        'dirty',
        'worktrees/trading_engine',
        [' M src/keep.ts', 'A  src/new_file.ts', ' D src/old_name.ts', '?? src/deep/er/untracked.ts'],
      ],
    ]);
    expect(error.message).toContain('worktrees/trading_engine: has 4 uncommitted change(s)');
    expect(error.message).toContain('?? src/deep/er/untracked.ts');
    expect(error.message).toContain('--allowDirty=commit');
    expect(listUncommitted(trading)).toEqual(before);
  });

  it('ignores the nested worktrees and the backup folder when looking at main', () => {
    buildLegacy(root);
    writeFileSync(join(root, '.gitignore'), 'node_modules\n');
    git(root, ['commit', '-qam', 'stop ignoring worktrees']);
    writeFiles(root, { 'snapshots/2026/manifest.json': '{}' });
    expect(preflight(discoverWorktrees(root), { backupDir: 'snapshots' }).dirty).toEqual([]);
    expect(refusal(() => preflight(discoverWorktrees(root))).problems[0].files).toEqual([
      '?? snapshots/2026/manifest.json',
    ]);
  });

  it('with allowDirty=commit plans WIP commits, and commitWipChanges keeps every byte', () => {
    const { trading } = buildLegacy(root);
    writeFileSync(join(trading, 'src/keep.ts'), 'k2\n');
    git(trading, ['rm', '-q', 'src/old_name.ts']);
    writeFiles(trading, { 'src/deep/untracked.ts': 'export const u = 2;\n' });
    const branchBefore = git(root, ['rev-parse', 'service/trading_engine']);

    const result = preflight(discoverWorktrees(root), { allowDirty: 'commit' });

    expect(result.wip).toHaveLength(1);
    expect(result.wip[0].label).toBe('worktrees/trading_engine');
    expect(git(root, ['rev-parse', 'service/trading_engine'])).toBe(branchBefore);
    expect(listUncommitted(trading)).toHaveLength(3);

    const [commit] = commitWipChanges(result.wip);

    expect(commit.previousHead).toBe(branchBefore);
    expect(git(root, ['rev-parse', 'service/trading_engine'])).toBe(commit.commit);
    expect(git(root, ['rev-parse', `${commit.commit}^`])).toBe(branchBefore);
    expect(listUncommitted(trading)).toEqual([]);
    const message = git(trading, ['log', '-1', '--format=%B']);
    expect(message).toContain('WIP: uncommitted work in worktrees/trading_engine saved before consolidation');
    expect(message).toContain('on service/trading_engine');
    expect(message).toContain(' M src/keep.ts');
    expect(message).toContain('D  src/old_name.ts');
    expect(message).toContain('?? src/deep/untracked.ts');
    expect(git(root, ['show', 'service/trading_engine:src/keep.ts'], { raw: true })).toBe('k2\n');
    expect(git(root, ['show', 'service/trading_engine:src/deep/untracked.ts'], { raw: true })).toBe(
      'export const u = 2;\n',
    );
    expect(git(root, ['ls-tree', '-r', '--name-only', 'service/trading_engine']).split('\n')).not.toContain(
      'src/old_name.ts',
    );
    expect(readFileSync(join(trading, 'src/deep/untracked.ts'), 'utf8')).toBe('export const u = 2;\n');
  });

  it('refuses non-empty targets and colliding names, accepting empty target folders', () => {
    buildLegacy(root);
    addServiceWorktree(root, 'neuralNetwork', 'service/neuralNetwork', [{ message: 'dup', files: { 'a.ts': '' } }]);
    writeFiles(root, { 'libs/services/neural-network/stale.ts': 'old\n' });
    mkdirSync(join(root, 'libs/services/trading-engine'), { recursive: true });
    mkdirSync(join(root, 'docs/services/x'), { recursive: true });
    writeFileSync(join(root, 'docs/services/x/README.md'), 'x');
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', 'leftovers']);

    const error = refusal(() => preflight(discoverWorktrees(root), { targetDirs: ['docs/services/x'] }));

    expect(error.problems.map((p) => [p.kind, p.subject, p.message])).toEqual([
      ['target-not-empty', 'libs/services/neural-network', 'target of worktrees/neuralNetwork exists and is not empty'],
      [
        'target-not-empty',
        'libs/services/neural-network',
        'target of worktrees/neural_network exists and is not empty',
      ],
      ['target-not-empty', 'docs/services/x', 'exists and is not empty'],
      [
        'name-collision',
        'neural-network',
        'worktrees/neuralNetwork and worktrees/neural_network would both become libs/services/neural-network',
      ],
    ]);
    expect(error.message).not.toContain('trading-engine');
  });

  it('marks services whose branch is already merged into main and skips their target check', () => {
    buildLegacy(root);
    git(root, [
      'merge',
      '-q',
      '--allow-unrelated-histories',
      '-s',
      'ours',
      '-m',
      'import nn',
      'service/neural_network',
    ]);
    writeFiles(root, { 'libs/services/neural-network/src/predictor.ts': 'export const v = 1;\n' });
    git(root, ['add', '-A']);
    git(root, ['commit', '-qm', 'moved']);
    const result = preflight(discoverWorktrees(root));
    expect(result.services.map((s) => [s.service.name, s.alreadyImported])).toEqual([
      ['neural-network', true],
      ['trading-engine', false],
    ]);
  });

  it('warns about a worktree whose folder is gone instead of failing', () => {
    const { neural } = buildLegacy(root);
    rmSync(neural, { recursive: true, force: true });
    const result = preflight(discoverWorktrees(root));
    expect(result.warnings).toEqual([
      'worktrees/neural_network: working tree is missing (gitdir file points to non-existent location); only its commits are used',
    ]);
  });
});
