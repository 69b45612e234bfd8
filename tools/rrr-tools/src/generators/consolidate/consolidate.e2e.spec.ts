import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { git } from '../../git';
import { useHermeticGit, type HermeticGit } from '../../git/testing/hermetic-git';
import { installPlugin, nxRunner, WORKSPACE_MODULES } from '../../testing/nx-cli';
import { createLegacyFixture, type LegacyFixtureSummary } from '../legacy-fixture/lib/create-legacy-fixture';
import { readServiceRegistry } from './lib/write-service-registry';

/**
 * The real thing: a legacy repository of 8 worktrees (default fixture size, one worktree dirty) consolidated by
 * `nx g @rrr/tools:consolidate` run through the Nx CLI in that repository, then checked with tsc, jest and git,
 * run a second time, and rolled back. The steps share one repository, so they run in order.
 *
 * The plugin is installed the way `npm i -D file:<path>` would: node_modules/@rrr/tools is a symlink to this
 * project, next to symlinks to every package of this workspace's node_modules. Nx loads the TypeScript
 * sources through its plugin transpiler. Nx's own workspace data and cache go to a temp folder, so the
 * repository hashes below see only what the generators do.
 */
jest.setTimeout(60_000);

const TSC_BIN = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');
const JEST_BIN = join(dirname(require.resolve('jest/package.json')), 'bin/jest.js');

