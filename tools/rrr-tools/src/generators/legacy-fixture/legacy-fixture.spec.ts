import { logger } from '@nx/devkit';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FsTree } from 'nx/src/generators/tree';
import { git } from '../../git';
import { HermeticGit, useHermeticGit } from '../../git/testing/hermetic-git';
import { discoverWorktrees } from '../consolidate/lib/discover-worktrees';
import { listUncommitted } from '../consolidate/lib/preflight';
import legacyFixtureGenerator from './legacy-fixture';
import { LegacyFixtureSummary, createLegacyFixture } from './lib/create-legacy-fixture';

const WORKSPACE = resolve(__dirname, '../../../../..');
const TSC = join(WORKSPACE, 'node_modules/.bin/tsc');

function tsFiles(base: string): string[] {
  return git(base, ['ls-files', '*.ts']).split('\n').filter(Boolean);
}

describe('legacy fixture', () => {
  let env: HermeticGit;
  let directory: string;
  let summary: LegacyFixtureSummary;

  beforeAll(() => {
    env = useHermeticGit('rrr-fixture-');
    directory = join(env.dir, 'legacy');
    summary = createLegacyFixture({ directory, linkNodeModules: join(WORKSPACE, 'node_modules') });
  });
  afterAll(() => env.dispose());

  it('has main with the shared core and one worktree per service on its own branch', () => {
    const found = discoverWorktrees(directory);
    expect(found.main.branch).toBe('main');
    expect(found.services.map((s) => [s.relativePath, s.branch])).toEqual(
      [
        'api_integration',
        'backtesting',
        'data_pipeline',
        'monitoring',
        'neural_network',
        'quantum_optimization',
        'risk_management',
        'trading_engine',
      ].map((folder) => [`worktrees/${folder}`, `service/${folder}`]),
    );
    expect(readFileSync(join(directory, '.gitignore'), 'utf8').split('\n')).toContain('worktrees/');
    expect(git(directory, ['ls-files']).split('\n')).toEqual(
      expect.arrayContaining(['src/core/types.ts', 'src/core/logger.ts', 'src/core/config.ts', 'src/core/index.ts']),
    );
    expect(summary.mainCommits).toBe(3);
  });

  it('gives every branch several commits of its own history and no shared files', () => {
    expect(Object.fromEntries(summary.services.map((s) => [s.folder, s.commits]))).toEqual({
      api_integration: 7,
      risk_management: 6,
      trading_engine: 6,
      neural_network: 9,
      data_pipeline: 6,
      backtesting: 6,
      quantum_optimization: 6,
      monitoring: 6,
    });
    const neural = join(directory, 'worktrees/neural_network');
    expect(git(neural, ['log', '--format=%s', '--', 'src/models']).split('\n')).toEqual([
      'nn: predictorFinal for production',
      'nn: predictor_v2 weights recent momentum',
      'nn: first predictor (sum of momentum)',
    ]);
    expect(git(neural, ['rev-list', '--max-parents=0', 'HEAD']).split('\n')).toHaveLength(1);
    expect(git(neural, ['ls-files', 'src/core'])).toBe('');
    for (const service of summary.services) expect(tsFiles(service.path).length).toBeGreaterThanOrEqual(24);
  });

  it('leaves exactly one worktree dirty, with node_modules and dist present but ignored', () => {
    expect(summary.dirtyWorktree).toBe('worktrees/trading_engine');
    for (const service of summary.services) {
      const expected =
        service.folder === 'trading_engine'
          ? [
              { path: 'src/portfolio/position-tracker.ts', status: ' M', kind: 'modified' },
              { path: 'src/execution/slippage_model.ts', status: '??', kind: 'untracked' },
            ]
          : [];
      expect(listUncommitted(service.path)).toEqual(expected);
      expect(existsSync(join(service.path, 'node_modules/decimal-lite/index.js'))).toBe(true);
      expect(existsSync(join(service.path, 'dist/index.js'))).toBe(true);
    }
    expect(listUncommitted(directory, ['worktrees'])).toEqual([]);
    expect(lstatSync(join(directory, 'node_modules')).isSymbolicLink()).toBe(true);
  });

  it('mixes naming conventions and every import form the consolidation must rewrite', () => {
    const read = (path: string): string => readFileSync(join(directory, 'worktrees', path), 'utf8');
    expect(readdirSync(join(directory, 'worktrees/neural_network/src/models')).sort()).toEqual([
      'predictor.ts',
      'predictorFinal.ts',
      'predictor_v2.ts',
    ]);
    expect(read('data_pipeline/src/sources/market_data_source.ts')).toContain(
      "from '../../../../worktrees/api_integration/src/clients/exchange-client'",
    );
    expect(read('trading_engine/src/orders/order_manager.ts')).toContain(
      "from '@services/risk_management/checks/pre-trade-checks'",
    );
    expect(read('trading_engine/tests/order_manager.test.ts')).toContain(
      "jest.mock('../../risk_management/src/checks/pre-trade-checks'",
    );
    expect(read('backtesting/src/engine/backtest_engine.ts')).toContain(
      "typeof import('../../../neural_network/src/models/predictorFinal')",
    );
    expect(read('neural_network/src/training/trainLoop.ts')).toContain("from '../features/feature_engineering.js'");
    expect(read('risk_management/src/limits/position_limits.ts')).toContain("from './default_limits.json'");
    expect(read('backtesting/docs/README.md')).toContain('(../../trading_engine/docs/README.md)');
    const tsconfig = JSON.parse(read('trading_engine/tsconfig.json'));
    expect(tsconfig.compilerOptions.paths['@shared/*']).toEqual(['../../src/core/*']);
    expect(tsconfig.compilerOptions.paths['@services/risk_management/*']).toEqual(['../risk_management/src/*']);
  });

  it('typechecks a service that reaches into four other worktrees', () => {
    const result = spawnSync(TSC, ['--noEmit', '-p', 'worktrees/backtesting/tsconfig.json'], {
      cwd: directory,
      encoding: 'utf8',
    });
    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });
});

