import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import fc from 'fast-check';
import { collectSpecifiers } from '../../../specifiers/collect-specifiers';
import { ExportSurfaceIndex, analyzeExports } from '../../../specifiers/export-surface';
import { originalTreeFileSystem, treeFileSystem } from '../../../specifiers/file-systems';
import { createModuleResolver } from '../../../specifiers/module-resolver';
import { PathMapping } from '../../../specifiers/path-mapping';
import { entryPathOf, projectOf, type ProjectInfo } from '../../../specifiers/project-info';
import { resolveRelativeInTree } from '../../../specifiers/resolve-in-tree';
import { stripScriptExtension } from '../../../specifiers/script-files';
import { dotRelative, relativeWorkspacePath, workspaceDirname } from '../../../specifiers/workspace-paths';
import { rewriteImports } from './rewrite-imports';

const OLD_WORDS = ['priceFeed', 'bar_builder', 'TickStream', 'risk_limit', 'orderBook', 'fill-model'];
const NEW_WORDS = ['price-feed', 'bar-builder', 'tick-stream', 'risk-limit', 'order-book', 'fill-model'];
const OLD_DIRS = ['', 'dataSources', 'util_fns', 'deep/nestedDir'];
const NEW_DIRS = ['', 'data-sources', 'utils', 'deep/nested-dir', 'moved/elsewhere'];
const FORMS = ['import', 'export-from', 'require', 'dynamic-import', 'alias'] as const;

interface LayoutFile {
  project: number;
  oldPath: string;
  newPath: string;
}

const layoutArbitrary = fc
  .record({
    projectCount: fc.integer({ min: 1, max: 3 }),
    files: fc.array(
      fc.record({
        project: fc.nat(2),
        word: fc.nat(OLD_WORDS.length - 1),
        oldDir: fc.nat(OLD_DIRS.length - 1),
        newDir: fc.nat(NEW_DIRS.length - 1),
      }),
      { minLength: 2, maxLength: 8 },
    ),
    edges: fc.array(fc.record({ from: fc.nat(7), to: fc.nat(7), form: fc.constantFrom(...FORMS) }), {
      minLength: 1,
      maxLength: 12,
    }),
  })
  .map(({ projectCount, files, edges }) => {
    const layout: LayoutFile[] = files.map((file, i) => {
      const project = file.project % projectCount;
      const oldDir = OLD_DIRS[file.oldDir];
      const newDir = NEW_DIRS[file.newDir];
      return {
        project,
        oldPath: `legacy/svc_${project}/src/${oldDir ? oldDir + '/' : ''}${OLD_WORDS[file.word]}${i}.ts`,
        newPath: `libs/svc-${project}/src/${newDir ? newDir + '/' : ''}${NEW_WORDS[file.word]}-${i}.ts`,
      };
    });
    const seen = new Set<string>();
    const links = edges
      .map((edge) => ({ from: edge.from % layout.length, to: edge.to % layout.length, form: edge.form }))
      .filter(
        (edge) => edge.from !== edge.to && !seen.has(`${edge.from}>${edge.to}`) && seen.add(`${edge.from}>${edge.to}`),
      );
    return { projectCount, layout, links };
  });

function legacySpecifier(from: LayoutFile, to: LayoutFile, form: (typeof FORMS)[number]): string {
  if (form === 'alias')
    return `@old-${to.project}/${stripScriptExtension(to.oldPath.replace(`legacy/svc_${to.project}/src/`, ''))}`;
  return dotRelative(relativeWorkspacePath(workspaceDirname(from.oldPath), stripScriptExtension(to.oldPath)));
}

function statement(specifier: string, symbol: string, form: (typeof FORMS)[number]): string {
  switch (form) {
    case 'export-from':
      return `export { ${symbol} } from '${specifier}';`;
    case 'require':
      return `const { ${symbol} } = require('${specifier}');`;
    case 'dynamic-import':
      return `export const load_${symbol} = async () => { const { ${symbol} } = await import('${specifier}'); return ${symbol}; };`;
    default:
      return `import { ${symbol} } from '${specifier}';`;
  }
}

describe('rewriteImports property', () => {
  it('every rewritten import resolves, with the new tsconfig paths, to the mapped file (or its project entry re-exporting it)', () => {
    fc.assert(
      fc.property(layoutArbitrary, ({ projectCount, layout, links }) => {
        const tree = createTreeWithEmptyWorkspace();
        const mapping = new PathMapping();
        const projects: ProjectInfo[] = [];
        for (let p = 0; p < projectCount; p++) {
          projects.push({
            name: `svc-${p}`,
            root: `libs/svc-${p}`,
            importPath: `@rrr/svc-${p}`,
            entry: 'src/index.ts',
          });
          const paths = Object.fromEntries(
            Array.from({ length: projectCount }, (_, q) => [`@old-${q}/*`, [`../svc_${q}/src/*`]]),
          );
          tree.write(`legacy/svc_${p}/tsconfig.json`, JSON.stringify({ compilerOptions: { baseUrl: '.', paths } }));
          tree.write(`libs/svc-${p}/src/index.ts`, 'export {};\n');
          mapping.set(`legacy/svc_${p}/src/index.ts`, `libs/svc-${p}/src/index.ts`);
        }
        tree.write(
          'tsconfig.base.json',
          JSON.stringify({
            compilerOptions: {
              baseUrl: '.',
              paths: Object.fromEntries(projects.map((project) => [project.importPath, [entryPathOf(project)]])),
            },
          }),
        );
        layout.forEach((file, i) => {
          const lines = links
            .filter((link) => link.from === i)
            .map((link) => statement(legacySpecifier(file, layout[link.to], link.form), `s${link.to}`, link.form));
          tree.write(file.newPath, [...lines, `export const s${i} = ${i};`, ''].join('\n'));
          mapping.set(file.oldPath, file.newPath);
        });

        const report = rewriteImports(tree, {
          files: layout.map((file) => file.newPath),
          mapping,
          projects,
          resolveOriginal: createModuleResolver(originalTreeFileSystem(tree, mapping)),
        });
        expect(report.unresolved).toEqual([]);

        const resolveNew = createModuleResolver(treeFileSystem(tree), { fallbackTsconfig: 'tsconfig.base.json' });
        const exportsIndex = new ExportSurfaceIndex((path) => {
          const text = tree.read(path, 'utf-8');
          return text === null
            ? undefined
            : analyzeExports(text, path, (specifier) => resolveRelativeInTree((p) => tree.isFile(p), path, specifier));
        });
        for (const file of layout) {
          const text = tree.read(file.newPath, 'utf-8') as string;
          for (const reference of collectSpecifiers(text, file.newPath)) {
            const symbol = reference.usage.names[0].name;
            const expected = layout[Number(symbol.slice(1))].newPath;
            const resolved = resolveNew(reference.text, file.newPath);
            if (resolved === expected) continue;
            const targetProject = projectOf(projects, expected) as ProjectInfo;
            expect(projectOf(projects, file.newPath)?.name).not.toBe(targetProject.name);
            expect(reference.text).toBe(targetProject.importPath);
            expect(resolved).toBe(entryPathOf(targetProject));
            expect(exportsIndex.origin(resolved as string, symbol)).toEqual({ file: expected, name: symbol });
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
