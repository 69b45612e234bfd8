import { logger } from '@nx/devkit';
import { existsSync, readFileSync } from 'node:fs';
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
import { finishConsolidation, type FinishConsolidationOptions } from './finish-consolidation';
import { importHistory } from './import-history';

// noLib with the few global types the checker needs: real lib.d.ts files would take seconds to check.
const GLOBALS = [
  'Array<T> { length: number }',
  'Boolean',
  'CallableFunction',
  'Function',
  'IArguments',
  'NewableFunction',
  'Number',
  'Object',
  'RegExp',
  'String',
]
  .map((name) => `interface ${name}${name.includes('{') ? '' : ' {}'}`)
  .join('\n');
const CONFIG = JSON.stringify({
  compilerOptions: { strict: true, noLib: true, types: [], module: 'commonjs' },
  include: ['src/**/*.ts', '../../../globals.d.ts'],
});

describe('finishConsolidation', () => {
  let env: HermeticGit;
  let root: string;
  const options = (overrides: Partial<FinishConsolidationOptions>): FinishConsolidationOptions => ({
    libraries: ['libs/services/nn'],
    changedPaths: [
      'MIGRATION_REPORT.md',
      'globals.d.ts',
      'libs/services/nn/tsconfig.lib.json',
      'libs/services/nn/tsconfig.spec.json',
    ],
    backupPath: 'backups/1',
    services: 1,
    skipTypecheck: false,
    removeWorktrees: true,
    worktreesDir: 'worktrees',
    ...overrides,
  });

  beforeEach(() => {
    env = useHermeticGit();
    root = join(env.dir, 'repo');
    initRepo(root, { 'README.md': '# repo\n' });
    addServiceWorktree(root, 'nn', 'service/nn', [
      { message: 'nn', files: { 'src/index.ts': 'export const v: number = 1;\n' } },
    ]);
    importHistory(discoverWorktrees(root));
    // What the flushed tree left: library configs and the report.
    writeFiles(root, {
      'globals.d.ts': GLOBALS,
      'libs/services/nn/tsconfig.lib.json': CONFIG,
      'libs/services/nn/tsconfig.spec.json': CONFIG,
      'MIGRATION_REPORT.md': '# Migration report\n',
    });
    jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    jest.spyOn(logger, 'warn').mockImplementation(() => undefined);
    jest.spyOn(logger, 'error').mockImplementation(() => undefined);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    env.dispose();
  });

  it('typechecks, records the result in the report, commits, then removes the merged clean worktrees', async () => {
    const finished = await finishConsolidation(root, options({}));
    expect(finished.typecheck?.problems).toEqual([]);
    expect(finished.typecheck?.configs).toEqual([
      'libs/services/nn/tsconfig.lib.json',
      'libs/services/nn/tsconfig.spec.json',
    ]);
    expect(readFileSync(join(root, 'MIGRATION_REPORT.md'), 'utf8')).toContain(
      '## Typecheck\n\n2 tsconfig(s) checked in',
    );
    expect(git(root, ['show', '--format=', '--name-only', 'HEAD']).split('\n')).toContain('MIGRATION_REPORT.md');
    expect(finished.removal?.worktrees).toEqual([expect.objectContaining({ worktree: 'worktrees/nn', removed: true })]);
    expect(existsSync(join(root, 'worktrees/nn'))).toBe(false);
    expect(git(root, ['status', '--porcelain'])).toBe('');
  });

  it('fails after committing when the libraries do not typecheck, and keeps the worktrees', async () => {
    writeFiles(root, { 'libs/services/nn/src/index.ts': "export const v: number = 'one';\n" });
    await expect(
      finishConsolidation(
        root,
        options({ changedPaths: [...options({}).changedPaths, 'libs/services/nn/src/index.ts'] }),
      ),
    ).rejects.toThrow(
      'The consolidated libraries have 1 type error(s) (listed in MIGRATION_REPORT.md); worktrees were kept. Fix them, or roll back with: nx g @rrr/tools:rollback --backup backups/1',
    );
    expect(readFileSync(join(root, 'MIGRATION_REPORT.md'), 'utf8')).toContain(
      "- `libs/services/nn/src/index.ts:1` TS2322: Type 'string' is not assignable to type 'number'.",
    );
    expect(git(root, ['log', '-1', '--format=%s'])).toBe(
      'chore(consolidate): make 1 service libraries, rewrite imports, write registry and report',
    );
    expect(existsSync(join(root, 'worktrees/nn'))).toBe(true);
  });

  it('never removes worktrees when the typecheck was skipped', async () => {
    const finished = await finishConsolidation(root, options({ skipTypecheck: true }));
    expect(finished.typecheck).toBeUndefined();
    expect(finished.removal).toBeUndefined();
    expect(existsSync(join(root, 'worktrees/nn'))).toBe(true);
    expect(readFileSync(join(root, 'MIGRATION_REPORT.md'), 'utf8')).toBe('# Migration report\n');
  });
});