/** Every file below `base` (symlinks as their target text, never followed) → sha256 and mode. */
function fileHashes(base: string, skip: (path: string) => boolean): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (rel: string): void => {
    for (const entry of readdirSync(join(base, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (skip(path)) continue;
      const full = join(base, path);
      if (entry.isDirectory()) {
        visit(path);
        continue;
      }
      const stat = lstatSync(full);
      const content = stat.isSymbolicLink() ? `link:${readlinkSync(full)}` : readFileSync(full);
      out[path] = `${(stat.mode & 0o777).toString(8)} ${createHash('sha256').update(content).digest('hex')}`;
    }
  };
  visit('');
  return out;
}

/** One hash of the whole repository, .git included (node_modules are symlinks: hashed as links). */
function repositoryHash(root: string): string {
  const hashes = fileHashes(root, (path) => path.startsWith('node_modules/'));
  return createHash('sha256').update(JSON.stringify(hashes)).digest('hex');
}

/** What a rollback must bring back: branch heads, HEADs, git status and every file of main and the worktrees. */
function legacyState(root: string, fixture: LegacyFixtureSummary) {
  const trees = ['', ...fixture.services.map((s) => `worktrees/${s.folder}`)];
  return {
    refs: git(root, ['for-each-ref', '--format=%(objectname) %(refname)']),
    trees: trees.map((tree) => {
      const base = join(root, tree);
      return {
        tree,
        head: git(base, ['rev-parse', 'HEAD']),
        branch: git(base, ['symbolic-ref', '--short', 'HEAD']),
        // The backups folder is new (the legacy .gitignore does not know it) and is meant to stay.
        status: git(base, ['status', '--porcelain=v1', '--untracked-files=all', '--', '.', ':!backups']),
        files: fileHashes(
          base,
          (path) =>
            path === '.git' ||
            path === 'node_modules' ||
            path.startsWith('node_modules/') ||
            (tree === '' && (path === 'worktrees' || path === 'backups')),
        ),
      };
    }),
  };
}

describe('nx g @rrr/tools:consolidate on the legacy fixture (e2e)', () => {
  let env: HermeticGit;
  let root: string;
  let nxData: string;
  let fixture: LegacyFixtureSummary;
  let before: ReturnType<typeof legacyState>;
  let dirtyWorktree: { modified: string; untracked: string };
  let nx: ReturnType<typeof nxRunner>;

  beforeAll(() => {
    env = useHermeticGit('rrr-consolidate-e2e-');
    root = join(env.dir, 'legacy');
    nxData = join(env.dir, 'nx');
    fixture = createLegacyFixture({ directory: root });
    installPlugin(root);
    nx = nxRunner(root, nxData);
    // Settle the index files' stat data, so the hashes compare content rather than git's caches.
    for (const tree of ['', ...fixture.services.map((s) => `worktrees/${s.folder}`)])
      git(join(root, tree), ['status', '-s']);
    before = legacyState(root, fixture);
    const dirty = join(root, fixture.dirtyWorktree);
    dirtyWorktree = {
      modified: readFileSync(join(dirty, 'src/portfolio/position-tracker.ts'), 'utf8'),
      untracked: readFileSync(join(dirty, 'src/execution/slippage_model.ts'), 'utf8'),
    };
  });

  afterAll(() => env.dispose());

  it('--dry-run prints the full plan and changes nothing on disk, git included', () => {
    const hash = repositoryHash(root);
    const run = nx('g', '@rrr/tools:consolidate', '--allowDirty=commit', '--dry-run');
    expect(run.output).toContain('dry run: nothing on disk changes, git included');
    expect(run.status).toBe(0);
    expect(run.output).toContain(
      'WIP commit on service/trading_engine (worktrees/trading_engine) after the backup: M src/portfolio/position-tracker.ts, ?? src/execution/slippage_model.ts',
    );
    expect(run.output).toMatch(
      /worktrees\/neural_network \(service\/neural_network @ \w+\): \d+ files → libs\/services\/neural-network/,
    );
    expect(run.output).toContain(
      '`worktrees/neural_network/src/models/predictor_v2.ts` → `worktrees/neural_network/src/models/predictor-v2.ts`',
    );
    expect(run.output).toContain('`predictor` in `libs/services/neural-network/src/models`');
    expect(repositoryHash(root)).toBe(hash);
  });

  it('consolidates with history, rewritten imports, a registry and a clean typecheck', () => {
    const run = nx('g', '@rrr/tools:consolidate', '--allowDirty=commit');
    expect(run.output).toContain('Typecheck of 18 tsconfig(s): no errors');
    expect(run.status).toBe(0);
    expect(git(root, ['status', '--porcelain'])).toBe('');
    expect(git(root, ['log', '-2', '--format=%s'])).toMatch(
      /^chore\(consolidate\): make 8 service libraries.*\nchore\(consolidate\): rename to kebab-case, move tests/,
    );

    const engine = readFileSync(join(root, 'libs/services/backtesting/src/engine/backtest-engine.ts'), 'utf8');
    expect(engine).toContain("import { validateBar } from '@rrr/data-pipeline';");
    expect(engine).toContain("export type PredictorModule = typeof import('@rrr/neural-network');");
    const registry = readFileSync(join(root, 'apps/platform/src/boot/service-dependencies.ts'), 'utf8');
    expect(registry).toContain("'trading-engine': ['api-integration', 'risk-management'],");
    expect(registry).toContain(
      "backtesting: ['neural-network', 'risk-management', 'data-pipeline', 'trading-engine'],",
    );
    const report = readFileSync(join(root, 'MIGRATION_REPORT.md'), 'utf8');
    expect(report).toMatch(/Roll back: `nx g @rrr\/tools:rollback --backup .*backups\/[\dTZ-]+`/);
    // A factory mock of a file the entry re-exports among other things cannot become the entry: left to a person.
    expect(report.slice(report.indexOf('## Manual changes needed'))).toContain(
      '- `libs/services/trading-engine/src/__tests__/order-manager.test.ts:1` `../../../risk-management/src/checks/pre-trade-checks` (jest-mock): ' +
        'jest-mock of libs/services/risk-management/src/checks/pre-trade-checks.ts, a file inside @rrr/risk-management, ' +
        'cannot become @rrr/risk-management: its factory would replace all of @rrr/risk-management, which also exports',
    );
  });

  it('writes a registry whose boot order is the order `nx graph` draws between the service libraries', () => {
    const file = join(env.dir, 'graph.json');
    const run = nx('graph', `--file=${file}`);
    expect(run.status).toBe(0);
    const graph = JSON.parse(readFileSync(file, 'utf8')) as {
      graph: { dependencies: Record<string, Array<{ target: string }>> };
    };
    const registry = readServiceRegistry(
      readFileSync(join(root, 'apps/platform/src/boot/service-dependencies.ts'), 'utf8'),
    );
    const services = Object.keys(registry);
    expect(services).toHaveLength(8);
    const fromGraph = Object.fromEntries(
      services.map((name) => [
        name,
        [...new Set(graph.graph.dependencies[name].map((d) => d.target).filter((t) => services.includes(t)))].sort(),
      ]),
    );
    expect(Object.fromEntries(Object.entries(registry).map(([name, deps]) => [name, [...deps].sort()]))).toEqual(
      fromGraph,
    );
  });

  it('leaves code that tsc accepts: every new library in one program', () => {
    const config = join(env.dir, 'tsconfig.all.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: join(root, 'tsconfig.base.json'),
        compilerOptions: { noEmit: true, types: ['jest', 'node'], typeRoots: [join(root, 'node_modules/@types')] },
        include: [join(root, 'libs/**/*.ts')],
      }),
    );
    const tsc = spawnSync(process.execPath, [TSC_BIN, '-p', config], { cwd: root, encoding: 'utf8' });
    expect(tsc.stdout + tsc.stderr).toBe('');
    expect(tsc.status).toBe(0);
  });

  it('keeps the moved tests passing', () => {
    const projects = ['libs/core', ...fixture.services.map((s) => `libs/services/${s.folder.replace(/_/g, '-')}`)];
    const jest = spawnSync(process.execPath, [JEST_BIN, '--ci', '--json', '--projects', ...projects], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const result = JSON.parse(jest.stdout) as {
      numFailedTests: number;
      numPassedTestSuites: number;
      numTotalTestSuites: number;
    };
    expect(result.numFailedTests).toBe(0);
    expect(result.numPassedTestSuites).toBe(result.numTotalTestSuites);
    expect(result.numTotalTestSuites).toBe(28);
  });

  it('gives every library a test target Nx infers from its jest config, and Nx runs it', () => {
    const withTest = nx('show', 'projects', '--with-target', 'test', '--json');
    expect(withTest.status).toBe(0);
    const expected = ['core', ...fixture.services.map((s) => s.folder.replace(/_/g, '-'))].sort();
    expect((JSON.parse(withTest.output) as string[]).sort()).toEqual(expected);
    // Nx hashes a task with the versions of its tools (jest) from the lockfile. `npm install` after consolidating
    // would write one; the fixture's node_modules are this workspace's, so its lockfile is what that would be.
    const lockfile = join(root, 'package-lock.json');
    copyFileSync(join(WORKSPACE_MODULES, '../package-lock.json'), lockfile);
    try {
      const test = nx('run', 'risk-management:test', '--skip-nx-cache');
      expect(test.output).toMatch(/Tests:\s+[1-9]\d* passed, \d+ total/);
      expect(test.status).toBe(0);
    } finally {
      rmSync(lockfile);
    }
  });

  it('git log --follow reaches the worktree commits through the move and the rename', () => {
    const log = git(root, [
      'log',
      '--follow',
      '--format=%s',
      '--',
      'libs/services/neural-network/src/models/predictor-v2.ts',
    ]);
    expect(log.split('\n')).toEqual([
      'chore(consolidate): make 8 service libraries, rewrite imports, write registry and report',
      'chore(consolidate): rename to kebab-case, move tests to src/__tests__, config and docs out',
      'chore(consolidate): move worktrees/neural_network to libs/services/neural-network',
      'nn: predictor_v2 weights recent momentum',
    ]);
  });

  it("keeps the dirty worktree's change and untracked file, in the worktree and in the library", () => {
    const dirty = join(root, fixture.dirtyWorktree);
    expect(readFileSync(join(dirty, 'src/portfolio/position-tracker.ts'), 'utf8')).toBe(dirtyWorktree.modified);
    expect(readFileSync(join(dirty, 'src/execution/slippage_model.ts'), 'utf8')).toBe(dirtyWorktree.untracked);
    const withoutImports = (text: string) => text.replace(/^import .*$/gm, '');
    const lib = join(root, 'libs/services/trading-engine/src');
    expect(withoutImports(readFileSync(join(lib, 'portfolio/position-tracker.ts'), 'utf8'))).toBe(
      withoutImports(dirtyWorktree.modified),
    );
    expect(withoutImports(readFileSync(join(lib, 'execution/slippage-model.ts'), 'utf8'))).toBe(
      withoutImports(dirtyWorktree.untracked),
    );
    expect(git(root, ['log', '-1', '--format=%s', 'service/trading_engine'])).toBe(
      'WIP: uncommitted work in worktrees/trading_engine saved before consolidation',
    );
  });

  it('says there is nothing to do on a second run and changes nothing', () => {
    const hash = repositoryHash(root);
    const run = nx('g', '@rrr/tools:consolidate', '--allowDirty=commit');
    expect(run.output).toContain('Nothing to do');
    expect(run.status).toBe(0);
    expect(repositoryHash(root)).toBe(hash);
  });

  it('rolls back to the exact legacy state: refs, HEADs, git status and every file', () => {
    const run = nx('g', '@rrr/tools:rollback');
    expect(run.output).toMatch(/Restored \d+ refs, main and 8 worktree\(s\)/);
    expect(run.status).toBe(0);
    expect(existsSync(join(root, 'libs'))).toBe(false);
    expect(legacyState(root, fixture)).toEqual(before);
  });
});
