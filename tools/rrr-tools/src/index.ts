// Specifier machinery: collection, resolution, path mapping, export surfaces.
export * from './specifiers';
// Import rewriting, naming and non-code references (consolidate steps, reused by rename and the migration).
export * from './generators/consolidate/lib/rewrite-imports';
export * from './generators/consolidate/lib/normalize-names';
export * from './generators/consolidate/lib/update-references';
export { renameGenerator, type RenameResult } from './generators/rename/rename';
export type { RenameGeneratorSchema } from './generators/rename/schema';
export { default as rewriteLegacySpecifiers } from './migrations/rewrite-legacy-specifiers/rewrite-legacy-specifiers';
export type { RewriteLegacySpecifiersOptions } from './migrations/rewrite-legacy-specifiers/rewrite-legacy-specifiers';
export {
  createDependencies as createMockDependencies,
  name as mockDependenciesPluginName,
} from './graph/mock-dependencies';
export type { MockDependenciesOptions } from './graph/mock-dependencies';
// Git runner and the git-side consolidation steps (discover, pre-flight, backup, history import, worktree removal).
export { git, gitResult, splitNul, splitLines, isAncestor, revParse, commitIdentityArgs, GitCommandError } from './git';
export type { GitOptions, GitResult } from './git';
export {
  discoverWorktrees,
  parseWorktreeList,
  serviceNameFromFolder,
} from './generators/consolidate/lib/discover-worktrees';
export type {
  DiscoveredWorktrees,
  DiscoverWorktreesOptions,
  GitWorktree,
  ServiceWorktree,
} from './generators/consolidate/lib/discover-worktrees';
export {
  preflight,
  commitWipChanges,
  listUncommitted,
  parseStatusZ,
  PreflightError,
} from './generators/consolidate/lib/preflight';
export type {
  AllowDirty,
  ChangeKind,
  PlannedService,
  PlannedWipCommit,
  PreflightOptions,
  PreflightProblem,
  PreflightResult,
  UncommittedFile,
  WipCommit,
  WorktreeChanges,
} from './generators/consolidate/lib/preflight';
export { createBackup, planBackup, backupStamp } from './generators/consolidate/lib/backup';
export type { BackupOptions, BackupPlan, BackupResult } from './generators/consolidate/lib/backup';
export { readManifest, compareFiles, MANIFEST_FILE, BUNDLE_FILE } from './generators/consolidate/lib/backup-manifest';
export type { BackupManifest, BackedUpFile, WorkingTreeBackup } from './generators/consolidate/lib/backup-manifest';
export { importHistory } from './generators/consolidate/lib/import-history';
export type {
  ImportHistoryOptions,
  ImportHistoryResult,
  ImportedService,
} from './generators/consolidate/lib/import-history';
export { removeWorktrees } from './generators/consolidate/lib/remove-worktrees';
export type {
  RemoveWorktreesOptions,
  RemoveWorktreesResult,
  WorktreeRemoval,
} from './generators/consolidate/lib/remove-worktrees';
export { rollbackGenerator } from './generators/rollback/rollback';
export type { RollbackGeneratorSchema } from './generators/rollback/schema';
export { findLatestBackup, resolveBackup } from './generators/rollback/lib/find-backup';
export {
  planRollback,
  restoreBackup,
  describeRollbackPlan,
  RollbackVerificationError,
} from './generators/rollback/lib/restore-backup';
export type { RollbackPlan, RollbackResult, RefChange } from './generators/rollback/lib/restore-backup';
export { legacyFixtureGenerator } from './generators/legacy-fixture/legacy-fixture';
export type { LegacyFixtureGeneratorSchema } from './generators/legacy-fixture/schema';
export { createLegacyFixture, LEGACY_SERVICES } from './generators/legacy-fixture/lib/create-legacy-fixture';
export type { LegacyFixtureOptions, LegacyFixtureSummary } from './generators/legacy-fixture/lib/create-legacy-fixture';
export { consolidateGenerator, normalizeOptions, pendingServices } from './generators/consolidate/consolidate';
export { addService, serviceGenerator, type ServiceGeneratorResult } from './generators/service/service';
export type { ServiceGeneratorSchema } from './generators/service/schema';
export type { ConsolidateGeneratorSchema } from './generators/consolidate/schema';
export {
  writeServiceRegistry,
  readServiceRegistry,
  bootOrder,
} from './generators/consolidate/lib/write-service-registry';
export {
  renderMigrationReport,
  writeMigrationReport,
  rollbackCommand,
} from './generators/consolidate/lib/write-report';
export { findNearDuplicates } from './generators/consolidate/lib/find-near-duplicates';
