import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SpecifierKind } from '../../../specifiers/collect-specifiers';
import { originalTreeFileSystem, treeFileSystem } from '../../../specifiers/file-systems';
import { createModuleResolver } from '../../../specifiers/module-resolver';
import { PathMapping } from '../../../specifiers/path-mapping';
import type { ProjectInfo } from '../../../specifiers/project-info';
import { rewriteImports, type RewriteReport } from './rewrite-imports';

const FIXTURES = join(__dirname, '__fixtures__');

export const PROJECTS: ProjectInfo[] = [
  { name: 'core', root: 'libs/core', importPath: '@rrr/core', entry: 'src/index.ts' },
  {
    name: 'data-pipeline',
    root: 'libs/services/data-pipeline',
    importPath: '@rrr/data-pipeline',
    entry: 'src/index.ts',
  },
  {
    name: 'risk-management',
    root: 'libs/services/risk-management',
    importPath: '@rrr/risk-management',
    entry: 'src/index.ts',
  },
];

/**
 * The legacy repository every fixture lives in: shared code in src/core, two worktrees with mixed
 * naming and their own tsconfig aliases. Each row is [old path, new path, content]; barrels hold
 * their already-consolidated text because the orchestrator rewrites them in the same pass.
 */
const LEGACY_TSCONFIG = JSON.stringify({
  compilerOptions: {
    module: 'commonjs',
    target: 'es2020',
    baseUrl: '.',
    allowJs: true,
    resolveJsonModule: true,
    esModuleInterop: true,
    paths: { '@shared': ['../../src/core'], '@shared/*': ['../../src/core/*'] },
  },
  include: ['src', 'tests', 'scripts'],
});

const WORLD: Array<[string, string, string]> = [
  [
    'src/core/index.ts',
    'libs/core/src/index.ts',
    "export * from './types';\nexport { Clock, systemClock } from './time/clock';\n",
  ],
  [
    'src/core/types.ts',
    'libs/core/src/types.ts',
    'export interface Bar {\n  close: number;\n}\nexport type Symbol = string;\n',
  ],
  [
    'src/core/time/clock.ts',
    'libs/core/src/time/clock.ts',
    'export interface Clock {\n  now(): number;\n}\nexport const systemClock: Clock = { now: () => Date.now() };\n',
  ],
  [
    'src/core/utils/index.ts',
    'libs/core/src/utils/index.ts',
    'export function roundTo(value: number, digits: number): number {\n  return Number(value.toFixed(digits));\n}\nexport const EPSILON = 1e-9;\n',
  ],
  ['src/core/config/defaults.json', 'libs/core/src/config/defaults.json', '{ "timezone": "UTC" }\n'],
  ['worktrees/data_pipeline/tsconfig.json', 'libs/services/data-pipeline/tsconfig.json', LEGACY_TSCONFIG],
  [
    'worktrees/data_pipeline/src/index.ts',
    'libs/services/data-pipeline/src/index.ts',
    "export * from './sources/price-feed';\nexport { buildBar } from './sources/bar-builder';\n",
  ],
  [
    'worktrees/data_pipeline/src/sources/priceFeed.ts',
    'libs/services/data-pipeline/src/sources/price-feed.ts',
    'export interface PriceFeed {\n  next(): Promise<number>;\n}\nexport async function fetchPrices(): Promise<number[]> {\n  return [];\n}\n',
  ],
  [
    'worktrees/data_pipeline/src/sources/bar_builder.ts',
    'libs/services/data-pipeline/src/sources/bar-builder.ts',
    'export function buildBar() {\n  return { close: 1 };\n}\n',
  ],
  [
    'worktrees/data_pipeline/src/storageLayer/index.ts',
    'libs/services/data-pipeline/src/storage-layer/index.ts',
    "export * from './sqlite-store';\n",
  ],
  [
    'worktrees/data_pipeline/src/storageLayer/sqlite_store.ts',
    'libs/services/data-pipeline/src/storage-layer/sqlite-store.ts',
    'export class SqliteStore {}\n',
  ],
  [
    'worktrees/data_pipeline/src/marketData/tick_stream.ts',
    'libs/services/data-pipeline/src/market-data/tick-stream.ts',
    'export class TickStream {}\n',
  ],
  [
    'worktrees/data_pipeline/src/fixtures/sample_bars.json',
    'libs/services/data-pipeline/src/fixtures/sample-bars.json',
    '[]\n',
  ],
  [
    'worktrees/data_pipeline/types/legacy_globals.d.ts',
    'libs/services/data-pipeline/types/legacy-globals.d.ts',
    'declare const LEGACY: boolean;\n',
  ],
  [
    'worktrees/risk_management/tsconfig.json',
    'libs/services/risk-management/tsconfig.json',
    JSON.stringify({ compilerOptions: { module: 'commonjs', strict: true } }),
  ],
  [
    'worktrees/risk_management/src/index.ts',
    'libs/services/risk-management/src/index.ts',
    "export { DailyLossLimiter } from './limits/daily-loss';\n",
  ],
  [
    'worktrees/risk_management/src/limits/daily_loss.ts',
    'libs/services/risk-management/src/limits/daily-loss.ts',
    'export class DailyLossLimiter {}\nexport default DailyLossLimiter;\n',
  ],
  [
    'worktrees/risk_management/src/limits/position_size.ts',
    'libs/services/risk-management/src/limits/position-size.ts',
    'export function maxPosition(equity: number): number {\n  return equity * 0.2;\n}\nexport interface PositionLimit {\n  fraction: number;\n}\n',
  ],
];

