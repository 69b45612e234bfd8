import type { Tree } from '@nx/devkit';
import { SPECIFIER_KINDS } from '../../../specifiers/collect-specifiers';
import type { DependencyConflict, WorkspaceSetup } from './ensure-nx-workspace';
import type { NearDuplicateGroup } from './find-near-duplicates';
import type { DroppedFile, ReplacedFile } from './plan-layout';
import type { ReferencesReport } from './update-references';
import { MANUAL_MOCK_CHANGE, type RewriteReport } from './rewrite-imports';
import type { ServiceRegistryResult } from './write-service-registry';

export const REPORT_PATH = 'MIGRATION_REPORT.md';

export interface FileTally {
  files: number;
  bytes: number;
}

export interface ServiceReport {
  /** Worktree path relative to the root (`worktrees/neural_network`). */
  worktree: string;
  branch: string | null;
  /** Commit imported (the worktree HEAD, after any WIP commit). */
  source: string | null;
  project: string;
  importPath: string;
  target: string;
  /** Tracked files the move commit brought in. */
  filesImported: number;
  /** Files in the consolidated layout (library, config, docs) that came from the worktree. */
  filesAfter: number;
  /** Name changes (relative to the worktree), files and folders. */
  renames: Array<[string, string]>;
  testsMoved: number;
  configMoved: number;
  docsMoved: number;
  dropped: DroppedFile[];
  replaced: ReplacedFile[];
  /** The worktree's working tree on disk (everything but .git). */
  before: FileTally;
  /** What the consolidated repository holds from it. */
  after: FileTally;
  /** Dependencies, lockfiles and build output that stay behind (counted on disk, ignored or not). */
  leftBehind: FileTally & { byReason: Record<string, FileTally> };
  generatedEntry?: { exported: string[]; skipped: { module: string; reason: string }[] };
  keptCompilerOptions: string[];
}

export interface SharedReport {
  from: string;
  project: string;
  importPath: string;
  target: string;
  files: number;
  renames: Array<[string, string]>;
}

export interface WipCommitReport {
  label: string;
  branch: string | null;
  commit: string;
  files: string[];
}

export interface MigrationReportData {
  /** ISO time of the run. */
  date: string;
  mainBranch: string;
  mainBefore: string;
  mainAfter: string;
  /** Backup folder (relative to the root when inside it); absent in a dry run. */
  backupPath?: string;
  dryRun: boolean;
  wipCommits: WipCommitReport[];
  services: ServiceReport[];
  shared?: SharedReport;
  workspace: WorkspaceSetup;
  dependencyConflicts: DependencyConflict[];
  imports: RewriteReport;
  references: ReferencesReport;
  nearDuplicates: NearDuplicateGroup[];
  registry: ServiceRegistryResult;
  /** Project → project edges read off the rewritten code (service and shared libraries). */
  edges: Array<{ from: string; to: string; example: string }>;
  affected: { projects: string[]; direct: string[]; viaWorkspaceFiles: boolean; viaDependencies: string[] };
  /** Files the consolidation created, updated, deleted or moved. */
  changedFiles: number;
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function code(text: string): string {
  return '`' + text.replace(/`/g, '\\`') + '`';
}

function short(commit: string | null): string {
  return commit ? commit.slice(0, 12) : '—';
}

function table(header: string[], rows: string[][]): string[] {
  return [
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map((cell) => cell.replace(/\|/g, '\\|')).join(' | ')} |`),
  ];
}

function details(summary: string, lines: string[]): string[] {
  if (lines.length === 0) return [];
  return ['<details>', `<summary>${summary}</summary>`, '', ...lines, '', '</details>', ''];
}

/** The rollback command for a backup folder. */
export function rollbackCommand(backupPath: string): string {
  return `nx g @rrr/tools:rollback --backup ${backupPath}`;
}

