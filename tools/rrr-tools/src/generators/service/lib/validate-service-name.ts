import { getProjects, type Tree } from '@nx/devkit';
import { joinWorkspacePath } from '../../../specifiers/workspace-paths';

const KEBAB_CASE = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Names that would read as something else in this layout: the shared library, the app and tools projects, the
 * folders of the layout, and the words Nx and the registry use for themselves.
 */
export const RESERVED_SERVICE_NAMES: ReadonlySet<string> = new Set([
  'core',
  'shared',
  'platform',
  'app',
  'apps',
  'lib',
  'libs',
  'tools',
  'tooling',
  'service',
  'services',
  'registry',
  'workspace',
  'nx',
  'node-modules',
  'dist',
  'coverage',
  'test',
  'tests',
  'index',
]);

/** What exists under the name already, so a refusal can say where. */
export interface ExistingNameUses {
  /** Service tag already constrained by the module-boundaries config. */
  constrained: boolean;
  /** Already a key of the service registry. */
  registered: boolean;
  /** Already an alias in the root tsconfig. */
  aliased: boolean;
}

/**
 * Throws, naming the field and the problem, unless `name` is a kebab-case name that is not reserved and that
 * no project, folder, import path, boundary constraint or registry entry uses yet.
 */
export function validateServiceName(
  tree: Tree,
  name: unknown,
  context: { servicesDir: string; importPath: string; uses: ExistingNameUses },
): asserts name is string {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error('name: required — the service name in kebab-case, e.g. pricing-feed');
  }
  if (!KEBAB_CASE.test(name)) {
    throw new Error(
      `name: "${name}" is not kebab-case — use lower-case letters and digits in words joined by single hyphens, ` +
        'starting with a letter (e.g. pricing-feed)',
    );
  }
  if (RESERVED_SERVICE_NAMES.has(name)) {
    throw new Error(`name: "${name}" is reserved (it names a part of the workspace layout); choose another name`);
  }
  const project = getProjects(tree).get(name);
  if (project) throw new Error(`name: a project named ${name} already exists at ${project.root}`);
  const root = joinWorkspacePath(context.servicesDir, name);
  if (tree.exists(root)) throw new Error(`name: ${root} already exists`);
  if (context.uses.aliased)
    throw new Error(`name: the import path ${context.importPath} is already mapped in tsconfig`);
  if (context.uses.constrained) {
    throw new Error(`name: the module-boundaries config already has a constraint for service:${name}`);
  }
  if (context.uses.registered) throw new Error(`name: the service registry already lists ${name}`);
}
