import { GeneratorCallback, Tree, logger } from '@nx/devkit';
import { resolveBackup } from './lib/find-backup';
import { describeRollbackPlan, planRollback, restoreBackup } from './lib/restore-backup';
import type { RollbackGeneratorSchema } from './schema';

/**
 * `nx g @rrr/tools:rollback [--backup <dir>]`: restores the repository from a consolidation backup.
 *
 * The work is git and file-system work outside the Nx tree, so the generator prints the plan and returns
 * it as a task: Nx runs tasks only without --dry-run, which therefore prints the plan and changes nothing.
 */
export async function rollbackGenerator(tree: Tree, options: RollbackGeneratorSchema): Promise<GeneratorCallback> {
  const backupPath = resolveBackup(tree.root, options);
  const plan = planRollback(tree.root, backupPath);
  logger.info(describeRollbackPlan(plan).join('\n'));
  return () => {
    const result = restoreBackup(plan.root, backupPath);
    logger.info(
      [
        `Restored ${Object.keys(result.manifest.refs).length} refs, main and ${result.manifest.worktrees.length} worktree(s); ` +
          `${result.verifiedFiles} files match the manifest's sha256.`,
        ...result.displacedArchives.map((archive) => `Files the rollback replaced or removed are kept in ${archive}`),
        `Rollback log: ${result.logPath}`,
        ...result.notRestored.map((line) => `Not restored: ${line}`),
      ].join('\n'),
    );
  };
}

export default rollbackGenerator;
