import { addProjectConfiguration, readJson, readProjectConfiguration, updateJson, type Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { JEST_PLUGIN } from '../consolidate/lib/jest-test-target';
import { readServiceRegistry, SERVICE_REGISTRY_PATH } from '../consolidate/lib/write-service-registry';
import { readDependencyConstraints } from './lib/add-dependency-constraint';
import { addService } from './service';

const ESLINT = `import nx from '@nx/eslint-plugin';

const depConstraints = [
  { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'service:risk-management', onlyDependOnLibsWithTags: ['scope:core'] },
  { sourceTag: 'scope:app', onlyDependOnLibsWithTags: ['scope:core', 'scope:service'] },
];

export default [...nx.configs['flat/base'], { rules: { '@nx/enforce-module-boundaries': ['error', { depConstraints }] } }];
`;

/** A workspace like this one: core exporting the registry's Service contract, one service, the platform's registry. */
function workspace(): Tree {
  const tree = createTreeWithEmptyWorkspace();
  updateJson(tree, 'nx.json', (json) => ({
    ...json,
    targetDefaults: { typecheck: { cache: true } },
    plugins: [JEST_PLUGIN],
  }));
  addProjectConfiguration(tree, 'core', { root: 'libs/core', sourceRoot: 'libs/core/src', tags: ['scope:core'] });
  tree.write('libs/core/src/index.ts', "export * from './registry';\n");
  tree.write('libs/core/src/registry/index.ts', "export * from './service';\n");
  tree.write(
    'libs/core/src/registry/service.ts',
    "export type HealthStatus = 'up' | 'down';\nexport interface HealthReport {\n  status: HealthStatus;\n}\nexport interface Service {\n  start(): Promise<void>;\n}\n",
  );
  addProjectConfiguration(tree, 'risk-management', {
    root: 'libs/services/risk-management',
    tags: ['scope:service', 'service:risk-management'],
  });
  tree.write('libs/services/risk-management/src/index.ts', 'export const limit = 1;\n');
  tree.write(
    'tsconfig.base.json',
    JSON.stringify({
      compilerOptions: {
        paths: {
          '@rrr/core': ['libs/core/src/index.ts'],
          '@rrr/risk-management': ['libs/services/risk-management/src/index.ts'],
        },
      },
    }),
  );
  tree.write('eslint.config.mjs', ESLINT);
  tree.write(
    SERVICE_REGISTRY_PATH,
    "export const SERVICE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {\n  'risk-management': [],\n};\n",
  );
  return tree;
}

// Formatting is covered by the e2e spec, where prettier runs as it does under `nx g`.
describe('service generator', () => {
  it('makes the library, its path, its boundary constraint and its registry entry', async () => {
    const tree = workspace();

    const result = await addService(tree, { name: 'pricing-feed', skipFormat: true });

    const root = 'libs/services/pricing-feed';
    expect(result).toMatchObject({ root, importPath: '@rrr/pricing-feed', factory: 'createPricingFeedService' });
    const project = readProjectConfiguration(tree, 'pricing-feed');
    expect(project.tags).toEqual(['scope:service', 'service:pricing-feed']);
    // test comes from the jest plugin, which infers it from the jest config written beside it.
    expect(project.targets).toEqual({ typecheck: {} });
    for (const file of ['README.md', 'tsconfig.json', 'tsconfig.lib.json', 'tsconfig.spec.json', 'jest.config.cts']) {
      expect(tree.exists(`${root}/${file}`)).toBe(true);
    }
    expect(tree.read(`${root}/src/index.ts`, 'utf-8')).toBe("export * from './service/create-pricing-feed-service';\n");
    const source = tree.read(`${root}/src/service/create-pricing-feed-service.ts`, 'utf-8') ?? '';
    expect(source).toContain("import type { HealthReport, Service } from '@rrr/core';");
    expect(source).toContain('export function createPricingFeedService(');
    expect(tree.read(`${root}/src/service/create-pricing-feed-service.spec.ts`, 'utf-8')).toContain(
      'await service.stop();',
    );
    expect(tree.read(`${root}/README.md`, 'utf-8')).toContain('## Public API in five lines');
    expect(readJson(tree, 'tsconfig.base.json').compilerOptions.paths['@rrr/pricing-feed']).toEqual([
      `${root}/src/index.ts`,
    ]);
    expect(readJson(tree, `${root}/tsconfig.json`).extends).toBe('../../../tsconfig.base.json');

    expect(result.constraint).toEqual({ sourceTag: 'service:pricing-feed', onlyDependOnLibsWithTags: ['scope:core'] });
    expect(readDependencyConstraints(tree)?.sourceTags).toEqual([
      'scope:core',
      'service:risk-management',
      'service:pricing-feed',
      'scope:app',
    ]);
    expect(tree.read('eslint.config.mjs', 'utf-8')).toContain(
      "{ sourceTag: 'service:pricing-feed', onlyDependOnLibsWithTags: ['scope:core'] },",
    );
    expect(readServiceRegistry(tree.read(SERVICE_REGISTRY_PATH, 'utf-8') ?? '')).toEqual({
      'pricing-feed': [],
      'risk-management': [],
    });
  });

  it('allows each dependency by its tag and lists the service ones in the registry, in boot order', async () => {
    const tree = workspace();

    const result = await addService(tree, { name: 'hedger', dependsOn: 'core,risk-management', skipFormat: true });

    expect(result.constraint.onlyDependOnLibsWithTags).toEqual(['scope:core', 'service:risk-management']);
    expect(result.registry.bootOrder).toEqual(['risk-management', 'hedger']);
    expect(readServiceRegistry(tree.read(SERVICE_REGISTRY_PATH, 'utf-8') ?? '')['hedger']).toEqual(['risk-management']);
    expect(result.contractFrom).toBe('@rrr/core');
  });

  it('declares the Service contract itself when no dependency exports it', async () => {
    const tree = workspace();

    const result = await addService(tree, { name: 'quotes', dependsOn: ['risk-management'], skipFormat: true });

    expect(result.contractFrom).toBeUndefined();
    const source = tree.read('libs/services/quotes/src/service/create-quotes-service.ts', 'utf-8') ?? '';
    expect(source).not.toContain('import');
    expect(source).toContain('export interface Service {');
    expect(result.constraint.onlyDependOnLibsWithTags).toEqual(['service:risk-management']);
  });

  it.each([
    ['PricingFeed', 'name: "PricingFeed" is not kebab-case'],
    ['pricing_feed', 'name: "pricing_feed" is not kebab-case'],
    ['pricing--feed', 'is not kebab-case'],
    ['core', 'name: "core" is reserved'],
    ['platform', 'name: "platform" is reserved'],
    ['risk-management', 'name: a project named risk-management already exists at libs/services/risk-management'],
  ])('refuses the name %s and writes nothing', async (name, message) => {
    const tree = workspace();
    const before = tree.listChanges().length;
    await expect(addService(tree, { name })).rejects.toThrow(message);
    expect(tree.listChanges()).toHaveLength(before);
  });

  it('refuses a name the registry, the boundary table or a folder already uses', async () => {
    const tree = workspace();
    tree.write(
      SERVICE_REGISTRY_PATH,
      'export const SERVICE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {\n  ghost: [],\n};\n',
    );
    await expect(addService(tree, { name: 'ghost' })).rejects.toThrow('name: the service registry already lists ghost');
    tree.write('eslint.config.mjs', ESLINT.replace('service:risk-management', 'service:stale'));
    await expect(addService(tree, { name: 'stale' })).rejects.toThrow(
      'name: the module-boundaries config already has a constraint for service:stale',
    );
    tree.write('libs/services/leftover/notes.md', 'x');
    await expect(addService(tree, { name: 'leftover' })).rejects.toThrow('name: libs/services/leftover already exists');
  });

  it('refuses an unknown dependency, naming the field', async () => {
    await expect(addService(workspace(), { name: 'quotes', dependsOn: ['core', 'nowhere'] })).rejects.toThrow(
      'dependsOn: no project named nowhere in the workspace',
    );
  });
});
