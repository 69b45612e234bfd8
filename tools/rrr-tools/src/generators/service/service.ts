import { formatFiles, getProjects, logger, type Tree } from '@nx/devkit';
import { analyzeExports, ExportSurfaceIndex } from '../../specifiers/export-surface';
import { entryPathOf, type ProjectInfo } from '../../specifiers/project-info';
import { resolveRelativeInTree } from '../../specifiers/resolve-in-tree';
import { isScriptFile } from '../../specifiers/script-files';
import { joinWorkspacePath, normalizeWorkspacePath } from '../../specifiers/workspace-paths';
import { readWorkspaceProjects } from '../../specifiers/workspace-projects';
import { makeLibrary } from '../consolidate/lib/make-library';
import {
  readServiceRegistry,
  SERVICE_REGISTRY_PATH,
  writeServiceRegistry,
  type ServiceRegistryResult,
} from '../consolidate/lib/write-service-registry';
import { addDependencyConstraint, readDependencyConstraints } from './lib/add-dependency-constraint';
import { renderServiceFiles } from './lib/service-files';
import { validateServiceName } from './lib/validate-service-name';
import type { ServiceGeneratorSchema } from './schema';

export interface NormalizedServiceOptions {
  name: string;
  dependsOn: string[];
  servicesDir: string;
  scope: string;
  root: string;
  importPath: string;
  skipFormat: boolean;
}

export interface ServiceGeneratorResult {
  root: string;
  importPath: string;
  factory: string;
  /** The module-boundaries constraint added: source tag → allowed tags. */
  constraint: { sourceTag: string; onlyDependOnLibsWithTags: string[] };
  /** The eslint config edited; undefined when the workspace has no depConstraints table (reported). */
  eslintConfig?: string;
  registry: ServiceRegistryResult;
  /** Where the Service contract was imported from, or undefined when declared locally. */
  contractFrom?: string;
}

function listOption(value: string[] | string | undefined, fallback: string[]): string[] {
  if (value === undefined) return fallback;
  const items = (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(','));
  return [...new Set(items.map((item) => item.trim()).filter(Boolean))];
}

/** The tag a dependency is allowed by: its `service:<name>` tag, else its `scope:*` tag. */
function allowedTag(tree: Tree, project: string): string {
  const tags = getProjects(tree).get(project)?.tags ?? [];
  const tag = tags.find((t) => t === `service:${project}`) ?? tags.find((t) => t.startsWith('scope:'));
  if (!tag) {
    throw new Error(
      `dependsOn: project ${project} has neither a service:${project} nor a scope:* tag, so no boundary constraint can allow it`,
    );
  }
  return tag;
}

export function normalizeServiceOptions(tree: Tree, schema: ServiceGeneratorSchema): NormalizedServiceOptions {
  const servicesDir = normalizeWorkspacePath(schema.servicesDir ?? 'libs/services');
  const dependsOn = listOption(schema.dependsOn, ['core']);
  const projects = getProjects(tree);
  const unknown = dependsOn.filter((name) => !projects.has(name));
  if (unknown.length > 0) {
    throw new Error(
      `dependsOn: no project named ${unknown.join(', ')} in the workspace (projects: ${[...projects.keys()].sort().join(', ') || 'none'})`,
    );
  }
  const firstImport = readWorkspaceProjects(tree).find((project) => project.name === dependsOn[0])?.importPath;
  const scope = schema.scope ?? (firstImport?.startsWith('@') ? firstImport.split('/')[0] : '@rrr');
  if (!/^@[a-z0-9][a-z0-9._-]*$/.test(scope)) throw new Error(`scope: "${scope}" is not an npm scope such as @rrr`);
  const name = schema.name;
  return {
    name,
    dependsOn,
    servicesDir,
    scope,
    root: joinWorkspacePath(servicesDir, String(name ?? '')),
    importPath: `${scope}/${name}`,
    skipFormat: schema.skipFormat ?? false,
  };
}

