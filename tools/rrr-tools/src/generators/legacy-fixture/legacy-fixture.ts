import { GeneratorCallback, Tree, logger } from '@nx/devkit';
import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { LEGACY_SERVICES, createLegacyFixture } from './lib/create-legacy-fixture';
import type { LegacyFixtureGeneratorSchema } from './schema';

/**
 * `nx g @rrr/tools:legacy-fixture --directory=<path>`: builds a legacy multi-worktree repository with real git.
 *
 * The repository lives outside the Nx tree, so the generator validates and prints the plan, and returns the
 * build as a task: Nx runs tasks only without --dry-run, which therefore creates nothing.
 */
export async function legacyFixtureGenerator(
  tree: Tree,
  options: LegacyFixtureGeneratorSchema,
): Promise<GeneratorCallback> {
  const directory = isAbsolute(options.directory) ? options.directory : resolve(tree.root, options.directory);
  if (existsSync(directory) && readdirSync(directory).length > 0) {
    throw new Error(`${directory} exists and is not empty; the legacy fixture needs an empty folder`);
  }
  const count = options.services ?? LEGACY_SERVICES.length;
  const folders = LEGACY_SERVICES.slice(0, count).map((service) => service.folder);
  logger.info(
    [
      `Legacy repository in ${directory}:`,
      `  main with src/core (types, logger, config, math_utils), worktrees/ ignored`,
      `  ${folders.length} worktrees, each on service/<name>: ${folders.join(', ')}`,
      `  about ${options.filesPerService ?? 24} TypeScript files per service`,
    ].join('\n'),
  );
  return () => {
    const summary = createLegacyFixture({
      directory,
      services: count,
      filesPerService: options.filesPerService,
      dirtyWorktree: options.dirtyWorktree,
      linkNodeModules: options.linkNodeModules === false ? undefined : join(tree.root, 'node_modules'),
    });
    logger.info(
      [
        `Created ${summary.directory}: main (${summary.mainCommits} commits) and ${summary.services.length} worktrees`,
        ...summary.services.map((s) => `  ${s.branch}: ${s.commits} commits, ${s.files} files`),
        `Dirty worktree ${summary.dirtyWorktree}: ${summary.dirtyFiles.join(', ')}`,
      ].join('\n'),
    );
  };
}

export default legacyFixtureGenerator;
