export type ConfigPath = readonly PropertyKey[];

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `['data', 'symbols', 1]` → `data.symbols[1]`. */
export function formatConfigPath(path: ConfigPath): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else text += text === '' ? String(segment) : `.${String(segment)}`;
  }
  return text;
}

export function getAtPath(root: unknown, path: ConfigPath): unknown {
  let current = root;
  for (const segment of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[segment];
  }
  return current;
}

/** Sets a value, creating (or replacing non-object values with) intermediate objects. */
export function setAtPath(root: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let current = root;
  path.slice(0, -1).forEach((segment) => {
    const next = current[segment];
    if (!isPlainObject(next)) current[segment] = {};
    current = current[segment] as Record<string, unknown>;
  });
  current[path[path.length - 1]] = value;
}