interface FixtureCase {
  from: string;
  to: string;
  rewritten?: Partial<Record<SpecifierKind, number>>;
  unresolved?: Array<{ line: number; specifier: string; reason: string }>;
  needsExport?: Array<{ line: number; specifier: string; reason: string }>;
  exportsAdded?: string[];
  entries?: Record<string, string>;
}

/** Lays the legacy world out at its consolidated paths, as the orchestrator leaves the tree before rewriting. */
function consolidatedWorld(extra: Array<[string, string, string]> = []): { tree: Tree; mapping: PathMapping } {
  const tree = createTreeWithEmptyWorkspace();
  const mapping = new PathMapping();
  for (const [oldPath, newPath, content] of [...WORLD, ...extra]) {
    tree.write(newPath, content);
    mapping.set(oldPath, newPath);
  }
  return { tree, mapping };
}

function rewrite(tree: Tree, mapping: PathMapping, files: string[]): RewriteReport {
  return rewriteImports(tree, {
    files,
    mapping,
    projects: PROJECTS,
    resolveOriginal: createModuleResolver(originalTreeFileSystem(tree, mapping)),
  });
}

const caseNames = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.case.json'))
  .map((name) => name.slice(0, -'.case.json'.length))
  .sort();

describe('rewriteImports fixture pairs', () => {
  it('has one pair per hard case', () => {
    expect(caseNames).toHaveLength(25);
  });

  it.each(caseNames)('%s', (name) => {
    const fixture = JSON.parse(readFileSync(join(FIXTURES, `${name}.case.json`), 'utf-8')) as FixtureCase;
    const extension = fixture.from.slice(fixture.from.lastIndexOf('.'));
    const input = readFileSync(join(FIXTURES, `${name}.input${extension}`), 'utf-8');
    const output = readFileSync(join(FIXTURES, `${name}.output${extension}`), 'utf-8');
    const { tree, mapping } = consolidatedWorld([[fixture.from, fixture.to, input]]);

    const report = rewrite(tree, mapping, [fixture.to]);

    expect(tree.read(fixture.to, 'utf-8')).toBe(output);
    const counted = Object.fromEntries(Object.entries(report.rewritten).filter(([, count]) => count > 0));
    expect(counted).toEqual(fixture.rewritten ?? {});
    expect(report.unresolved.map(({ line, specifier }) => ({ line, specifier }))).toEqual(
      (fixture.unresolved ?? []).map(({ line, specifier }) => ({ line, specifier })),
    );
    (fixture.unresolved ?? []).forEach((expected, i) => {
      expect(report.unresolved[i]).toMatchObject({ file: fixture.to });
      expect(report.unresolved[i].reason).toContain(expected.reason);
    });
    expect(report.needsExport.map(({ line, specifier }) => ({ line, specifier }))).toEqual(
      (fixture.needsExport ?? []).map(({ line, specifier }) => ({ line, specifier })),
    );
    (fixture.needsExport ?? []).forEach((expected, i) =>
      expect(report.needsExport[i].reason).toContain(expected.reason),
    );
    expect(report.exportsAdded.map((added) => `${added.entry}: ${added.statement}`)).toEqual(
      fixture.exportsAdded ?? [],
    );
    for (const [path, content] of Object.entries(fixture.entries ?? {})) {
      expect(tree.read(path, 'utf-8')).toBe(content);
    }
  });

  it('changes nothing and reports nothing on a second run over the rewritten files', () => {
    const { tree, mapping } = consolidatedWorld();
    const files: string[] = [];
    for (const name of caseNames.filter((caseName) => caseName !== 'unresolved')) {
      const fixture = JSON.parse(readFileSync(join(FIXTURES, `${name}.case.json`), 'utf-8')) as FixtureCase;
      const extension = fixture.from.slice(fixture.from.lastIndexOf('.'));
      tree.write(fixture.to, readFileSync(join(FIXTURES, `${name}.input${extension}`), 'utf-8'));
      mapping.set(fixture.from, fixture.to);
      files.push(fixture.to);
    }
    const options = {
      files,
      mapping,
      projects: PROJECTS,
      resolveOriginal: createModuleResolver(originalTreeFileSystem(tree, mapping)),
      resolveCurrent: createModuleResolver(treeFileSystem(tree)),
    };
    const first = rewriteImports(tree, options);
    expect(first.totalRewritten).toBeGreaterThan(60);
    const snapshot = new Map(files.map((file) => [file, tree.read(file, 'utf-8')]));
    const entries = PROJECTS.map((project) => tree.read(`${project.root}/src/index.ts`, 'utf-8'));

    const second = rewriteImports(tree, options);
    expect(second.totalRewritten).toBe(0);
    expect(second.unresolved).toEqual([]);
    expect(second.exportsAdded).toEqual([]);
    expect(second.filesChanged).toEqual([]);
    for (const file of files) expect(tree.read(file, 'utf-8')).toBe(snapshot.get(file));
    expect(PROJECTS.map((project) => tree.read(`${project.root}/src/index.ts`, 'utf-8'))).toEqual(entries);
  });

  it('keeps the CRLF fixture in CRLF (the pair is stored byte for byte)', () => {
    expect(readFileSync(join(FIXTURES, 'crlf-line-endings.input.ts'), 'utf-8')).toContain('\r\n');
  });
});

