import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { SPECIFIER_KINDS, type SpecifierKind } from '../../../specifiers/collect-specifiers';
import { MANUAL_MOCK_CHANGE } from './rewrite-imports';
import { REFERENCE_KINDS, type ReferenceKind } from './update-references';
import {
  renderMigrationReport,
  renderTypecheckSection,
  REPORT_PATH,
  rollbackCommand,
  writeMigrationReport,
  type MigrationReportData,
} from './write-report';

function counts<K extends string>(kinds: readonly K[], values: Partial<Record<K, number>>): Record<K, number> {
  return Object.fromEntries(kinds.map((kind) => [kind, values[kind] ?? 0])) as Record<K, number>;
}

function data(): MigrationReportData {
  return {
    date: '2026-11-25T12:00:00.000Z',
    mainBranch: 'main',
    mainBefore: 'a'.repeat(40),
    mainAfter: 'b'.repeat(40),
    backupPath: 'backups/2026-11-25T12-00-00-000Z',
    dryRun: false,
    wipCommits: [
      {
        label: 'worktrees/trading_engine',
        branch: 'service/trading_engine',
        commit: 'c'.repeat(40),
        files: ['src/portfolio/position-tracker.ts', 'src/execution/slippage_model.ts'],
      },
    ],
    services: [
      {
        worktree: 'worktrees/neural_network',
        branch: 'service/neural_network',
        source: 'd'.repeat(40),
        project: 'neural-network',
        importPath: '@rrr/neural-network',
        target: 'libs/services/neural-network',
        filesImported: 12,
        filesAfter: 9,
        renames: [
          [
            'worktrees/neural_network/src/models/predictor_v2.ts',
            'worktrees/neural_network/src/models/predictor-v2.ts',
          ],
        ],
        testsMoved: 2,
        configMoved: 1,
        docsMoved: 2,
        dropped: [{ path: 'libs/services/neural-network/package-lock.json', reason: 'lockfile' }],
        replaced: [{ path: 'libs/services/neural-network/tsconfig.json', role: 'tsconfig' }],
        before: { files: 20, bytes: 10 * 1024 },
        after: { files: 9, bytes: 4096 },
        leftBehind: {
          files: 8,
          bytes: 2048,
          byReason: { dependencies: { files: 7, bytes: 2000 }, lockfile: { files: 1, bytes: 48 } },
        },
        keptCompilerOptions: [],
      },
    ],
    shared: { from: 'src/core', project: 'core', importPath: '@rrr/core', target: 'libs/core', files: 4, renames: [] },
    workspace: {
      wasNxWorkspace: false,
      created: ['nx.json', 'jest.preset.js'],
      updated: ['package.json'],
      removed: ['jest.config.js'],
      renamed: [['tsconfig.json', 'tsconfig.base.json']],
      originals: {},
      devDependenciesAdded: { nx: '23.2.1' },
      scriptsReplaced: [{ name: 'test', from: 'jest', to: 'nx run-many -t test' }],
      gitignoreAdded: ['/backups/'],
    },
    dependencyConflicts: [],
    imports: {
      filesScanned: 30,
      filesChanged: ['libs/services/neural-network/src/index.ts'],
      rewritten: counts<SpecifierKind>(SPECIFIER_KINDS, { import: 5, 'jest-mock': 1, 'type-query': 2 }),
      totalRewritten: 8,
      unresolved: [
        {
          file: 'libs/services/neural-network/src/legacy.ts',
          line: 3,
          column: 20,
          specifier: '../../../gone/thing',
          kind: 'import',
          reason: 'not found: no file at gone/thing',
        },
      ],
      exportsAdded: [],
      needsExport: [],
    },
    references: {
      filesChanged: [],
      updated: [],
      byKind: counts<ReferenceKind>(REFERENCE_KINDS, { 'markdown-link': 3 }),
    },
    nearDuplicates: [
      {
        normalizedName: 'predictor',
        folder: 'libs/services/neural-network/src/models',
        members: [
          { path: 'libs/services/neural-network/src/models/predictor.ts', tokens: 40 },
          { path: 'libs/services/neural-network/src/models/predictor-v2.ts', tokens: 44 },
        ],
        pairs: [
          {
            a: 'libs/services/neural-network/src/models/predictor.ts',
            b: 'libs/services/neural-network/src/models/predictor-v2.ts',
            similarity: 0.73,
          },
        ],
      },
    ],
    registry: {
      path: 'apps/platform/src/boot/service-dependencies.ts',
      dependencies: { 'neural-network': [] },
      bootOrder: ['neural-network'],
      cycle: [],
      kept: [],
      created: true,
    },
    edges: [{ from: 'neural-network', to: 'core', example: 'libs/services/neural-network/src/x.ts:1 import' }],
    affected: {
      projects: ['core', 'neural-network'],
      direct: ['core', 'neural-network'],
      viaWorkspaceFiles: true,
      viaDependencies: [],
    },
    changedFiles: 42,
  };
}

