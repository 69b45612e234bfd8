import { logger, readProjectConfiguration } from '@nx/devkit';
import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { flushChanges, FsTree } from 'nx/src/generators/tree';
import { git } from '../../git';
import { useHermeticGit, type HermeticGit } from '../../git/testing/hermetic-git';
import { createLegacyFixture } from '../legacy-fixture/lib/create-legacy-fixture';
import { consolidateGenerator, normalizeOptions } from './consolidate';
import { PreflightError } from './lib/preflight';

/** Every file of the repository, .git included, hashed into one value. */
function repositoryHash(root: string): string {
  const hash = createHash('sha256');
  const visit = (rel: string): void => {
    for (const entry of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      const full = join(root, path);
      if (entry.isDirectory()) visit(path);
      else
        hash.update(
          `${path}\0${lstatSync(full).isSymbolicLink() ? readlinkSync(full) : readFileSync(full).toString('base64')}\0`,
        );
    }
  };
  visit('');
  return hash.digest('hex');
}

describe('consolidateGenerator', () => {
  let env: HermeticGit;
  let root: string;
  let messages: string[];

  beforeEach(() => {
    env = useHermeticGit('rrr-consolidate-');
    root = join(env.dir, 'legacy');
    // Two services (api_integration, risk_management), the second one dirty.
    createLegacyFixture({ directory: root, services: 2, filesPerService: 0 });
    for (const tree of ['', 'worktrees/api_integration', 'worktrees/risk_management'])
      git(join(root, tree), ['status', '-s']);
    messages = [];
    jest.spyOn(logger, 'info').mockImplementation((message) => void messages.push(String(message)));
    jest.spyOn(logger, 'warn').mockImplementation((message) => void messages.push(String(message)));
  });
  afterEach(() => {
    jest.restoreAllMocks();
    env.dispose();
  });

  it('reads --dry-run from NX_DRY_RUN, which `nx g` sets instead of passing the flag', () => {
    const saved = process.env['NX_DRY_RUN'];
    process.env['NX_DRY_RUN'] = 'true';
    try {
      expect(normalizeOptions({}).dryRun).toBe(true);
      expect(normalizeOptions({ dryRun: false }).dryRun).toBe(false);
    } finally {
      if (saved === undefined) delete process.env['NX_DRY_RUN'];
      else process.env['NX_DRY_RUN'] = saved;
    }
    expect(normalizeOptions({})).toMatchObject({
      worktreesDir: 'worktrees',
      servicesDir: 'libs/services',
      allowDirty: 'refuse',
    });
  });

  it('refuses a dirty worktree, listing its files, and changes nothing', async () => {
    const before = repositoryHash(root);
    const run = consolidateGenerator(new FsTree(root, false), { skipTypecheck: true });
    await expect(run).rejects.toThrow(PreflightError);
    await expect(consolidateGenerator(new FsTree(root, false), { skipTypecheck: true })).rejects.toThrow(
      /worktrees\/risk_management: has 2 uncommitted change\(s\)[\s\S]*\?\? src\/scratch_notes\.ts/,
    );
    expect(repositoryHash(root)).toBe(before);
  });

  it('prints the whole plan on a dry run and changes nothing on disk, git included', async () => {
    const before = repositoryHash(root);
    const tree = new FsTree(root, false);
    const task = await consolidateGenerator(tree, { allowDirty: 'commit', dryRun: true, skipTypecheck: true });
    expect(task).toBeUndefined();
    expect(tree.listChanges()).toEqual([]);
    const plan = messages.join('\n');
    expect(plan).toContain('2. Backup to ');
    expect(plan).toContain('WIP commit on service/risk_management (worktrees/risk_management) after the backup');
    expect(plan).toMatch(
      /worktrees\/api_integration \(service\/api_integration @ \w{12}\): \d+ files → libs\/services\/api-integration/,
    );
    expect(plan).toContain('--- MIGRATION_REPORT.md as the run would write it ---');
    expect(plan).toContain(
      '`worktrees/api_integration/src/rate_limit/tokenBucket.ts` → `worktrees/api_integration/src/rate-limit/token-bucket.ts`',
    );
    expect(repositoryHash(root)).toBe(before);
  });

  it('consolidates: renames committed on disk before the tree, the rewrite in its task, then nothing left to do', async () => {
    const tree = new FsTree(root, false);
    const task = await consolidateGenerator(tree, { allowDirty: 'commit', skipTypecheck: true });
    expect(readProjectConfiguration(tree, 'api-integration').tags).toEqual([
      'scope:service',
      'service:api-integration',
    ]);
    // The history import and the rename commit already ran on disk; the tree holds the rest until Nx flushes it.
    expect(git(root, ['log', '-2', '--format=%s']).split('\n')).toEqual([
      'chore(consolidate): rename to kebab-case, move tests to src/__tests__, config and docs out',
      'chore(consolidate): merge service/risk_management history into libs/services/risk-management',
    ]);
    expect(
      git(root, ['diff', '--name-status', '-M100%', 'HEAD~1', 'HEAD'])
        .split('\n')
        .every((line) => line.startsWith('R100')),
    ).toBe(true);
    expect(
      tree
        .listChanges()
        .some((change) => change.path === 'libs/services/api-integration/src/rate-limit/token-bucket.ts'),
    ).toBe(false);
    flushChanges(root, tree.listChanges());
    expect(task).toBeDefined();
    await task?.();
    expect(git(root, ['log', '-2', '--format=%s']).split('\n')).toEqual([
      'chore(consolidate): make 2 service libraries, rewrite imports, write registry and report',
      'chore(consolidate): rename to kebab-case, move tests to src/__tests__, config and docs out',
    ]);
    expect(git(root, ['status', '--porcelain'])).toBe('');
    expect(readFileSync(join(root, 'MIGRATION_REPORT.md'), 'utf8')).toContain('nx g @rrr/tools:rollback --backup ');
    expect(
      git(root, [
        'log',
        '--follow',
        '--format=%s',
        '--',
        'libs/services/api-integration/src/rate-limit/token-bucket.ts',
      ]),
    ).toContain('chore(consolidate): move worktrees/api_integration to libs/services/api-integration');

    const after = repositoryHash(root);
    messages = [];
    expect(
      await consolidateGenerator(new FsTree(root, false), { allowDirty: 'commit', skipTypecheck: true }),
    ).toBeUndefined();
    expect(messages.join('\n')).toContain(
      'Nothing to do: 2 worktree(s) under worktrees are consolidated in libs/services',
    );
    expect(repositoryHash(root)).toBe(after);
  });
});
