import { logger } from '@nx/devkit';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { commitChangesAlongside, type ConsolidationCommit } from './commit-consolidation';
import { discoverWorktrees } from './discover-worktrees';
import { removeWorktrees, type RemoveWorktreesResult } from './remove-worktrees';
import { typecheckProjects, type TypecheckResult } from './typecheck-projects';
import { REPORT_PATH, renderTypecheckSection, rollbackCommand } from './write-report';

export interface FinishConsolidationOptions {
  /** Roots of the libraries the run made. */
  libraries: string[];
  /** The paths the Nx tree changed (now flushed to disk). */
  changedPaths: string[];
  backupPath: string;
  services: number;
  skipTypecheck: boolean;
  removeWorktrees: boolean;
  worktreesDir: string;
}

export interface FinishedConsolidation {
  typecheck?: TypecheckResult;
  commit: ConsolidationCommit;
  removal?: RemoveWorktreesResult;
}

function typecheckAndReport(root: string, libraries: readonly string[]): TypecheckResult {
  const typecheck = typecheckProjects(
    root,
    libraries.flatMap((library) => [`${library}/tsconfig.lib.json`, `${library}/tsconfig.spec.json`]),
  );
  appendFileSync(join(root, REPORT_PATH), '\n' + renderTypecheckSection(typecheck));
  const errors = typecheck.problems.length;
  logger.info(
    `Typecheck of ${typecheck.configs.length} tsconfig(s): ${errors === 0 ? 'no errors' : `${errors} error(s)`} ` +
      `(${(typecheck.durationMs / 1000).toFixed(1)} s)`,
  );
  for (const problem of typecheck.problems.slice(0, 20)) {
    logger.error(`${problem.file}:${problem.line} TS${problem.code}: ${problem.message.split('\n')[0]}`);
  }
  return typecheck;
}

/**
 * The generator's task, run once Nx has written the tree to disk: typecheck every new library (the result
 * goes into the report), commit the rewrite, and remove the worktrees when asked to — only after a clean
 * typecheck. Type errors fail the command after committing, naming the rollback.
 */
export async function finishConsolidation(
  root: string,
  options: FinishConsolidationOptions,
): Promise<FinishedConsolidation> {
  // The typecheck runs here while a git process stages the changed files; the report, which gets the typecheck's
  // result appended, is staged after it.
  const { commit, result: typecheck } = await commitChangesAlongside(
    root,
    { paths: options.changedPaths, latePaths: [REPORT_PATH] },
    [
      `chore(consolidate): make ${options.services} service libraries, rewrite imports, write registry and report`,
      '',
      `Imports rewritten by resolution, Nx project files, ${REPORT_PATH}. Backup: ${options.backupPath}`,
      '',
    ].join('\n'),
    () => (options.skipTypecheck ? undefined : typecheckAndReport(root, options.libraries)),
  );
  logger.info(`Committed ${commit.commit.slice(0, 12)} (rewrite) on ${commit.branch ?? 'HEAD'}.`);
  if (typecheck && typecheck.problems.length > 0) {
    throw new Error(
      `The consolidated libraries have ${typecheck.problems.length} type error(s) (listed in ${REPORT_PATH}); ` +
        `worktrees were kept. Fix them, or roll back with: ${rollbackCommand(options.backupPath)}`,
    );
  }
  if (!options.removeWorktrees) return { typecheck, commit };
  if (!typecheck) {
    logger.warn('Worktrees kept: they are only removed after the result typechecks, and the typecheck was skipped.');
    return { typecheck, commit };
  }
  const removal = removeWorktrees(discoverWorktrees(root, { worktreesDir: options.worktreesDir }), {
    removeWorktrees: true,
  });
  for (const worktree of removal.worktrees) {
    logger.info(`${worktree.worktree}: ${worktree.removed ? 'removed' : `kept (${worktree.reason})`}`);
  }
  return { typecheck, commit, removal };
}
