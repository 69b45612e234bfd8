import { RenameCollisionError } from './normalize-names';
import { planLibraryLayout } from './plan-layout';

const SERVICE = 'libs/services/neural-network';

function layout(files: string[]) {
  return planLibraryLayout({
    from: SERVICE,
    files,
    naming: 'kebab',
    libraryRoot: SERVICE,
    kind: 'service',
    configDir: 'config/services/neural-network',
    docsDir: 'docs/services/neural-network',
  });
}

describe('planLibraryLayout', () => {
  it('normalises names, moves tests, config and docs, and keeps what is already in place', () => {
    const plan = layout([
      'src/index.ts',
      'src/models/predictor_v2.ts',
      'src/calcHelpers/step1Calc.ts',
      'tests/predictor_versions.test.ts',
      'tests/helpers/bar_factory.ts',
      'config/settings.yaml',
      'docs/architecture_notes.md',
      'README.md',
      '.gitignore',
    ]);
    expect(Object.fromEntries(plan.moves)).toEqual({
      [`${SERVICE}/src/models/predictor_v2.ts`]: `${SERVICE}/src/models/predictor-v2.ts`,
      [`${SERVICE}/src/calcHelpers/step1Calc.ts`]: `${SERVICE}/src/calc-helpers/step1-calc.ts`,
      [`${SERVICE}/tests/predictor_versions.test.ts`]: `${SERVICE}/src/__tests__/predictor-versions.test.ts`,
      [`${SERVICE}/tests/helpers/bar_factory.ts`]: `${SERVICE}/src/__tests__/helpers/bar-factory.ts`,
      [`${SERVICE}/config/settings.yaml`]: 'config/services/neural-network/settings.yaml',
      [`${SERVICE}/docs/architecture_notes.md`]: 'docs/services/neural-network/architecture-notes.md',
    });
    expect(plan.kept).toEqual([`${SERVICE}/src/index.ts`, `${SERVICE}/README.md`, `${SERVICE}/.gitignore`]);
    expect(plan.testsMoved).toBe(2);
    expect(plan.renames.get('src/calcHelpers')).toBe('src/calc-helpers');
  });

  it('drops dependencies, lockfiles and build output, and marks the package files the workspace replaces', () => {
    const plan = layout([
      'src/index.ts',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
      'jest.config.js',
      'dist/index.js',
      'node_modules/left-pad/index.js',
      'app.tsbuildinfo',
    ]);
    expect(plan.dropped).toEqual([
      { path: `${SERVICE}/package-lock.json`, reason: 'lockfile' },
      { path: `${SERVICE}/dist/index.js`, reason: 'build-output' },
      { path: `${SERVICE}/node_modules/left-pad/index.js`, reason: 'dependencies' },
      { path: `${SERVICE}/app.tsbuildinfo`, reason: 'build-output' },
    ]);
    expect(plan.replaced).toEqual([
      { path: `${SERVICE}/package.json`, role: 'package-json' },
      { path: `${SERVICE}/tsconfig.json`, role: 'tsconfig' },
      { path: `${SERVICE}/jest.config.js`, role: 'jest-config' },
    ]);
    // Another tsconfig is the author's: it moves with the library and update-references keeps its paths right.
    expect(plan.kept).toContain(`${SERVICE}/tsconfig.build.json`);
  });

  it('puts a shared folder under the library src/ with its names normalised', () => {
    const plan = planLibraryLayout({
      from: 'src/core',
      files: ['index.ts', 'math_utils.ts', 'package.json'],
      naming: 'kebab',
      libraryRoot: 'libs/core',
      kind: 'shared',
    });
    expect(Object.fromEntries(plan.moves)).toEqual({
      'src/core/index.ts': 'libs/core/src/index.ts',
      'src/core/math_utils.ts': 'libs/core/src/math-utils.ts',
      // A shared folder is plain code: nothing in it is a package file.
      'src/core/package.json': 'libs/core/src/package.json',
    });
  });

  it('refuses, naming the sources, when two names would collide', () => {
    expect(() => layout(['src/price_feed.ts', 'src/priceFeed.ts'])).toThrow(RenameCollisionError);
    expect(() => layout(['src/price_feed.ts', 'src/priceFeed.ts'])).toThrow(
      `${SERVICE}/src/priceFeed.ts and ${SERVICE}/src/price_feed.ts would all become ${SERVICE}/src/price-feed.ts`,
    );
  });
});
