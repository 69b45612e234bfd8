import { LEGACY_COMPILER_OPTIONS } from './legacy-compiler-options';
import type { ServiceBlueprint } from './service-blueprint';

/** `@services/<other>/*` aliases for every other service present, plus `@shared/*` for the root's src/core. */
function pathAliases(service: ServiceBlueprint, present: readonly ServiceBlueprint[]): Record<string, string[]> {
  const paths: Record<string, string[]> = { '@shared/*': ['../../src/core/*'] };
  for (const other of present) {
    if (other.folder !== service.folder) paths[`@services/${other.folder}/*`] = [`../${other.folder}/src/*`];
  }
  return paths;
}

/** The scaffolding commit of a service package: package.json, tsconfig.json, jest config, .gitignore, README. */
export function servicePackageFiles(
  service: ServiceBlueprint,
  present: readonly ServiceBlueprint[],
): Record<string, string> {
  const paths = pathAliases(service, present);
  const mapper: Record<string, string> = { '^@shared/(.*)$': '<rootDir>/../../src/core/$1' };
  for (const alias of Object.keys(paths).filter((a) => a.startsWith('@services/'))) {
    const folder = alias.slice('@services/'.length, -2);
    mapper[`^@services/${folder}/(.*)$`] = `<rootDir>/../${folder}/src/$1`;
  }
  mapper['^(\\.{1,2}/.*)\\.js$'] = '$1';
  return {
    'package.json':
      JSON.stringify(
        {
          name: `rrr-${service.folder}`,
          version: '0.9.0',
          private: true,
          description: `${service.title} service of the legacy platform (port ${service.port}).`,
          main: 'dist/index.js',
          scripts: { build: 'tsc -p tsconfig.json', typecheck: 'tsc --noEmit -p tsconfig.json', test: 'jest' },
        },
        null,
        2,
      ) + '\n',
    'tsconfig.json':
      JSON.stringify(
        {
          compilerOptions: { ...LEGACY_COMPILER_OPTIONS, baseUrl: '.', paths },
          include: ['src/**/*.ts', 'tests/**/*.ts'],
          exclude: ['node_modules', 'dist'],
        },
        null,
        2,
      ) + '\n',
    'jest.config.js': [
      "/** @type {import('jest').Config} */",
      'module.exports = {',
      "  testEnvironment: 'node',",
      "  roots: ['<rootDir>/tests'],",
      "  transform: { '^.+\\\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }] },",
      '  moduleNameMapper: {',
      ...Object.entries(mapper).map(([from, to]) => `    ${JSON.stringify(from)}: ${JSON.stringify(to)},`),
      '  },',
      '};',
      '',
    ].join('\n'),
    '.gitignore': 'node_modules/\ndist/\ncoverage/\n',
    'README.md': `# ${service.title}\n\nLegacy service on port ${service.port}. Run \`npm test\` here; shared code comes from \`../../src/core\`.\n`,
  };
}

/** Docs with relative links (inside the worktree, to the shared code, to another worktree) and a config file. */
export function serviceDocsFiles(service: ServiceBlueprint): Record<string, string> {
  const dependencyLinks = service.dependsOn.map((dep) => `- [${dep}](../../${dep}/docs/README.md)`);
  return {
    'docs/README.md': [
      `# ${service.title} service`,
      '',
      `Entry point: [src/index.ts](../src/index.ts). Design notes: [architecture_notes](./architecture_notes.md).`,
      `Shared types: [types](../../../src/core/types.ts).`,
      '',
      ...(dependencyLinks.length > 0 ? ['Depends on:', '', ...dependencyLinks, ''] : []),
    ].join('\n'),
    'docs/architecture_notes.md': `# Architecture notes\n\nListens on port ${service.port}. Back to the [service README](./README.md).\n`,
    'config/settings.yaml': `service: ${service.folder}\nport: ${service.port}\nlog_level: info\n`,
  };
}

/** Ignored content a developer's worktree has but no commit holds: installed dependencies and build output. */
export function serviceLocalArtifacts(service: ServiceBlueprint): Record<string, string> {
  return {
    'node_modules/.package-lock.json':
      JSON.stringify({ name: `rrr-${service.folder}`, lockfileVersion: 3, packages: {} }) + '\n',
    'node_modules/decimal-lite/package.json': '{"name":"decimal-lite","version":"1.0.0","main":"index.js"}\n',
    'node_modules/decimal-lite/index.js': 'module.exports = { add: (a, b) => a + b };\n',
    'dist/index.js': `"use strict";\n// build output of ${service.folder}\nObject.defineProperty(exports, "__esModule", { value: true });\n`,
    'dist/index.d.ts': 'export {};\n',
  };
}