/** MIGRATION_REPORT.md: what moved where, what was rewritten, what needs a human, and how to undo it. */
export function renderMigrationReport(data: MigrationReportData): string {
  const lines: string[] = [];
  const totals = data.services.reduce(
    (sum, s) => ({
      before: { files: sum.before.files + s.before.files, bytes: sum.before.bytes + s.before.bytes },
      after: { files: sum.after.files + s.after.files, bytes: sum.after.bytes + s.after.bytes },
      left: { files: sum.left.files + s.leftBehind.files, bytes: sum.left.bytes + s.leftBehind.bytes },
    }),
    { before: { files: 0, bytes: 0 }, after: { files: 0, bytes: 0 }, left: { files: 0, bytes: 0 } },
  );
  lines.push(
    '# Migration report',
    '',
    data.dryRun
      ? `Dry run of \`nx g @rrr/tools:consolidate\` on ${data.date}: nothing was changed.`
      : `\`nx g @rrr/tools:consolidate\` on ${data.date}: ${data.services.length} worktree(s)` +
          `${data.shared ? ` and the shared folder ${code(data.shared.from)}` : ''} consolidated on ${code(data.mainBranch)}` +
          ` (${short(data.mainBefore)} → ${short(data.mainAfter)} after the history import).`,
    '',
  );
  if (data.backupPath) {
    lines.push(
      '## Backup and rollback',
      '',
      `- Backup: ${code(data.backupPath)} (git bundle of every ref, archive of every working tree, sha256 manifest).`,
      `- Roll back: ${code(rollbackCommand(data.backupPath))}`,
      '',
    );
  }
  lines.push('## WIP commits', '');
  if (data.wipCommits.length === 0) lines.push('None: every working tree was clean.', '');
  for (const wip of data.wipCommits) {
    lines.push(
      `- ${code(wip.label)} on ${code(wip.branch ?? 'detached HEAD')}: ${short(wip.commit)} — ${wip.files.length} file(s): ${wip.files.map(code).join(', ')}`,
    );
  }
  if (data.wipCommits.length > 0) lines.push('');

  lines.push(
    '## Worktrees',
    '',
    ...table(
      [
        'worktree',
        'branch @ commit',
        'library',
        'files moved',
        'renames',
        'tests moved',
        'before',
        'after',
        'left behind',
      ],
      data.services.map((s) => [
        code(s.worktree),
        `${code(s.branch ?? 'detached')} @ ${short(s.source)}`,
        `${code(s.target)} (${code(s.importPath)})`,
        String(s.filesImported),
        String(s.renames.length),
        String(s.testsMoved),
        `${s.before.files} files, ${formatBytes(s.before.bytes)}`,
        `${s.after.files} files, ${formatBytes(s.after.bytes)}`,
        `${s.leftBehind.files} files, ${formatBytes(s.leftBehind.bytes)}`,
      ]),
    ),
    '',
    `Total: ${totals.before.files} files (${formatBytes(totals.before.bytes)}) in the worktrees before, ` +
      `${totals.after.files} files (${formatBytes(totals.after.bytes)}) in the libraries after; ` +
      `${totals.left.files} files (${formatBytes(totals.left.bytes)}) of dependencies, lockfiles and build output saved.`,
    '',
  );
  for (const s of data.services) {
    const own: string[] = [];
    own.push(
      `- Moved: ${s.filesImported} tracked files into ${code(s.target)} in one pure move commit; tests/ → src/__tests__/ (${s.testsMoved}), config/ → config/services (${s.configMoved}), docs/ → docs/services (${s.docsMoved}).`,
    );
    if (s.replaced.length > 0)
      own.push(`- Replaced by workspace files: ${s.replaced.map((r) => `${code(r.path)} (${r.role})`).join(', ')}.`);
    if (s.dropped.length > 0)
      own.push(`- Dropped tracked files: ${s.dropped.map((d) => `${code(d.path)} (${d.reason})`).join(', ')}.`);
    const reasons = Object.entries(s.leftBehind.byReason).map(
      ([reason, tally]) => `${reason}: ${tally.files} files, ${formatBytes(tally.bytes)}`,
    );
    if (reasons.length > 0) own.push(`- Left behind in the worktree: ${reasons.join('; ')}.`);
    if (s.keptCompilerOptions.length > 0)
      own.push(`- Legacy compiler options kept in its tsconfig.json: ${s.keptCompilerOptions.map(code).join(', ')}.`);
    if (s.generatedEntry) {
      own.push(
        `- No src/index.ts: generated one exporting ${s.generatedEntry.exported.length} module(s)` +
          (s.generatedEntry.skipped.length > 0
            ? `; skipped ${s.generatedEntry.skipped.map((k) => `${code(k.module)} (${k.reason})`).join(', ')}.`
            : '.'),
      );
    }
    lines.push(`### ${code(s.worktree)} → ${code(s.project)}`, '', ...own, '');
    lines.push(
      ...details(
        `${s.renames.length} rename(s)`,
        s.renames.map(([from, to]) => `- ${code(from)} → ${code(to)}`),
      ),
    );
  }
  if (data.shared) {
    lines.push(
      `### Shared code ${code(data.shared.from)} → ${code(data.shared.project)}`,
      '',
      `- ${data.shared.files} files moved to ${code(`${data.shared.target}/src`)}, imported as ${code(data.shared.importPath)}.`,
      '',
      ...details(
        `${data.shared.renames.length} rename(s)`,
        data.shared.renames.map(([from, to]) => `- ${code(from)} → ${code(to)}`),
      ),
    );
  }

  const ws = data.workspace;
  lines.push('## Workspace', '');
  lines.push(
    ws.wasNxWorkspace ? '- Already an Nx workspace: only missing pieces were added.' : '- Made an Nx workspace.',
  );
  if (ws.created.length > 0) lines.push(`- Created: ${ws.created.map(code).join(', ')}.`);
  if (ws.updated.length > 0) lines.push(`- Updated: ${ws.updated.map(code).join(', ')}.`);
  for (const [from, to] of ws.renamed) lines.push(`- ${code(from)} became ${code(to)}.`);
  if (ws.removed.length > 0)
    lines.push(`- Removed (their role moved to the libraries): ${ws.removed.map(code).join(', ')}.`);
  const added = Object.entries(ws.devDependenciesAdded);
  if (added.length > 0) {
    lines.push(
      `- devDependencies added: ${added.map(([n, v]) => code(`${n}@${v}`)).join(', ')}. Run ${code('npm install')} ` +
        'so the lockfile records them: Nx hashes each test task with the jest version it finds there.',
    );
  }
  for (const script of ws.scriptsReplaced)
    lines.push(`- Script ${code(script.name)}: ${code(script.from)} → ${code(script.to)}.`);
  if (ws.gitignoreAdded.length > 0) lines.push(`- .gitignore: ${ws.gitignoreAdded.map(code).join(', ')}.`);
  for (const conflict of data.dependencyConflicts) {
    lines.push(
      `- Dependency ${code(conflict.name)}: kept ${code(conflict.kept)}, ${code(conflict.from)} wanted ${code(conflict.ignored)}.`,
    );
  }
  lines.push('');

  const imports = data.imports;
  lines.push(
    '## Imports rewritten',
    '',
    `${imports.totalRewritten} specifier(s) rewritten in ${imports.filesChanged.length} of ${imports.filesScanned} file(s), each resolved with the file's original compiler options.`,
    '',
    ...table(
      ['kind', 'rewritten'],
      SPECIFIER_KINDS.filter((kind) => imports.rewritten[kind] > 0).map((kind) => [
        kind,
        String(imports.rewritten[kind]),
      ]),
    ),
    '',
  );
  if (imports.exportsAdded.length > 0) {
    lines.push(
      ...details(
        `${imports.exportsAdded.length} re-export(s) added to library entries`,
        imports.exportsAdded.map((e) => `- ${code(e.entry)}: ${code(e.statement)}`),
      ),
    );
  }
  const refs = Object.entries(data.references.byKind).filter(([, n]) => n > 0);
  lines.push(
    `Non-code references updated: ${data.references.updated.length}${refs.length > 0 ? ` (${refs.map(([k, n]) => `${k} ${n}`).join(', ')})` : ''}.`,
    '',
  );

  // Mocks of another library's internal file that its entry cannot stand for: a person has to change them.
  const manual = imports.needsExport.filter((n) => n.reason.startsWith(MANUAL_MOCK_CHANGE));
  const kept = imports.needsExport.filter((n) => !n.reason.startsWith(MANUAL_MOCK_CHANGE));
  lines.push('## Unresolved specifiers', '');
  if (imports.unresolved.length === 0 && kept.length === 0) lines.push('None.', '');
  for (const u of imports.unresolved) {
    lines.push(`- ${code(`${u.file}:${u.line}`)} ${code(u.specifier)} (${u.kind}): ${u.reason}`);
  }
  for (const n of kept) {
    lines.push(`- ${code(`${n.file}:${n.line}`)} kept ${code(n.specifier)} (${n.kind}): ${n.reason}`);
  }
  if (imports.unresolved.length + kept.length > 0) lines.push('');
  if (manual.length > 0) {
    lines.push(
      '## Manual changes needed',
      '',
      'Mocks that name a file inside another library: the boundary lint refuses the relative path, and the ' +
        "library's entry cannot stand for the file (it does not re-export all of it, or a factory would replace " +
        'more than the file). Mock the module the code under test imports, or export the file from the entry.',
      '',
    );
    for (const n of manual) {
      lines.push(
        `- ${code(`${n.file}:${n.line}`)} ${code(n.specifier)} (${n.kind}): ${n.reason.slice(MANUAL_MOCK_CHANGE.length + 2)}`,
      );
    }
    lines.push('');
  }

  lines.push(
    '## Near-duplicate modules',
    '',
    'Found by name (equal once version markers such as `v2`, `Final`, `Old`, `copy` and case are stripped, same folder); similarity is the Jaccard index of their token multisets.',
    '',
  );
  if (data.nearDuplicates.length === 0) lines.push('None.', '');
  for (const group of data.nearDuplicates) {
    lines.push(
      `- ${code(group.normalizedName)} in ${code(group.folder)}: ${group.members.map((m) => code(m.path.slice(group.folder.length + 1))).join(', ')}`,
      ...group.pairs.map(
        (p) =>
          `  - ${code(p.a.slice(group.folder.length + 1))} ~ ${code(p.b.slice(group.folder.length + 1))}: ${Math.round(p.similarity * 100)}% of tokens shared`,
      ),
    );
  }
  if (data.nearDuplicates.length > 0) lines.push('');

  const registry = data.registry;
  lines.push(
    '## Service registry',
    '',
    `${code(registry.path)} ${registry.created ? 'created' : 'updated'}; boot order: ${registry.bootOrder.map(code).join(' → ') || '—'}.`,
  );
  if (registry.cycle.length > 0)
    lines.push(`- Dependency cycle (the registry will refuse to start these): ${registry.cycle.map(code).join(', ')}.`);
  if (registry.kept.length > 0) lines.push(`- Kept from the existing registry: ${registry.kept.map(code).join(', ')}.`);
  lines.push(
    '',
    ...table(
      ['project', 'depends on'],
      [...new Set(data.edges.map((e) => e.from))].sort().map((from) => [
        code(from),
        data.edges
          .filter((e) => e.from === from)
          .map((e) => `${code(e.to)} (${e.example})`)
          .join(', '),
      ]),
    ),
    '',
  );

  lines.push(
    '## nx affected',
    '',
    `${data.changedFiles} file(s) changed. \`nx affected\` against ${code(short(data.mainBefore))} marks ${data.affected.projects.length} project(s): ${data.affected.projects.map(code).join(', ') || '—'}.`,
    `- Changed files inside: ${data.affected.direct.map(code).join(', ') || '—'}.`,
  );
  if (data.affected.viaWorkspaceFiles)
    lines.push(
      '- Workspace-wide inputs changed (nx.json, tsconfig.base.json, package.json or jest.preset.js): every project.',
    );
  if (data.affected.viaDependencies.length > 0)
    lines.push(`- Through dependencies: ${data.affected.viaDependencies.map(code).join(', ')}.`);
  lines.push('');
  return lines.join('\n');
}

export function writeMigrationReport(tree: Tree, data: MigrationReportData, path: string = REPORT_PATH): string {
  const text = renderMigrationReport(data);
  tree.write(path, text);
  return text;
}

/** The section the generator's task appends once the new libraries have been typechecked on disk. */
export function renderTypecheckSection(result: {
  configs: string[];
  problems: Array<{ file: string; line: number; message: string; code: number }>;
  durationMs: number;
}): string {
  const lines = [
    '## Typecheck',
    '',
    `${result.configs.length} tsconfig(s) checked in ${(result.durationMs / 1000).toFixed(1)} s: ` +
      (result.problems.length === 0 ? 'no errors.' : `${result.problems.length} error(s).`),
    '',
    ...result.problems.map((p) => `- ${code(`${p.file}:${p.line}`)} TS${p.code}: ${p.message.split('\n')[0]}`),
  ];
  return lines.join('\n') + (result.problems.length > 0 ? '\n\n' : '\n');
}
