import { joinWorkspacePath, normalizeWorkspacePath } from '../../../specifiers/workspace-paths';
import { planRenames, RenameCollisionError, type NamingConvention } from './normalize-names';

/** Why a legacy file does not come along into the library. */
export type DropReason = 'dependencies' | 'lockfile' | 'build-output';

/** A legacy package file whose role the workspace takes over. */
export type ReplacedRole = 'tsconfig' | 'jest-config' | 'package-json';

export interface DroppedFile {
  /** Workspace path where the file is now (as imported). */
  path: string;
  reason: DropReason;
}

export interface ReplacedFile {
  path: string;
  role: ReplacedRole;
}

export interface LayoutInput {
  /** Folder the files are in now, relative to the workspace (`libs/services/neural-network`, or `src/core`). */
  from: string;
  /** File paths relative to `from`. */
  files: readonly string[];
  naming: NamingConvention;
  /** Library root the code lands in (`libs/services/neural-network`). */
  libraryRoot: string;
  /**
   * `service`: a legacy package (src/, tests/, config/, docs/, its own package files at the top).
   * `shared`: a plain source folder that becomes the library's src/.
   */
  kind: 'service' | 'shared';
  /** Where a service's config/ goes (`config/services/<name>`). */
  configDir?: string;
  /** Where a service's docs/ goes (`docs/services/<name>`). */
  docsDir?: string;
}

export interface LibraryLayout {
  /** Current workspace path → final workspace path, for every file whose path changes. */
  moves: Map<string, string>;
  /** Name changes only (files and folders, relative to `from`), for the report. */
  renames: Map<string, string>;
  /** Files that stay where they are (workspace paths), besides the moved ones. */
  kept: string[];
  dropped: DroppedFile[];
  replaced: ReplacedFile[];
  /** Test files moved from tests/ into src/__tests__/. */
  testsMoved: number;
}

const LOCKFILES = new Set(['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lockb']);
const BUILD_OUTPUT = new Set(['dist', 'build', 'out-tsc', 'coverage', '.turbo']);
const JEST_CONFIG = /^jest\.config\.(js|cjs|mjs|ts|cts|mts|json)$/;

/** Where tests go: one folder per library, so test helpers never mix with library sources (tsconfig.lib.json excludes it). */
export const TESTS_FOLDER = 'src/__tests__';

function dropReason(relative: string): DropReason | undefined {
  const segments = relative.split('/');
  if (segments.includes('node_modules')) return 'dependencies';
  if (segments.length === 1 && LOCKFILES.has(segments[0])) return 'lockfile';
  if (BUILD_OUTPUT.has(segments[0]) || relative.endsWith('.tsbuildinfo')) return 'build-output';
  return undefined;
}

function replacedRole(relative: string): ReplacedRole | undefined {
  if (relative === 'tsconfig.json') return 'tsconfig';
  if (relative === 'package.json') return 'package-json';
  if (JEST_CONFIG.test(relative)) return 'jest-config';
  return undefined;
}

/**
 * Plans where each file of one legacy package (or of the shared folder) ends up in its library: names
 * brought to the convention (throws RenameCollisionError when two would collide), tests/ into
 * src/__tests__/, config/ and docs/ out to the workspace's config/ and docs/ folders, dependencies,
 * lockfiles and build output dropped, and the package's own tsconfig/jest/package.json marked as
 * replaced by the workspace's. Pure: paths in, paths out.
 */
export function planLibraryLayout(input: LayoutInput): LibraryLayout {
  const from = normalizeWorkspacePath(input.from);
  const moves = new Map<string, string>();
  const kept: string[] = [];
  const dropped: DroppedFile[] = [];
  const replaced: ReplacedFile[] = [];
  const carried: string[] = [];
  for (const raw of input.files) {
    const relative = normalizeWorkspacePath(raw);
    const path = joinWorkspacePath(from, relative);
    const reason = input.kind === 'service' ? dropReason(relative) : undefined;
    if (reason) {
      dropped.push({ path, reason });
      continue;
    }
    const role = input.kind === 'service' ? replacedRole(relative) : undefined;
    if (role) {
      replaced.push({ path, role });
      continue;
    }
    carried.push(relative);
  }

  let renames: Map<string, string>;
  try {
    renames = planRenames(carried, input.naming);
  } catch (error) {
    if (!(error instanceof RenameCollisionError)) throw error;
    // Say where in the repository the clash is, not where in the package.
    throw new RenameCollisionError(
      error.collisions.map((collision) => ({
        target: joinWorkspacePath(from, collision.target),
        sources: collision.sources.map((source) => joinWorkspacePath(from, source)),
      })),
    );
  }
  let testsMoved = 0;
  for (const relative of carried) {
    const renamed = renames.get(relative) ?? relative;
    const [first, ...rest] = renamed.split('/');
    let target: string;
    if (input.kind === 'shared') {
      target = joinWorkspacePath(input.libraryRoot, 'src', renamed);
    } else if (rest.length > 0 && first.toLowerCase() === 'tests') {
      target = joinWorkspacePath(input.libraryRoot, TESTS_FOLDER, rest.join('/'));
      testsMoved++;
    } else if (rest.length > 0 && first.toLowerCase() === 'config' && input.configDir) {
      target = joinWorkspacePath(input.configDir, rest.join('/'));
    } else if (rest.length > 0 && first.toLowerCase() === 'docs' && input.docsDir) {
      target = joinWorkspacePath(input.docsDir, rest.join('/'));
    } else {
      target = joinWorkspacePath(input.libraryRoot, renamed);
    }
    const path = joinWorkspacePath(from, relative);
    if (target === path) kept.push(path);
    else moves.set(path, target);
  }
  return { moves, renames, kept, dropped, replaced, testsMoved };
}
