import { collectSpecifiers, type ModuleReference } from './collect-specifiers';

function summary(references: ModuleReference[]): Array<[string, string, string?]> {
  return references.map((reference) =>
    reference.method ? [reference.kind, reference.text, reference.method] : [reference.kind, reference.text],
  );
}

describe('collectSpecifiers', () => {
  const source = [
    '/// <reference path="./globals.d.ts" />',
    "import def, { a, b as c, type T } from './static';",
    "import './side-effect';",
    "import type { Only } from './type-only';",
    "import * as ns from './namespace';",
    "import data from './data.json';",
    "export * from './star';",
    "export * as starNs from './star-ns';",
    "export { x, y as z } from './named';",
    "export type { Shape } from './types';",
    "import legacy = require('./legacy');",
    "const lazy = import('./lazy');",
    'const tpl = import(`./template`);',
    "const { r1, r2 } = require('./required');",
    "const whole = require('./whole');",
    "const where = require.resolve('./resolved');",
    "type Q = typeof import('./queried');",
    "type P = import('./picked').Picked;",
    "jest.mock('./mocked');",
    "jest.requireActual('./actual');",
    "vi.mock('./vi-mocked');",
    "vi.importActual('./vi-actual');",
    "declare module './augmented' { interface Extra { e: 1 } }",
    '/** @type {import("./jsdoc").Doc} */',
    'const documented = 1;',
    'const text = \'require("./not-a-reference")\';',
    "// import fake from './commented';",
    "/* jest.mock('./block-comment') */",
    "foo.mock('./not-jest');",
    'const dynamic = import(`./${name}`);',
  ].join('\n');

  const references = collectSpecifiers(source, 'libs/a/src/file.ts');

  it('finds every kind of module reference, in source order', () => {
    expect(summary(references)).toEqual([
      ['reference-path', './globals.d.ts'],
      ['import', './static'],
      ['side-effect-import', './side-effect'],
      ['type-only-import', './type-only'],
      ['import', './namespace'],
      ['json-import', './data.json'],
      ['export-from', './star'],
      ['export-from', './star-ns'],
      ['export-from', './named'],
      ['export-from', './types'],
      ['import-equals', './legacy'],
      ['dynamic-import', './lazy'],
      ['dynamic-import', './template'],
      ['require', './required'],
      ['require', './whole'],
      ['require-resolve', './resolved'],
      ['type-query', './queried'],
      ['type-query', './picked'],
      ['jest-mock', './mocked', 'mock'],
      ['jest-mock', './actual', 'requireActual'],
      ['vi-mock', './vi-mocked', 'mock'],
      ['vi-mock', './vi-actual', 'importActual'],
      ['module-augmentation', './augmented'],
      ['jsdoc-import', './jsdoc'],
    ]);
  });

  it('gives the offsets of exactly the specifier text, quotes excluded', () => {
    for (const reference of references) {
      expect(source.slice(reference.start, reference.end)).toBe(reference.text);
      expect(source.split('\n')[reference.line - 1].slice(reference.column - 1)).toMatch(
        new RegExp('^' + reference.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')),
      );
    }
  });

  it('records what each reference uses from its target', () => {
    const byText = new Map(references.map((reference) => [reference.text, reference.usage]));
    expect(byText.get('./static')).toEqual({
      names: [
        { name: 'a', typeOnly: false },
        { name: 'b', typeOnly: false },
        { name: 'T', typeOnly: true },
      ],
      default: true,
      namespace: false,
      typeOnly: false,
    });
    expect(byText.get('./type-only')).toMatchObject({ names: [{ name: 'Only', typeOnly: true }], typeOnly: true });
    expect(byText.get('./namespace')).toMatchObject({ namespace: true, names: [] });
    expect(byText.get('./named')?.names.map((name) => name.name)).toEqual(['x', 'y']);
    expect(byText.get('./star')).toMatchObject({ namespace: true });
    expect(byText.get('./required')?.names.map((name) => name.name)).toEqual(['r1', 'r2']);
    expect(byText.get('./whole')).toMatchObject({ namespace: true });
    expect(byText.get('./queried')).toMatchObject({ namespace: true, typeOnly: true });
    expect(byText.get('./picked')).toMatchObject({ names: [{ name: 'Picked', typeOnly: true }], namespace: false });
    expect(byText.get('./jsdoc')).toMatchObject({ names: [{ name: 'Doc', typeOnly: true }] });
    expect(byText.get('./side-effect')).toEqual({ names: [], default: false, namespace: false, typeOnly: false });
  });

  it('reads JSDoc import types in JavaScript files', () => {
    const js = [
      "/** @param {import('./model').Model} model */",
      'function train(model) {}',
      "/** @type {typeof import('./config')} */",
      "const config = require('./config');",
    ].join('\n');
    expect(summary(collectSpecifiers(js, 'scripts/train.js'))).toEqual([
      ['jsdoc-import', './model'],
      ['jsdoc-import', './config'],
      ['require', './config'],
    ]);
  });

  it('parses JSX in .tsx files and ESM-only syntax in .mjs files', () => {
    const tsx = "import { Chart } from './chart';\nexport const View = () => <Chart data={[]} />;\n";
    expect(summary(collectSpecifiers(tsx, 'apps/ui/view.tsx'))).toEqual([['import', './chart']]);
    const mjs = "import { a } from './a.mjs';\nexport default await import('./b.mjs');\n";
    expect(summary(collectSpecifiers(mjs, 'tools/x.mjs'))).toEqual([
      ['import', './a.mjs'],
      ['dynamic-import', './b.mjs'],
    ]);
  });

  it('reads the names a dynamic import destructures', () => {
    const text =
      "async function f() { const { load } = await import('./loader'); return (await import('./other')).run; }";
    const found = collectSpecifiers(text, 'a.ts');
    expect(found.map((reference) => reference.usage.names.map((name) => name.name))).toEqual([['load'], ['run']]);
  });

  it('keeps offsets exact with CRLF line endings', () => {
    const crlf = "// header\r\nimport { a } from './a';\r\nexport * from './b';\r\n";
    const found = collectSpecifiers(crlf, 'a.ts');
    expect(found.map((reference) => crlf.slice(reference.start, reference.end))).toEqual(['./a', './b']);
    expect(found.map((reference) => reference.line)).toEqual([2, 3]);
  });

  it('ignores ambient module declarations in scripts (they name packages, not files)', () => {
    expect(collectSpecifiers("declare module 'legacy-lib' { export const v: number; }", 'types.d.ts')).toEqual([]);
  });
});
