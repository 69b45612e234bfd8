import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../../../git';
import {
  HermeticGit,
  addServiceWorktree,
  commitAll,
  initRepo,
  useHermeticGit,
  writeFiles,
} from '../../../git/testing/hermetic-git';
import { discoverWorktrees } from './discover-worktrees';
import { importHistory } from './import-history';
import { listUncommitted } from './preflight';

function buildLegacy(root: string): void {
  initRepo(root, { 'src/core/types.ts': 'export type Side = "buy" | "sell";\n' });
  const neural = addServiceWorktree(root, 'neural_network', 'service/neural_network', [
    {
      message: 'nn: scaffold package',
      files: { 'package.json': '{"name":"nn"}\n', 'src/predictor.ts': 'export const v = 1;\n' },
    },
    {
      message: 'nn: tune threshold',
      files: { 'src/predictor.ts': 'export const v = 1;\nexport const threshold = 0.2;\n' },
    },
    { message: 'nn: add predictor_v2', files: { 'src/predictor_v2.ts': 'export const v = 2;\n' } },
  ]);
  git(neural, ['mv', 'src/predictor_v2.ts', 'src/predictorV2.ts']);
  git(neural, ['commit', '-qm', 'nn: camelCase the v2 file']);
  writeFiles(neural, { 'src/predictorV2.ts': 'export const v = 2;\nexport const better = true;\n' });
  commitAll(neural, 'nn: v2 is better');
  addServiceWorktree(root, 'dataPipeline', 'service/dataPipeline', [
    { message: 'dp: scaffold', files: { 'package.json': '{"name":"dp"}\n', 'src/source.ts': 'export const s = 1;\n' } },
    { message: 'dp: aggregator', files: { 'src/bar_aggregator.ts': 'export const a = 1;\n' } },
  ]);
}

const subjects = (root: string, path: string): string[] =>
  git(root, ['log', '--follow', '--format=%s', '--', path]).split('\n');

describe('importHistory', () => {
  let env: HermeticGit;
  let root: string;
  beforeEach(() => {
    env = useHermeticGit();
    root = join(env.dir, 'legacy');
    buildLegacy(root);
  });
  afterEach(() => env.dispose());

  it('lands each branch under libs/services/<name> with its history reachable by git log --follow', () => {
    const branchesBefore = git(root, ['for-each-ref', 'refs/heads/service']);
    const mainBefore = git(root, ['rev-parse', 'HEAD']);

    const result = importHistory(discoverWorktrees(root));

    expect(result.mainBefore).toBe(mainBefore);
    expect(git(root, ['rev-parse', 'HEAD'])).toBe(result.mainAfter);
    expect(git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(result.services.map((s) => [s.worktree, s.target, s.files, s.skipped])).toEqual([
      ['worktrees/dataPipeline', 'libs/services/data-pipeline', 3, undefined],
      ['worktrees/neural_network', 'libs/services/neural-network', 3, undefined],
    ]);
    expect(subjects(root, 'libs/services/neural-network/src/predictor.ts')).toEqual([
      'chore(consolidate): move worktrees/neural_network to libs/services/neural-network',
      'nn: tune threshold',
      'nn: scaffold package',
    ]);
    // Follows the in-worktree rename too.
    expect(subjects(root, 'libs/services/neural-network/src/predictorV2.ts')).toEqual([
      'chore(consolidate): move worktrees/neural_network to libs/services/neural-network',
      'nn: v2 is better',
      'nn: camelCase the v2 file',
      'nn: add predictor_v2',
    ]);
    expect(subjects(root, 'libs/services/data-pipeline/src/bar_aggregator.ts')).toEqual([
      'chore(consolidate): move worktrees/dataPipeline to libs/services/data-pipeline',
      'dp: aggregator',
    ]);

    // The move commit is a pure move: every path an exact rename, parent = the branch tip, branch untouched.
    const nn = result.services[1];
    expect(git(root, ['rev-parse', `${nn.moveCommit}^`])).toBe(git(root, ['rev-parse', 'service/neural_network']));
    expect(
      git(root, ['diff', '--name-status', '-M100%', `${nn.moveCommit}^`, nn.moveCommit as string]).split('\n'),
    ).toEqual([
      'R100\tpackage.json\tlibs/services/neural-network/package.json',
      'R100\tsrc/predictor.ts\tlibs/services/neural-network/src/predictor.ts',
      'R100\tsrc/predictorV2.ts\tlibs/services/neural-network/src/predictorV2.ts',
    ]);
    expect(git(root, ['rev-list', '--parents', '-1', nn.mergeCommit as string]).split(' ')).toEqual([
      nn.mergeCommit,
      result.services[0].mergeCommit,
      nn.moveCommit,
    ]);
    expect(git(root, ['for-each-ref', 'refs/heads/service'])).toBe(branchesBefore);

    // Main keeps its own files, gets the service files checked out, and is clean.
    expect(readFileSync(join(root, 'libs/services/neural-network/src/predictorV2.ts'), 'utf8')).toBe(
      'export const v = 2;\nexport const better = true;\n',
    );
    expect(readFileSync(join(root, 'src/core/types.ts'), 'utf8')).toBe('export type Side = "buy" | "sell";\n');
    expect(listUncommitted(root, ['worktrees'])).toEqual([]);
  });

  it('skips services already merged, so a second run changes nothing', () => {
    const first = importHistory(discoverWorktrees(root));
    const second = importHistory(discoverWorktrees(root));
    expect(second.mainAfter).toBe(first.mainAfter);
    expect(second.services.map((s) => s.skipped)).toEqual(['already-imported', 'already-imported']);
  });

  it('imports a commit made after discovery (a WIP commit) rather than the stale HEAD', () => {
    const discovered = discoverWorktrees(root);
    const neural = join(root, 'worktrees/neural_network');
    writeFiles(neural, { 'src/wip.ts': 'export const wip = true;\n' });
    commitAll(neural, 'WIP: uncommitted work');
    importHistory(discovered);
    expect(subjects(root, 'libs/services/neural-network/src/wip.ts')[1]).toBe('WIP: uncommitted work');
  });

  it('plans in a dry run without writing objects, refs or files', () => {
    const objectsBefore = git(root, ['count-objects']);
    const result = importHistory(discoverWorktrees(root), { dryRun: true, servicesDir: 'packages/' });
    expect(result.mainAfter).toBe(result.mainBefore);
    expect(result.services.map((s) => [s.target, s.files, s.moveCommit])).toEqual([
      ['packages/data-pipeline', 3, null],
      ['packages/neural-network', 3, null],
    ]);
    expect(git(root, ['count-objects'])).toBe(objectsBefore);
    expect(git(root, ['rev-parse', 'HEAD'])).toBe(result.mainBefore);
  });

  it('refuses to import over a path main already has', () => {
    writeFiles(root, { 'libs/services/neural-network/README.md': 'taken\n' });
    commitAll(root, 'occupy the target');
    const mainBefore = git(root, ['rev-parse', 'HEAD']);
    expect(() => importHistory(discoverWorktrees(root))).toThrow(
      /libs\/services\/neural-network already exists in main .*cannot import worktrees\/neural_network/,
    );
    expect(git(root, ['rev-parse', 'HEAD'])).toBe(mainBefore);
  });
});
