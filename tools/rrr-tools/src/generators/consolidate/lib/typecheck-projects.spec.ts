import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeFiles } from '../../../git/testing/hermetic-git';
import { typecheckProjects } from './typecheck-projects';

describe('typecheckProjects', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-typecheck-'));
    // noLib with the few global types the checker needs: the real lib.d.ts files would take seconds to check.
    const config = (include: string) =>
      JSON.stringify({
        compilerOptions: { strict: true, noLib: true, types: [], module: 'commonjs', moduleResolution: 'node' },
        include: [include, '../../globals.d.ts'],
      });
    writeFiles(dir, {
      'globals.d.ts': [
        'interface Array<T> { length: number; [n: number]: T }',
        'interface Boolean {}',
        'interface CallableFunction {}',
        'interface Function {}',
        'interface IArguments {}',
        'interface NewableFunction {}',
        'interface Number {}',
        'interface Object {}',
        'interface RegExp {}',
        'interface String {}',
        '',
      ].join('\n'),
      'libs/good/tsconfig.lib.json': config('src/**/*.ts'),
      'libs/good/src/index.ts': 'export const answer: number = 42;\n',
      'libs/bad/tsconfig.lib.json': config('src/**/*.ts'),
      'libs/bad/src/index.ts': "import { answer } from '../../good/src';\nexport const wrong: string = answer;\n",
    });
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reports each error once with the file and line, and skips configs that do not exist', () => {
    const result = typecheckProjects(dir, [
      'libs/good/tsconfig.lib.json',
      'libs/bad/tsconfig.lib.json',
      'libs/bad/tsconfig.spec.json',
    ]);
    expect(result.configs).toEqual(['libs/good/tsconfig.lib.json', 'libs/bad/tsconfig.lib.json']);
    expect(result.problems).toEqual([
      {
        file: 'libs/bad/src/index.ts',
        line: 2,
        code: 2322,
        message: "Type 'number' is not assignable to type 'string'.",
      },
    ]);
  });

  it('finds nothing in code that compiles', () => {
    expect(typecheckProjects(dir, ['libs/good/tsconfig.lib.json']).problems).toEqual([]);
  });
});
