import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFiles } from '../../../git/testing/hermetic-git';
import { measureWorktree } from './measure-worktree';

describe('measureWorktree', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-measure-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts every file but .git, and what is dependencies, lockfile or build output', () => {
    writeFiles(dir, {
      '.git': 'gitdir: /elsewhere\n',
      'src/index.ts': '12345',
      'package-lock.json': '123',
      'node_modules/a/index.js': '1234567',
      'node_modules/a/package.json': '12',
      'dist/index.js': '1',
      'docs/dist/note.md': '123456',
    });
    expect(measureWorktree(dir)).toEqual({
      total: { files: 6, bytes: 24 },
      leftBehind: {
        files: 4,
        bytes: 13,
        byReason: {
          lockfile: { files: 1, bytes: 3 },
          dependencies: { files: 2, bytes: 9 },
          'build-output': { files: 1, bytes: 1 },
        },
      },
    });
  });

  it('measures nothing for a worktree that is gone', () => {
    expect(measureWorktree(join(dir, 'missing')).total).toEqual({ files: 0, bytes: 0 });
  });
});