describe('rewriteImports decisions', () => {
  const CASE = 'worktrees/data_pipeline/src/sources/decisions.ts';
  const NEW_CASE = 'libs/services/data-pipeline/src/sources/decisions.ts';

  function run(source: string, extra: Array<[string, string, string]> = [], addExports = true) {
    const { tree, mapping } = consolidatedWorld([[CASE, NEW_CASE, source], ...extra]);
    const report = rewriteImports(tree, {
      files: [NEW_CASE, ...extra.map(([, newPath]) => newPath)],
      mapping,
      projects: PROJECTS,
      resolveOriginal: createModuleResolver(originalTreeFileSystem(tree, mapping)),
      addExports,
    });
    return { tree, report, text: tree.read(NEW_CASE, 'utf-8') };
  }

  it('keeps a deep path and reports it when a whole JSON module is required across projects', () => {
    const { text, report } = run("const defaults = require('../../../../src/core/config/defaults.json');\n");
    expect(text).toBe("const defaults = require('../../../../core/src/config/defaults.json');\n");
    expect(report.needsExport).toEqual([
      expect.objectContaining({
        line: 1,
        reason: 'libs/core/src/config/defaults.json is not a module libs/core/src/index.ts can re-export',
      }),
    ]);
    expect(report.exportsAdded).toEqual([]);
  });

  it('keeps a deep path and reports a default import across projects (the entry cannot stand in for it)', () => {
    const { text, report } = run("import Limiter from '../../../risk_management/src/limits/daily_loss';\n");
    expect(text).toBe("import Limiter from '../../../risk-management/src/limits/daily-loss';\n");
    expect(report.needsExport[0].reason).toBe(
      'default import: libs/services/risk-management/src/index.ts cannot re-export the default of libs/services/risk-management/src/limits/daily-loss.ts under the same import',
    );
  });

  it('reports instead of adding exports when addExports is off', () => {
    const { text, report, tree } = run("import { roundTo } from '@shared/utils';\n", [], false);
    expect(text).toBe("import { roundTo } from '../../../../core/src/utils';\n");
    expect(report.needsExport[0].reason).toBe(
      'libs/core/src/index.ts does not export roundTo of libs/core/src/utils/index.ts',
    );
    expect(tree.read('libs/core/src/index.ts', 'utf-8')).not.toContain('roundTo');
  });

  it('refuses to re-export a name the entry already exports from elsewhere', () => {
    const clash: Array<[string, string, string]> = [
      ['src/core/clash.ts', 'libs/core/src/clash.ts', 'export const systemClock = 42;\n'],
    ];
    const { text, report } = run("import { systemClock } from '../../../../src/core/clash';\n", clash);
    expect(text).toBe("import { systemClock } from '../../../../core/src/clash';\n");
    expect(report.needsExport[0].reason).toBe(
      'name conflict: libs/core/src/index.ts already exports systemClock from libs/core/src/time/clock.ts',
    );
  });

  it('adds an export type for names that are only types, and reuses one statement per target', () => {
    const { tree } = run(
      [
        "import { maxPosition, type PositionLimit } from '../../../risk_management/src/limits/position_size';",
        "import { maxPosition as again } from '../../../risk_management/src/limits/position_size';",
        '',
      ].join('\n'),
    );
    expect(tree.read('libs/services/risk-management/src/index.ts', 'utf-8')).toBe(
      [
        "export { DailyLossLimiter } from './limits/daily-loss';",
        "export { maxPosition } from './limits/position-size';",
        "export type { PositionLimit } from './limits/position-size';",
        '',
      ].join('\n'),
    );
  });

  it('reports a moved file whose target lies outside every project, keeping a working relative path', () => {
    const outside: Array<[string, string, string]> = [
      ['scripts/seed_data.ts', 'scripts/seed_data.ts', 'export const seed = 1;\n'],
    ];
    const { text, report } = run("import { seed } from '../../../../scripts/seed_data';\n", outside);
    expect(text).toBe("import { seed } from '../../../../../scripts/seed_data';\n");
    expect(report.unresolved).toEqual([
      expect.objectContaining({
        line: 1,
        reason: 'outside any project: scripts/seed_data.ts belongs to no project (kept as a relative path)',
      }),
    ]);
  });

  it('uses the import path from files outside every project', () => {
    const outsider: Array<[string, string, string]> = [
      [
        'tools/report.ts',
        'tools/report.ts',
        "import { DailyLossLimiter } from '../worktrees/risk_management/src/limits/daily_loss';\n",
      ],
    ];
    const { tree } = run('export {};\n', outsider);
    expect(tree.read('tools/report.ts', 'utf-8')).toBe("import { DailyLossLimiter } from '@rrr/risk-management';\n");
  });
});
