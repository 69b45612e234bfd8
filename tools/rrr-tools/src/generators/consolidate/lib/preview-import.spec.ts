import { join } from 'node:path';
import { git } from '../../../git';
import {
  addServiceWorktree,
  initRepo,
  useHermeticGit,
  writeFiles,
  type HermeticGit,
} from '../../../git/testing/hermetic-git';
import { discoverWorktrees } from './discover-worktrees';
import { importHistory } from './import-history';
import { preflight } from './preflight';
import { previewImport } from './preview-import';

describe('previewImport', () => {
  let env: HermeticGit;
  let root: string;
  beforeEach(() => {
    env = useHermeticGit();
    root = join(env.dir, 'legacy');
    initRepo(root, { 'src/core/types.ts': 'export type Side = "buy" | "sell";\n' });
    const nn = addServiceWorktree(root, 'neural_network', 'service/neural_network', [
      {
        message: 'nn',
        files: { 'src/predictor.ts': 'export const v = 1;\n', 'src/old.ts': 'old\n', 'logo.png': '\u0000\u00ff' },
      },
    ]);
    writeFiles(nn, { 'src/predictor.ts': 'export const v = 2;\n', 'src/scratch.ts': 'export const s = 1;\n' });
    git(nn, ['rm', '-q', 'src/old.ts']);
  });
  afterEach(() => env.dispose());

  it('shows the files at their targets as the import and the planned WIP commit would, writing nothing', () => {
    const discovered = discoverWorktrees(root);
    const pre = preflight(discovered, { allowDirty: 'commit' });
    const plan = importHistory(discovered, { dryRun: true });
    const head = git(root, ['rev-parse', 'HEAD']);
    const preview = previewImport(
      root,
      plan,
      pre.wip,
      new Map(discovered.services.map((s) => [s.relativePath, s.path])),
    );

    expect(preview.services).toEqual([
      {
        name: 'neural-network',
        target: 'libs/services/neural-network',
        files: ['logo.png', 'src/predictor.ts', 'src/scratch.ts'],
      },
    ]);
    expect(preview.tree.read('libs/services/neural-network/src/predictor.ts', 'utf-8')).toBe('export const v = 2;\n');
    expect(preview.tree.read('libs/services/neural-network/logo.png')).toEqual(Buffer.from('\u0000\u00ff'));
    expect(preview.tree.exists('libs/services/neural-network/src/old.ts')).toBe(false);
    // The scratch tree reads the disk for everything else.
    expect(preview.tree.read('src/core/types.ts', 'utf-8')).toBe('export type Side = "buy" | "sell";\n');
    expect(git(root, ['rev-parse', 'HEAD'])).toBe(head);
    expect(git(root, ['status', '--porcelain'])).toBe('');
  });
});
