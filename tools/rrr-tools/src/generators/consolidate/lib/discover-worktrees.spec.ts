import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../../../git';
import { HermeticGit, addServiceWorktree, initRepo, useHermeticGit } from '../../../git/testing/hermetic-git';
import { discoverWorktrees, parseWorktreeList, serviceNameFromFolder } from './discover-worktrees';

describe('parseWorktreeList', () => {
  it('reads every attribute of the porcelain -z format', () => {
    const z = [
      'worktree /repo',
      'HEAD 1111111111111111111111111111111111111111',
      'branch refs/heads/main',
      '',
      'worktree /repo/worktrees/neural_network',
      'HEAD 2222222222222222222222222222222222222222',
      'branch refs/heads/service/neural_network',
      'locked moved to\nan external disk',
      '',
      'worktree /repo/worktrees/old',
      'HEAD 3333333333333333333333333333333333333333',
      'detached',
      'prunable gitdir file points to non-existent location',
      '',
      'worktree /elsewhere/bare.git',
      'bare',
      '',
    ].join('\0');
    expect(parseWorktreeList(z)).toEqual([
      {
        path: '/repo',
        head: '1'.repeat(40),
        branch: 'main',
        bare: false,
        detached: false,
        locked: false,
        prunable: false,
      },
      {
        path: '/repo/worktrees/neural_network',
        head: '2'.repeat(40),
        branch: 'service/neural_network',
        bare: false,
        detached: false,
        locked: true,
        lockReason: 'moved to\nan external disk',
        prunable: false,
      },
      {
        path: '/repo/worktrees/old',
        head: '3'.repeat(40),
        branch: null,
        bare: false,
        detached: true,
        locked: false,
        prunable: true,
        prunableReason: 'gitdir file points to non-existent location',
      },
      {
        path: '/elsewhere/bare.git',
        head: null,
        branch: null,
        bare: true,
        detached: false,
        locked: false,
        prunable: false,
      },
    ]);
  });
});

describe('serviceNameFromFolder', () => {
  it.each([
    ['neural_network', 'neural-network'],
    ['dataPipeline', 'data-pipeline'],
    ['TradingEngine', 'trading-engine'],
    ['risk-management', 'risk-management'],
    ['API_Integration', 'api-integration'],
    ['HTTPClient2', 'http-client2'],
    ['backtesting', 'backtesting'],
  ])('%s → %s', (folder, name) => {
    expect(serviceNameFromFolder(folder)).toBe(name);
  });
});

describe('discoverWorktrees', () => {
  let env: HermeticGit;
  beforeEach(() => {
    env = useHermeticGit();
  });
  afterEach(() => env.dispose());

  it('keeps worktrees under worktreesDir as services with their state', () => {
    const root = join(env.dir, 'legacy');
    const mainHead = initRepo(root, { 'src/core/types.ts': 'export type Side = "buy";\n' });
    addServiceWorktree(root, 'neural_network', 'service/neural_network', [
      { message: 'nn: scaffold', files: { 'package.json': '{}\n' } },
    ]);
    addServiceWorktree(root, 'dataPipeline', 'service/dataPipeline', [
      { message: 'dp: scaffold', files: { 'package.json': '{}\n' } },
    ]);
    git(root, ['worktree', 'lock', '--reason', 'on a laptop', join(root, 'worktrees', 'dataPipeline')]);
    git(root, ['worktree', 'add', '-q', '--detach', join(env.dir, 'outside'), 'main']);
    const gone = join(root, 'worktrees', 'gone');
    git(root, ['worktree', 'add', '-q', '--detach', gone, 'main']);
    rmSync(gone, { recursive: true, force: true });

    const found = discoverWorktrees(join(root, 'worktrees', 'neural_network'));

    expect(found.root).toBe(root);
    expect(found.main).toMatchObject({ path: root, branch: 'main', head: mainHead, detached: false });
    expect(found.services.map((s) => [s.folder, s.name, s.relativePath, s.branch])).toEqual([
      ['dataPipeline', 'data-pipeline', 'worktrees/dataPipeline', 'service/dataPipeline'],
      ['gone', 'gone', 'worktrees/gone', null],
      ['neural_network', 'neural-network', 'worktrees/neural_network', 'service/neural_network'],
    ]);
    const [dataPipeline, goneWorktree, neural] = found.services;
    expect(dataPipeline).toMatchObject({ locked: true, lockReason: 'on a laptop', prunable: false });
    expect(goneWorktree).toMatchObject({ detached: true, prunable: true, head: mainHead });
    expect(neural.head).toBe(git(root, ['rev-parse', 'service/neural_network']));
    expect(found.others.map((w) => w.path)).toEqual([join(env.dir, 'outside')]);
  });

  it('honours a custom worktreesDir', () => {
    const root = join(env.dir, 'legacy');
    initRepo(root, {});
    addServiceWorktree(root, 'monitoring', 'service/monitoring', [{ message: 'm', files: { 'a.ts': '' } }]);
    const found = discoverWorktrees(root, { worktreesDir: 'services/' });
    expect(found.services).toEqual([]);
    expect(found.others).toHaveLength(1);
    expect(found.worktreesDir).toBe('services');
  });
});
