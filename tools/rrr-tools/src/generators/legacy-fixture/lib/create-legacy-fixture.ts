import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, splitNul } from '../../../git';
import { apiIntegrationBlueprint } from './blueprints/api-integration';
import { backtestingBlueprint } from './blueprints/backtesting';
import { dataPipelineBlueprint } from './blueprints/data-pipeline';
import { monitoringBlueprint } from './blueprints/monitoring';
import { neuralNetworkBlueprint } from './blueprints/neural-network';
import { quantumOptimizationBlueprint } from './blueprints/quantum-optimization';
import { riskManagementBlueprint } from './blueprints/risk-management';
import { tradingEngineBlueprint } from './blueprints/trading-engine';
import { scaledModules } from './scaled-modules';
import type { FixtureCommit, ServiceBlueprint } from './service-blueprint';
import { serviceDocsFiles, serviceLocalArtifacts, servicePackageFiles } from './service-package-files';
import { sharedCoreCommits } from './shared-core-files';

/**
 * The eight legacy services, each after the services it imports, so any prefix of this list is a
 * self-contained legacy repository (`--services=3` gives api_integration, risk_management, trading_engine).
 */
export const LEGACY_SERVICES: readonly ServiceBlueprint[] = [
  apiIntegrationBlueprint,
  riskManagementBlueprint,
  tradingEngineBlueprint,
  neuralNetworkBlueprint,
  dataPipelineBlueprint,
  backtestingBlueprint,
  quantumOptimizationBlueprint,
  monitoringBlueprint,
];

export interface LegacyFixtureOptions {
  /** Absolute path of the repository to create; must be absent or empty. */
  directory: string;
  /** How many services (1–8), taken from LEGACY_SERVICES in order. Default 8. */
  services?: number;
  /** Target number of TypeScript files (src + tests) per service; generated modules make up the difference. Default 24. */
  filesPerService?: number;
  /** Folder of the worktree left dirty (one modified file, one untracked file). Default trading_engine, else the last. */
  dirtyWorktree?: string;
  /** A node_modules folder to symlink at the repository root (ignored by git), so tsc and jest resolve there. */
  linkNodeModules?: string;
  /** Author date of the first commit (epoch ms); each later commit is one hour later. Default 2024-01-02T09:00Z. */
  startTime?: number;
}

export interface LegacyFixtureService {
  folder: string;
  branch: string;
  path: string;
  commits: number;
  /** Tracked files on the branch. */
  files: number;
}

export interface LegacyFixtureSummary {
  directory: string;
  mainCommits: number;
  services: LegacyFixtureService[];
  dirtyWorktree: string;
  /** `git status --porcelain` entries of the dirty worktree. */
  dirtyFiles: string[];
}

const AUTHOR = { name: 'Legacy Developer', email: 'dev@rrr-legacy.test' };
const HOUR = 3_600_000;
const SCALED_BATCH = 100;

