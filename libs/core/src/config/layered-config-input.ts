import { getAtPath, isPlainObject, type ConfigPath } from './config-paths';

/**
 * The raw config assembled from layers, before validation, with the source that set each leaf. The sources let a
 * validation problem say which layer to fix (`config/production.yaml`, `env RRR_SERVER_PORT`, `override`).
 */
export interface LayeredConfigInput {
  values: Record<string, unknown>;
  /** Dotted path → the last layer that set it (objects included; arrays are values, not merged). */
  sources: Map<string, string>;
}

export function createLayeredConfigInput(): LayeredConfigInput {
  return { values: {}, sources: new Map() };
}

/**
 * Merges one layer over what is there: objects merge key by key, anything else (arrays included) replaces; an
 * `undefined` value leaves the lower layer in force.
 */
export function applyConfigLayer(
  input: LayeredConfigInput,
  layer: Record<string, unknown>,
  sourceOf: (path: string) => string,
): void {
  const merge = (target: Record<string, unknown>, values: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(values)) {
      if (value === undefined) continue;
      const path = prefix === '' ? key : `${prefix}.${key}`;
      if (isPlainObject(value)) {
        if (!isPlainObject(target[key])) {
          forgetSourcesAt(input.sources, path);
          target[key] = {};
        }
        // Objects get a source too: an unknown key holding an empty or nested mapping is reported against it.
        input.sources.set(path, sourceOf(path));
        merge(target[key] as Record<string, unknown>, value, path);
        continue;
      }
      forgetSourcesAt(input.sources, path);
      target[key] = value;
      input.sources.set(path, sourceOf(path));
    }
  };
  merge(input.values, layer, '');
}

function forgetSourcesAt(sources: Map<string, string>, path: string): void {
  for (const key of sources.keys()) {
    if (key === path || key.startsWith(`${path}.`)) sources.delete(key);
  }
}

/** The source of the value at `path` (or of the nearest enclosing one, for list items); undefined for defaults. */
export function sourceOfConfigPath(input: LayeredConfigInput, path: ConfigPath): string | undefined {
  // No layer holds the value: it is a default, whoever set the section around it.
  if (getAtPath(input.values, path) === undefined) return undefined;
  for (let length = path.length; length > 0; length -= 1) {
    const source = input.sources.get(path.slice(0, length).map(String).join('.'));
    if (source !== undefined) return source;
  }
  return undefined;
}
