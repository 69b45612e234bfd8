import { existsSync } from 'node:fs';
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
import { importHistory } from './import-history';
import { removeWorktrees } from './remove-worktrees';

describe('removeWorktrees', () => {
  let env: HermeticGit;
  let root: string;
  beforeEach(() => {
    env = useHermeticGit();
    root = join(env.dir, 'legacy');
    initRepo(root, { 'README.md': '# legacy\n' });
    for (const folder of ['backtesting', 'monitoring', 'risk_management']) {
      addServiceWorktree(root, folder, `service/${folder}`, [
        { message: `${folder}: scaffold`, files: { '.gitignore': 'dist/\n', 'src/index.ts': 'export {};\n' } },
      ]);
    }
  });
  afterEach(() => env.dispose());

  it('removes nothing unless told to', () => {
    importHistory(discoverWorktrees(root));
    const result = removeWorktrees(discoverWorktrees(root), { removeWorktrees: false });
    expect(result.pruned).toBe(false);
    expect(result.worktrees.every((w) => !w.removed && w.reason === 'removeWorktrees is false')).toBe(true);
    expect(discoverWorktrees(root).services).toHaveLength(3);
  });

  it('removes merged clean worktrees and keeps dirty, locked or unmerged ones', () => {
    importHistory(discoverWorktrees(root));
    const monitoring = join(root, 'worktrees/monitoring');
    writeFiles(monitoring, { 'src/draft.ts': 'export const d = 1;\n' });
    git(root, ['worktree', 'lock', '--reason', 'in use', join(root, 'worktrees/risk_management')]);
    const backtesting = join(root, 'worktrees/backtesting');
    writeFiles(backtesting, { 'dist/index.js': 'built\n' });

    const dry = removeWorktrees(discoverWorktrees(root), { removeWorktrees: true, dryRun: true });
    expect(dry.worktrees.map((w) => [w.worktree, w.removed, w.reason])).toEqual([
      ['worktrees/backtesting', false, 'would be removed (dry run)'],
      ['worktrees/monitoring', false, 'has uncommitted changes or untracked files: ?? src/draft.ts'],
      ['worktrees/risk_management', false, 'locked (in use); unlock it to remove'],
    ]);
    expect(existsSync(backtesting)).toBe(true);

    const result = removeWorktrees(discoverWorktrees(root), { removeWorktrees: true });
    expect(result.worktrees.map((w) => [w.worktree, w.removed])).toEqual([
      ['worktrees/backtesting', true],
      ['worktrees/monitoring', false],
      ['worktrees/risk_management', false],
    ]);
    expect(result.pruned).toBe(true);
    expect(existsSync(backtesting)).toBe(false);
    expect(discoverWorktrees(root).services.map((s) => s.folder)).toEqual(['monitoring', 'risk_management']);
    expect(git(root, ['rev-parse', '--verify', '-q', 'service/backtesting'])).toMatch(/^[0-9a-f]{40}$/);
  });

  it('keeps a worktree whose HEAD is not merged into main', () => {
    const result = removeWorktrees(discoverWorktrees(root), { removeWorktrees: true });
    expect(result.worktrees.map((w) => w.reason)).toEqual([
      'its HEAD is not merged into main',
      'its HEAD is not merged into main',
      'its HEAD is not merged into main',
    ]);
  });
});
