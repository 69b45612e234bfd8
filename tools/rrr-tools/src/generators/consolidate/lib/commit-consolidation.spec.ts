import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git } from '../../../git';
import { initRepo, useHermeticGit, writeFiles, type HermeticGit } from '../../../git/testing/hermetic-git';
import { commitChanges, commitChangesAlongside, commitRenames } from './commit-consolidation';

describe('commit-consolidation', () => {
  let env: HermeticGit;
  let root: string;
  beforeEach(() => {
    env = useHermeticGit();
    root = join(env.dir, 'repo');
    initRepo(root, {
      'libs/nn/src/predictor_v2.ts': 'export const v = 2;\n',
      'libs/nn/tests/predictor.test.ts': "import { v } from '../src/predictor_v2';\n",
      'libs/nn/package.json': '{"name":"nn"}\n',
    });
  });
  afterEach(() => env.dispose());

  describe('commitRenames', () => {
    it('commits the renames alone and moves the files on disk', () => {
      const before = git(root, ['rev-parse', 'HEAD']);
      const result = commitRenames(
        root,
        [
          ['libs/nn/src/predictor_v2.ts', 'libs/nn/src/predictor-v2.ts'],
          ['libs/nn/tests/predictor.test.ts', 'libs/nn/src/__tests__/predictor.test.ts'],
          ['never/tracked.ts', 'somewhere/else.ts'],
        ],
        'renames\n',
      );
      expect(result).toEqual({ before, commit: git(root, ['rev-parse', 'HEAD']), branch: 'main' });
      expect(git(root, ['diff', '--name-status', '-M100%', before, 'HEAD']).split('\n').sort()).toEqual([
        'R100\tlibs/nn/src/predictor_v2.ts\tlibs/nn/src/predictor-v2.ts',
        'R100\tlibs/nn/tests/predictor.test.ts\tlibs/nn/src/__tests__/predictor.test.ts',
      ]);
      expect(readFileSync(join(root, 'libs/nn/src/predictor-v2.ts'), 'utf8')).toBe('export const v = 2;\n');
      expect(existsSync(join(root, 'libs/nn/src/predictor_v2.ts'))).toBe(false);
      expect(git(root, ['status', '--porcelain'])).toBe('');
    });

    it('skips what an earlier run already renamed, and makes no commit when nothing is left', () => {
      commitRenames(root, [['libs/nn/src/predictor_v2.ts', 'libs/nn/src/predictor-v2.ts']], 'renames\n');
      const head = git(root, ['rev-parse', 'HEAD']);
      expect(
        commitRenames(root, [['libs/nn/src/predictor_v2.ts', 'libs/nn/src/predictor-v2.ts']], 'again\n'),
      ).toBeNull();
      expect(git(root, ['rev-parse', 'HEAD'])).toBe(head);
    });
  });

  describe('commitChanges', () => {
    it('commits exactly the given paths as they are on disk and leaves them clean', () => {
      const before = git(root, ['rev-parse', 'HEAD']);
      // What the Nx tree flush leaves on disk: a rewritten file, a deletion, a new file; and a stray file of the user's.
      writeFileSync(join(root, 'libs/nn/tests/predictor.test.ts'), "import { v } from '../src/predictor-v2';\n");
      rmSync(join(root, 'libs/nn/package.json'));
      writeFiles(root, {
        'libs/nn/project.json': '{"name":"nn","projectType":"library"}\n',
        'notes-of-the-user.txt': 'mine\n',
      });

      const result = commitChanges(
        root,
        [
          'libs/nn/tests/predictor.test.ts',
          'libs/nn/package.json',
          'libs/nn/project.json',
          'gone/and/never/tracked.ts',
        ],
        'rewrite\n',
      );
      expect(result.before).toBe(before);
      expect(git(root, ['rev-parse', 'HEAD'])).toBe(result.commit);
      expect(git(root, ['log', '-1', '--format=%s'])).toBe('rewrite');
      expect(git(root, ['diff', '--name-status', '--no-renames', before, 'HEAD']).split('\n')).toEqual([
        'D\tlibs/nn/package.json',
        'A\tlibs/nn/project.json',
        'M\tlibs/nn/tests/predictor.test.ts',
      ]);
      expect(git(root, ['status', '--porcelain'])).toBe('?? notes-of-the-user.txt');
    });
  });

  describe('commitChangesAlongside', () => {
    it('commits what commitChanges would, with the late paths as work left them', async () => {
      const before = git(root, ['rev-parse', 'HEAD']);
      writeFileSync(join(root, 'libs/nn/tests/predictor.test.ts'), "import { v } from '../src/predictor-v2';\n");
      rmSync(join(root, 'libs/nn/package.json'));
      writeFiles(root, { 'REPORT.md': '# Report\n' });

      const { commit, result } = await commitChangesAlongside(
        root,
        { paths: ['libs/nn/tests/predictor.test.ts', 'libs/nn/package.json', 'REPORT.md'], latePaths: ['REPORT.md'] },
        'rewrite\n',
        () => {
          writeFiles(root, { 'REPORT.md': '# Report\n\n## Typecheck\n' });
          return 42;
        },
      );

      expect(result).toBe(42);
      expect(commit.before).toBe(before);
      expect(git(root, ['rev-parse', 'HEAD'])).toBe(commit.commit);
      expect(git(root, ['diff', '--name-status', '--no-renames', before, 'HEAD']).split('\n')).toEqual([
        'A\tREPORT.md',
        'D\tlibs/nn/package.json',
        'M\tlibs/nn/tests/predictor.test.ts',
      ]);
      expect(git(root, ['show', 'HEAD:REPORT.md'])).toBe('# Report\n\n## Typecheck');
      expect(git(root, ['status', '--porcelain'])).toBe('');
    });

    it('commits nothing when work throws', async () => {
      const before = git(root, ['rev-parse', 'HEAD']);
      writeFiles(root, { 'libs/nn/project.json': '{}\n' });
      await expect(
        commitChangesAlongside(root, { paths: ['libs/nn/project.json'], latePaths: [] }, 'x\n', () => {
          throw new Error('typecheck crashed');
        }),
      ).rejects.toThrow('typecheck crashed');
      expect(git(root, ['rev-parse', 'HEAD'])).toBe(before);
    });
  });
});
