import type { FileChange } from '@nx/devkit';
import type { BackupPlan } from './backup';
import type { ImportHistoryResult } from './import-history';
import type { PreflightResult } from './preflight';

export interface PlanDescription {
  root: string;
  preflight: PreflightResult;
  backup: BackupPlan;
  history: ImportHistoryResult;
  /** The scratch tree's changes after the tree phase. */
  changes: readonly FileChange[];
  reportText: string;
  removeWorktrees: boolean;
}

const LISTED_CHANGES = 40;

/** What `--dry-run` prints: every step the real run would take, then the report it would write. */
export function describePlan(plan: PlanDescription): string {
  const lines: string[] = [`Consolidation plan for ${plan.root} (dry run: nothing on disk changes, git included)`, ''];
  lines.push('1. Pre-flight: passed.');
  for (const warning of plan.preflight.warnings) lines.push(`   warning: ${warning}`);
  for (const wip of plan.preflight.wip) {
    lines.push(
      `   WIP commit on ${wip.branch ?? 'detached HEAD'} (${wip.label}) after the backup: ${wip.files.map((f) => `${f.status.trim()} ${f.path}`).join(', ')}`,
    );
  }
  lines.push(`2. Backup to ${plan.backup.path}:`);
  for (const tree of plan.backup.trees) {
    const excluded = tree.excluded.map((e) => `${e.path} (${e.files} files, ${e.bytes} bytes) left out`).join('; ');
    lines.push(`   ${tree.label}: ${tree.files} files${excluded ? `; ${excluded}` : ''}`);
  }
  lines.push('3. History import (one pure move commit per service, merged into main), then one commit of renames:');
  for (const service of plan.history.services) {
    const state = service.skipped ? `skipped (${service.skipped})` : `${service.files} files → ${service.target}`;
    lines.push(
      `   ${service.worktree} (${service.branch ?? 'detached'} @ ${service.source?.slice(0, 12) ?? '—'}): ${state}`,
    );
  }
  const counts = { CREATE: 0, UPDATE: 0, DELETE: 0 };
  for (const change of plan.changes) counts[change.type]++;
  lines.push(
    `4. Libraries, renames and rewrites in the tree: ${counts.CREATE} files created, ${counts.UPDATE} updated, ${counts.DELETE} deleted, e.g.`,
    ...plan.changes.slice(0, LISTED_CHANGES).map((change) => `   ${change.type} ${change.path}`),
    ...(plan.changes.length > LISTED_CHANGES ? [`   … and ${plan.changes.length - LISTED_CHANGES} more`] : []),
    '5. After Nx writes the tree: typecheck of every new library, then the rewrite commit.',
    plan.removeWorktrees
      ? '6. Worktrees merged and clean are removed once the typecheck passes.'
      : '6. Worktrees stay (removeWorktrees is false).',
    '',
    '--- MIGRATION_REPORT.md as the run would write it ---',
    '',
    plan.reportText,
  );
  return lines.join('\n');
}
