import { analyzeExports, ExportSurfaceIndex } from './export-surface';
import { resolveRelativeInTree } from './resolve-in-tree';

describe('export surfaces', () => {
  const files: Record<string, string> = {
    'lib/index.ts': [
      "export * from './types';",
      "export { Clock as WallClock } from './clock';",
      "import { helper } from './helpers';",
      'export { helper };',
      "export * as math from './math';",
      "export type { Shape } from './shapes';",
    ].join('\n'),
    'lib/types.ts': "export interface Bar { close: number }\nexport type Sym = string;\nexport * from './nested';\n",
    'lib/nested.ts': 'export const nestedValue = 1;\nexport default nestedValue;\n',
    'lib/clock.ts': 'export class Clock {}\n',
    'lib/helpers.ts': 'function helper() {}\nexport { helper };\n',
    'lib/math.ts': 'export const add = (a: number, b: number) => a + b;\n',
    'lib/shapes.ts': 'export interface Shape {}\n',
    'lib/other.ts': "import './clock';\nexport const other = 1;\n",
  };
  const index = new ExportSurfaceIndex((path) =>
    path in files
      ? analyzeExports(files[path], path, (specifier) => resolveRelativeInTree((p) => p in files, path, specifier))
      : undefined,
  );

  it('follows stars, renames and imported-then-exported bindings to the declaring file', () => {
    expect(index.origin('lib/index.ts', 'Bar')).toEqual({ file: 'lib/types.ts', name: 'Bar' });
    expect(index.origin('lib/index.ts', 'nestedValue')).toEqual({ file: 'lib/nested.ts', name: 'nestedValue' });
    expect(index.origin('lib/index.ts', 'WallClock')).toEqual({ file: 'lib/clock.ts', name: 'Clock' });
    expect(index.origin('lib/index.ts', 'Clock')).toBeUndefined();
    expect(index.origin('lib/index.ts', 'helper')).toEqual({ file: 'lib/helpers.ts', name: 'helper' });
    expect(index.origin('lib/index.ts', 'math')).toEqual({ file: 'lib/math.ts', name: '*' });
    expect(index.origin('lib/index.ts', 'default')).toBeUndefined();
  });

  it('lists every exported name and tells types from values', () => {
    expect([...index.exportedNames('lib/index.ts').keys()].sort()).toEqual(
      ['Bar', 'Shape', 'Sym', 'WallClock', 'helper', 'math', 'nestedValue'].sort(),
    );
    expect(index.isTypeExport('lib/index.ts', 'Bar')).toBe(true);
    expect(index.isTypeExport('lib/index.ts', 'Shape')).toBe(true);
    expect(index.isTypeExport('lib/index.ts', 'nestedValue')).toBe(false);
    expect(index.isTypeExport('lib/index.ts', 'WallClock')).toBe(false);
  });

  it('knows what a module loads and what its stars reach', () => {
    expect(index.starReaches('lib/index.ts', 'lib/nested.ts')).toBe(true);
    expect(index.starReaches('lib/index.ts', 'lib/clock.ts')).toBe(false);
    expect(index.reaches('lib/index.ts', 'lib/clock.ts')).toBe(true);
    expect(index.reaches('lib/other.ts', 'lib/clock.ts')).toBe(true);
    expect(index.reaches('lib/math.ts', 'lib/clock.ts')).toBe(false);
  });

  it('records the quote style and ESM extensions of a barrel', () => {
    const surface = analyzeExports('export * from "./a.js";\n', 'x.ts', () => undefined);
    expect(surface.quote).toBe('"');
    expect(surface.jsExtensions).toBe(true);
  });
});
