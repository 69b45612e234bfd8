import { readNxJson, updateNxJson, type TargetConfiguration, type Tree } from '@nx/devkit';

/**
 * `test` targets come from Nx's jest plugin, which infers one for every project with a jest config: the
 * `@nx/jest:jest` executor is deprecated (removed in Nx 24), so a library we create must not depend on it.
 */
export const JEST_PLUGIN = { plugin: '@nx/jest/plugin', options: { targetName: 'test' } } as const;

function pluginName(entry: string | { plugin: string }): string {
  return typeof entry === 'string' ? entry : entry.plugin;
}

/**
 * Registers the jest plugin unless the workspace already has a way to run `test`: the plugin itself, or a
 * `test` target default of its own (an executor-based workspace keeps its convention). True when nx.json changed.
 */
export function ensureJestPlugin(tree: Tree): boolean {
  const nxJson = readNxJson(tree);
  if (nxJson === null) throw new Error('nx.json is missing: the jest plugin is registered in it');
  const plugins = nxJson.plugins ?? [];
  if (nxJson.targetDefaults?.['test'] || plugins.some((entry) => pluginName(entry) === JEST_PLUGIN.plugin)) {
    return false;
  }
  updateNxJson(tree, { ...nxJson, plugins: [...plugins, structuredClone(JEST_PLUGIN)] });
  return true;
}

/**
 * What a new library's project.json says about `test`: nothing when the plugin or a target default defines it,
 * except for a library without tests yet, which would otherwise fail until its first spec exists (jest fails a
 * run that finds no test).
 */
export function testTargetFor(tree: Tree, hasTests: boolean): TargetConfiguration | undefined {
  if (hasTests) return undefined;
  const inferred = (readNxJson(tree)?.plugins ?? []).some((entry) => pluginName(entry) === JEST_PLUGIN.plugin);
  // The plugin's target is a command (`jest`), whose extra arguments go in `args`; an executor takes an option.
  return inferred ? { options: { args: ['--passWithNoTests'] } } : { options: { passWithNoTests: true } };
}