function writeAll(root: string, files: Record<string, string>): void {
  for (const [path, content] of Object.entries(files)) {
    const target = join(root, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
}

function countTypeScript(commits: readonly FixtureCommit[]): number {
  const paths = new Set<string>();
  for (const commit of commits) {
    for (const path of Object.keys(commit.files)) if (path.endsWith('.ts')) paths.add(path);
    for (const path of commit.remove ?? []) paths.delete(path);
  }
  return paths.size;
}

/** The full history of one service branch: scaffold, hand-written commits, generated modules, docs. */
export function serviceHistory(
  service: ServiceBlueprint,
  present: readonly ServiceBlueprint[],
  filesPerService: number,
): FixtureCommit[] {
  const handWritten = service.commits;
  const scaledCount = Math.max(0, filesPerService - countTypeScript(handWritten) - 1);
  const aliasSource = present.find((other) => other.folder === service.dependsOn[0]);
  const scaled = Object.entries(scaledModules(service, scaledCount, aliasSource));
  const batches: FixtureCommit[] = [];
  for (let start = 0; start < scaled.length; start += SCALED_BATCH) {
    const slice = scaled.slice(start, start + SCALED_BATCH);
    batches.push({
      message: `${service.folder}: calculation chain, part ${batches.length + 1}`,
      files: Object.fromEntries(slice),
    });
  }
  return [
    { message: `${service.folder}: scaffold the service package`, files: servicePackageFiles(service, present) },
    ...handWritten,
    ...batches,
    { message: `${service.folder}: docs and settings`, files: serviceDocsFiles(service) },
  ];
}

/**
 * Builds a legacy multi-worktree repository on disk with real git: `main` holds src/core and ignores
 * `worktrees/`; each service is a worktree `worktrees/<folder>` on its own orphan branch
 * `service/<folder>` with several commits, ignored node_modules and dist, and one worktree is left dirty.
 */
export function createLegacyFixture(options: LegacyFixtureOptions): LegacyFixtureSummary {
  const { directory } = options;
  const count = options.services ?? LEGACY_SERVICES.length;
  if (!Number.isInteger(count) || count < 1 || count > LEGACY_SERVICES.length) {
    throw new Error(`services must be an integer from 1 to ${LEGACY_SERVICES.length}, got ${count}`);
  }
  const filesPerService = options.filesPerService ?? 24;
  if (!Number.isInteger(filesPerService) || filesPerService < 0) {
    throw new Error(`filesPerService must be a non-negative integer, got ${filesPerService}`);
  }
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new Error(`${directory} exists and is not empty; the legacy fixture needs an empty folder`);
  }
  const present = LEGACY_SERVICES.slice(0, count);
  const dirtyFolder =
    options.dirtyWorktree ??
    (present.some((s) => s.folder === 'trading_engine') ? 'trading_engine' : present[count - 1].folder);
  const dirtyService = present.find((s) => s.folder === dirtyFolder);
  if (!dirtyService)
    throw new Error(`dirtyWorktree ${dirtyFolder} is not one of ${present.map((s) => s.folder).join(', ')}`);

  let time = options.startTime ?? Date.UTC(2024, 0, 2, 9, 0, 0);
  const commit = (cwd: string, message: string): void => {
    const date = `${Math.floor(time / 1000)} +0000`;
    time += HOUR;
    git(cwd, ['add', '-A']);
    git(cwd, ['-c', 'commit.gpgsign=false', 'commit', '-q', '--no-verify', '-m', message], {
      env: {
        GIT_AUTHOR_NAME: AUTHOR.name,
        GIT_AUTHOR_EMAIL: AUTHOR.email,
        GIT_COMMITTER_NAME: AUTHOR.name,
        GIT_COMMITTER_EMAIL: AUTHOR.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_DATE: date,
      },
    });
  };
  const apply = (cwd: string, step: FixtureCommit): void => {
    writeAll(cwd, step.files);
    for (const path of step.remove ?? []) rmSync(join(cwd, path), { force: true });
    commit(cwd, step.message);
  };

  mkdirSync(directory, { recursive: true });
  git(directory, ['init', '-q', '-b', 'main']);
  for (const step of sharedCoreCommits()) apply(directory, step);

  const services: LegacyFixtureService[] = [];
  for (const service of present) {
    const path = join(directory, 'worktrees', service.folder);
    const branch = `service/${service.folder}`;
    git(directory, ['worktree', 'add', '-q', '--no-checkout', '--detach', path]);
    git(path, ['checkout', '-q', '--orphan', branch]);
    // The orphan starts with main's files on disk: a service branch holds only its own package.
    git(path, ['read-tree', '--empty']);
    git(path, ['clean', '-q', '-f', '-d', '-x']);
    for (const step of serviceHistory(service, present, filesPerService)) apply(path, step);
    writeAll(path, serviceLocalArtifacts(service));
    services.push({
      folder: service.folder,
      branch,
      path,
      commits: Number(git(path, ['rev-list', '--count', 'HEAD'])),
      files: splitNul(git(path, ['ls-files', '-z'], { raw: true })).length,
    });
  }

  const dirtyPath = join(directory, 'worktrees', dirtyService.folder);
  const dirty = dirtyService.dirty ?? {
    modified: {
      'README.md': `# ${dirtyService.title}\n\nLegacy service on port ${dirtyService.port}. Local notes: see src/scratch_notes.ts.\n`,
    },
    untracked: {
      'src/scratch_notes.ts': 'export const SCRATCH_NOTES: readonly string[] = ["check the port before deploying"];\n',
    },
  };
  writeAll(dirtyPath, { ...dirty.modified, ...dirty.untracked });
  if (options.linkNodeModules) symlinkSync(options.linkNodeModules, join(directory, 'node_modules'), 'dir');

  return {
    directory,
    mainCommits: Number(git(directory, ['rev-list', '--count', 'HEAD'])),
    services,
    dirtyWorktree: `worktrees/${dirtyService.folder}`,
    dirtyFiles: git(dirtyPath, ['status', '--porcelain=v1', '--untracked-files=all']).split('\n').filter(Boolean),
  };
}