describe('renderMigrationReport', () => {
  it('says where the backup is and how to roll back', () => {
    const text = renderMigrationReport(data());
    expect(text).toContain('- Roll back: `nx g @rrr/tools:rollback --backup backups/2026-11-25T12-00-00-000Z`');
    expect(rollbackCommand('/x/backups/1')).toBe('nx g @rrr/tools:rollback --backup /x/backups/1');
  });

  it('asks for npm install when devDependencies were added, so the lockfile has what Nx hashes the tests with', () => {
    expect(renderMigrationReport(data())).toContain(
      '- devDependencies added: `nx@23.2.1`. Run `npm install` so the lockfile records them: Nx hashes each test task ' +
        'with the jest version it finds there.',
    );
  });

  it('lists per worktree what moved, was renamed, dropped and left behind, with bytes before and after', () => {
    const text = renderMigrationReport(data());
    expect(text).toContain(
      '| `worktrees/neural_network` | `service/neural_network` @ dddddddddddd | `libs/services/neural-network` (`@rrr/neural-network`) | 12 | 1 | 2 | 20 files, 10.0 KiB | 9 files, 4.0 KiB | 8 files, 2.0 KiB |',
    );
    expect(text).toContain(
      '- `worktrees/neural_network/src/models/predictor_v2.ts` → `worktrees/neural_network/src/models/predictor-v2.ts`',
    );
    expect(text).toContain('- Dropped tracked files: `libs/services/neural-network/package-lock.json` (lockfile).');
    expect(text).toContain('- Left behind in the worktree: dependencies: 7 files, 2.0 KiB; lockfile: 1 files, 48 B.');
    expect(text).toContain(
      'Total: 20 files (10.0 KiB) in the worktrees before, 9 files (4.0 KiB) in the libraries after; 8 files (2.0 KiB)',
    );
  });

  it('counts rewrites by kind, lists unresolved specifiers with file:line and why, and the WIP commits', () => {
    const text = renderMigrationReport(data());
    expect(text).toContain('| import | 5 |\n| type-query | 2 |\n| jest-mock | 1 |');
    expect(text).not.toContain('| require |');
    expect(text).toContain(
      '- `libs/services/neural-network/src/legacy.ts:3` `../../../gone/thing` (import): not found: no file at gone/thing',
    );
    expect(text).toContain('- `worktrees/trading_engine` on `service/trading_engine`: cccccccccccc — 2 file(s)');
  });

  it("lists mocks of another library's internal file as manual changes, with file:line, apart from the unresolved", () => {
    const report = data();
    report.imports.needsExport.push({
      file: 'libs/services/risk-management/src/__tests__/limit-store.spec.ts',
      line: 7,
      specifier: '../../../data-pipeline/src/storage-layer/sqlite-store',
      kind: 'jest-mock',
      project: 'data-pipeline',
      target: 'libs/services/data-pipeline/src/storage-layer/sqlite-store.ts',
      names: ['*'],
      reason: `${MANUAL_MOCK_CHANGE}: jest-mock of x, a file inside @rrr/data-pipeline, cannot become @rrr/data-pipeline: no`,
    });
    const text = renderMigrationReport(report);
    const manual = text.slice(text.indexOf('## Manual changes needed'));
    expect(manual).toContain(
      '- `libs/services/risk-management/src/__tests__/limit-store.spec.ts:7` `../../../data-pipeline/src/storage-layer/sqlite-store` (jest-mock): jest-mock of x, a file inside @rrr/data-pipeline, cannot become @rrr/data-pipeline: no',
    );
    expect(
      text.slice(text.indexOf('## Unresolved specifiers'), text.indexOf('## Manual changes needed')),
    ).not.toContain('limit-store.spec.ts');
    expect(renderMigrationReport(data())).not.toContain('## Manual changes needed');
  });

  it('names near-duplicates with their similarity, the boot order and what nx affected marks', () => {
    const text = renderMigrationReport(data());
    expect(text).toContain('  - `predictor.ts` ~ `predictor-v2.ts`: 73% of tokens shared');
    expect(text).toContain('boot order: `neural-network`.');
    expect(text).toContain('marks 2 project(s): `core`, `neural-network`.');
  });

  it('writes the file into the tree; a dry run says nothing changed', () => {
    const tree = createTreeWithEmptyWorkspace();
    const text = writeMigrationReport(tree, { ...data(), dryRun: true, backupPath: undefined });
    expect(tree.read(REPORT_PATH, 'utf-8')).toBe(text);
    expect(text).toContain(
      'Dry run of `nx g @rrr/tools:consolidate` on 2026-11-25T12:00:00.000Z: nothing was changed.',
    );
    expect(text).not.toContain('Roll back');
  });
});

describe('renderTypecheckSection', () => {
  it('lists each error with file:line and code', () => {
    expect(
      renderTypecheckSection({
        configs: ['libs/core/tsconfig.lib.json'],
        problems: [{ file: 'libs/core/src/a.ts', line: 4, code: 2304, message: "Cannot find name 'x'.\nmore" }],
        durationMs: 1500,
      }),
    ).toBe(
      "## Typecheck\n\n1 tsconfig(s) checked in 1.5 s: 1 error(s).\n\n- `libs/core/src/a.ts:4` TS2304: Cannot find name 'x'.\n\n",
    );
  });
});