/** The first dependency whose entry exports the registry's Service and HealthReport: the contract to implement. */
function findServiceContract(tree: Tree, projects: ProjectInfo[], dependsOn: string[]): string | undefined {
  const index = new ExportSurfaceIndex((path) => {
    if (!isScriptFile(path)) return undefined;
    const text = tree.read(path, 'utf-8');
    if (text === null) return undefined;
    return analyzeExports(text, path, (specifier) =>
      resolveRelativeInTree((candidate) => tree.isFile(candidate), path, specifier),
    );
  });
  for (const name of dependsOn) {
    const project = projects.find((p) => p.name === name);
    if (!project?.importPath) continue;
    const entry = entryPathOf(project);
    if (index.origin(entry, 'Service') && index.origin(entry, 'HealthReport')) return project.importPath;
  }
  return undefined;
}

/**
 * `nx g @rrr/tools:service <name>`: a service library made the way this workspace's services are — the files, the
 * Nx library (through consolidate's makeLibrary: project.json, tsconfigs, jest config, tsconfig path), the
 * module-boundaries constraint for `service:<name>` (one entry per source tag, as in the DESIGN's dependency
 * table) and the service registry entry (consolidate's writer), so `nx graph`, lint and boot order agree.
 */
export async function addService(tree: Tree, schema: ServiceGeneratorSchema): Promise<ServiceGeneratorResult> {
  const options = normalizeServiceOptions(tree, schema);
  const projects = readWorkspaceProjects(tree);
  const registryText = tree.read(SERVICE_REGISTRY_PATH, 'utf-8');
  const registered = registryText === null ? {} : readServiceRegistry(registryText);
  const constraints = readDependencyConstraints(tree);
  validateServiceName(tree, schema.name, {
    servicesDir: options.servicesDir,
    importPath: options.importPath,
    uses: {
      aliased: projects.some((project) => project.importPath === options.importPath),
      constrained: constraints?.sourceTags.includes(`service:${schema.name}`) ?? false,
      registered: schema.name in registered,
    },
  });
  const { name, root, importPath, dependsOn } = options;

  const contractFrom = findServiceContract(tree, projects, dependsOn);
  const rendered = renderServiceFiles({ name, importPath, contractFrom, dependsOn });
  for (const [path, text] of Object.entries(rendered.files)) tree.write(joinWorkspacePath(root, path), text);
  makeLibrary(tree, {
    name,
    root,
    importPath,
    tags: ['scope:service', `service:${name}`],
    origin: root,
  });

  const constraint = {
    sourceTag: `service:${name}`,
    onlyDependOnLibsWithTags: [...new Set(dependsOn.map((dep) => allowedTag(tree, dep)))],
  };
  const eslintConfig = addDependencyConstraint(tree, constraint);
  if (!eslintConfig) {
    logger.warn(
      `No depConstraints table found in the workspace's eslint flat config: add ` +
        `${JSON.stringify(constraint)} to @nx/enforce-module-boundaries by hand, or lint will refuse every import of ${name}.`,
    );
  }

  // Registry dependencies are the service projects among the allowed ones (shared libraries are not started).
  const serviceProjects = new Set(
    [...getProjects(tree)]
      .filter(([, project]) => (project.tags ?? []).includes('scope:service'))
      .map(([projectName]) => projectName),
  );
  const registry = writeServiceRegistry(tree, { [name]: dependsOn.filter((dep) => serviceProjects.has(dep)) });

  if (!options.skipFormat) await formatFiles(tree);
  logger.info(
    `Service ${name} at ${root} (${importPath}): ${rendered.factory}(deps, config) → { start, stop, health }; ` +
      `may depend on ${constraint.onlyDependOnLibsWithTags.join(', ') || 'nothing'}; boot order ${registry.bootOrder.join(' → ')}.`,
  );
  return { root, importPath, factory: rendered.factory, constraint, eslintConfig, registry, contractFrom };
}

/** The Nx entry point: Nx runs whatever a generator returns as its task, so the result stays with addService. */
export async function serviceGenerator(tree: Tree, schema: ServiceGeneratorSchema): Promise<void> {
  await addService(tree, schema);
}

export default serviceGenerator;