describe('legacy-fixture generator', () => {
  let env: HermeticGit;
  beforeEach(() => {
    env = useHermeticGit('rrr-fixture-');
  });
  afterEach(() => env.dispose());

  it('prints the plan and builds only when its task runs (so --dry-run creates nothing)', async () => {
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const directory = join(env.dir, 'small');
    const task = await legacyFixtureGenerator(new FsTree(env.dir, false), {
      directory: 'small',
      services: 3,
      filesPerService: 40,
      linkNodeModules: false,
    });
    expect(info.mock.calls[0][0]).toContain(
      '3 worktrees, each on service/<name>: api_integration, risk_management, trading_engine',
    );
    expect(existsSync(directory)).toBe(false);

    await task();

    expect(discoverWorktrees(directory).services.map((s) => s.folder)).toEqual([
      'api_integration',
      'risk_management',
      'trading_engine',
    ]);
    const trading = join(directory, 'worktrees/trading_engine');
    expect(tsFiles(trading)).toHaveLength(40);
    expect(readFileSync(join(trading, 'src/calc_steps/step-5.ts'), 'utf8')).toContain(
      "from '@services/risk_management/sizing/kellySizer'",
    );
    expect(info.mock.calls[1][0]).toContain('Dirty worktree worktrees/trading_engine');
    info.mockRestore();
  });

  it('refuses a folder that is not empty', async () => {
    writeFileSync(join(env.dir, 'home', 'notes.txt'), 'mine\n');
    await expect(legacyFixtureGenerator(new FsTree(env.dir, false), { directory: 'home' })).rejects.toThrow(
      /home exists and is not empty/,
    );
  });

  it('rejects an impossible service count', () => {
    expect(() => createLegacyFixture({ directory: join(env.dir, 'x'), services: 9 })).toThrow(
      'services must be an integer from 1 to 8, got 9',
    );
  });
});
