import type { NamingConvention } from './lib/normalize-names';
import type { AllowDirty } from './lib/preflight';

export interface ConsolidateGeneratorSchema {
  /** Folder holding the service worktrees, relative to the root. Default `worktrees`. */
  worktreesDir?: string;
  /** Legacy shared-code folder on main. Default `src/core`. */
  shared?: string;
  /** Library the shared code becomes (`libs/<sharedProject>`). Default `core`. */
  sharedProject?: string;
  /** Folder that receives one library per service. Default `libs/services`. */
  servicesDir?: string;
  /** Scope of the libraries' import paths. Default `@rrr`. */
  scope?: string;
  /** File and folder naming convention. Default `kebab`. */
  naming?: NamingConvention;
  /** Uncommitted changes: `refuse` (default) or `commit` them as WIP commits after the backup. */
  allowDirty?: AllowDirty;
  /** Remove merged, clean worktrees after the result typechecks. Default false. */
  removeWorktrees?: boolean;
  /** Backup folder, relative to the root or absolute. Default `backups`. */
  backupDir?: string;
  /** Skip the post-commit typecheck (unit specs). Default false. */
  skipTypecheck?: boolean;
  /**
   * Programmatic only: `nx g --dry-run` removes the flag from the options and sets NX_DRY_RUN=true instead,
   * which the generator reads when this is not given.
   */
  dryRun?: boolean;
}
