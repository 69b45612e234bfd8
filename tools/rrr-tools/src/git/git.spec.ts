import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitIdentityArgs, git, gitResult, isAncestor, revParse, splitNul } from './git';
import { GitCommandError } from './git-command-error';
import { HermeticGit, commitAll, initRepo, useHermeticGit } from './testing/hermetic-git';

describe('git runner', () => {
  let env: HermeticGit;
  beforeEach(() => {
    env = useHermeticGit();
  });
  afterEach(() => env.dispose());

  it('returns stdout without the trailing newline', () => {
    const root = join(env.dir, 'repo');
    initRepo(root, { 'a.txt': 'a\n' });
    expect(git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])).toBe('main');
    expect(git(root, ['show', 'HEAD:a.txt'], { raw: true })).toBe('a\n');
  });

  it('throws an error naming the command, the exit code and stderr', () => {
    const root = join(env.dir, 'repo');
    initRepo(root, { 'a.txt': 'a\n' });
    let caught: unknown;
    try {
      git(root, ['rev-parse', '--verify', 'no-such-branch']);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GitCommandError);
    const error = caught as GitCommandError;
    expect(error.exitCode).toBe(128);
    expect(error.message).toContain('git rev-parse --verify no-such-branch');
    expect(error.message).toContain('exit code 128');
    expect(error.message).toContain('Needed a single revision');
    expect(error.cwd).toBe(root);
  });

  it('passes arguments verbatim, never through a shell', () => {
    const root = join(env.dir, 'repo with space');
    initRepo(root, {});
    const name = 'odd $(touch pwned) name;.txt';
    writeFileSync(join(root, name), 'x');
    commitAll(root, 'odd file');
    expect(splitNul(git(root, ['ls-files', '-z', '--', name]))).toEqual([name]);
    expect(git(root, ['log', '-1', '--format=%s'])).toBe('odd file');
  });

  it('feeds stdin, adds env and accepts listed exit codes as answers', () => {
    const root = join(env.dir, 'repo');
    initRepo(root, { 'a.txt': 'a\n' });
    const blob = git(root, ['hash-object', '--stdin'], { input: 'hello\n' });
    expect(blob).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
    expect(git(root, ['var', 'GIT_AUTHOR_IDENT'], { env: { GIT_AUTHOR_NAME: 'Other' } })).toMatch(/^Other </);
    expect(
      gitResult(root, ['diff', '--quiet', '--no-index', 'a.txt', '.gitignore'], { okExitCodes: [1] }).exitCode,
    ).toBe(1);
  });

  it('answers ancestry and revision questions', () => {
    const root = join(env.dir, 'repo');
    const first = initRepo(root, { 'a.txt': 'a\n' });
    mkdirSync(join(root, 'b'));
    writeFileSync(join(root, 'b', 'b.txt'), 'b');
    const second = commitAll(root, 'second');
    expect(isAncestor(root, first, second)).toBe(true);
    expect(isAncestor(root, second, first)).toBe(false);
    expect(revParse(root, 'main')).toBe(second);
    expect(revParse(root, 'missing')).toBeNull();
  });

  it('falls back to a tool identity only when none is configured', () => {
    const root = join(env.dir, 'repo');
    initRepo(root, {});
    expect(commitIdentityArgs(root)).toEqual([]);
    const saved = process.env['GIT_AUTHOR_EMAIL'];
    delete process.env['GIT_AUTHOR_EMAIL'];
    try {
      expect(commitIdentityArgs(root)).toEqual(['-c', 'user.name=rrr-tools', '-c', 'user.email=rrr-tools@localhost']);
    } finally {
      process.env['GIT_AUTHOR_EMAIL'] = saved;
    }
  });
});
