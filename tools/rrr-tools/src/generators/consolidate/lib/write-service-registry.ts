import type { Tree } from '@nx/devkit';
import * as ts from 'typescript';

/** Where the platform app reads the boot order from. */
export const SERVICE_REGISTRY_PATH = 'apps/platform/src/boot/service-dependencies.ts';

const HEADER = `/**
 * Which platform services each service needs running before it starts, as declared by the project graph
 * (\`@rrr/<lib>\` imports between service libraries). Generated and kept up to date by
 * \`nx g @rrr/tools:consolidate\` and \`nx g @rrr/tools:service\`; the architecture spec checks it against \`nx graph\`,
 * so the registry's boot order and the graph tell one story.
 */`;

export interface ServiceRegistryResult {
  path: string;
  /** name → dependencies, in boot order, as written. */
  dependencies: Record<string, string[]>;
  /** Start order: every service after the services it needs (independent ones alphabetically). */
  bootOrder: string[];
  /** Services on a dependency cycle: the registry refuses to start them, so they are reported. */
  cycle: string[];
  /** Entries of an existing registry kept because this run did not derive them. */
  kept: string[];
  created: boolean;
}

/**
 * Layers of Kahn's algorithm, alphabetical within a layer; whatever is left is on a cycle (or waits for one),
 * and dependencies outside the map are ignored for ordering (the registry reports them at boot).
 */
export function bootOrder(dependencies: Readonly<Record<string, readonly string[]>>): {
  order: string[];
  cycle: string[];
} {
  const remaining = new Map(
    Object.entries(dependencies).map(([name, deps]) => [name, new Set(deps.filter((dep) => dep in dependencies))]),
  );
  const order: string[] = [];
  for (;;) {
    const ready = [...remaining].filter(([, deps]) => deps.size === 0).map(([name]) => name);
    if (ready.length === 0) break;
    ready.sort();
    for (const name of ready) remaining.delete(name);
    for (const deps of remaining.values()) for (const name of ready) deps.delete(name);
    order.push(...ready);
  }
  return { order, cycle: [...remaining.keys()].sort() };
}

/** Entries of an existing `SERVICE_DEPENDENCIES` object literal (string keys → arrays of strings). */
export function readServiceRegistry(text: string, fileName = SERVICE_REGISTRY_PATH): Record<string, string[]> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const entries: Record<string, string[]> = {};
  const visit = (node: ts.Node): void => {
    if (
      ts.isVariableDeclaration(node) &&
      ts.isIdentifier(node.name) &&
      node.name.text === 'SERVICE_DEPENDENCIES' &&
      node.initializer &&
      ts.isObjectLiteralExpression(node.initializer)
    ) {
      for (const property of node.initializer.properties) {
        if (!ts.isPropertyAssignment(property)) continue;
        const key = ts.isIdentifier(property.name) || ts.isStringLiteral(property.name) ? property.name.text : null;
        if (key === null || !ts.isArrayLiteralExpression(property.initializer)) continue;
        entries[key] = property.initializer.elements.filter(ts.isStringLiteral).map((element) => element.text);
      }
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return entries;
}

function propertyName(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : `'${name}'`;
}

/** Services in boot order (a cycle's members last), each with its dependencies in boot order too. */
function inBootOrder(dependencies: Readonly<Record<string, readonly string[]>>): {
  entries: Array<[string, string[]]>;
  order: string[];
  cycle: string[];
} {
  const { order, cycle } = bootOrder(dependencies);
  const rank = new Map([...order, ...cycle].map((name, index) => [name, index]));
  const byRank = (a: string, b: string) =>
    (rank.get(a) ?? Infinity) - (rank.get(b) ?? Infinity) || (a < b ? -1 : a > b ? 1 : 0);
  const entries = [...order, ...cycle].map((name): [string, string[]] => [
    name,
    [...new Set(dependencies[name])].sort(byRank),
  ]);
  return { entries, order, cycle };
}

/** The file's text for a dependency map, in boot order (each service's dependencies in boot order too). */
export function renderServiceRegistry(dependencies: Readonly<Record<string, readonly string[]>>): string {
  const lines = inBootOrder(dependencies).entries.map(
    ([name, deps]) => `  ${propertyName(name)}: [${deps.map((dep) => `'${dep}'`).join(', ')}],`,
  );
  return [
    HEADER,
    'export const SERVICE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {',
    ...lines,
    '};',
    '',
  ].join('\n');
}

/**
 * Writes the platform's `SERVICE_DEPENDENCIES` (service → the services it needs first) from the derived
 * service-to-service edges, creating the file and its folders when the repository has no platform app yet.
 * Services already listed that this run did not derive stay as they are.
 */
export function writeServiceRegistry(
  tree: Tree,
  derived: Readonly<Record<string, readonly string[]>>,
  path: string = SERVICE_REGISTRY_PATH,
): ServiceRegistryResult {
  const existingText = tree.read(path, 'utf-8');
  const existing = existingText === null ? {} : readServiceRegistry(existingText, path);
  const kept = Object.keys(existing).filter((name) => !(name in derived));
  const merged: Record<string, readonly string[]> = {};
  for (const name of kept) merged[name] = existing[name];
  for (const [name, deps] of Object.entries(derived)) merged[name] = deps;
  const { entries, order, cycle } = inBootOrder(merged);
  const text = renderServiceRegistry(merged);
  if (existingText !== text) tree.write(path, text);
  return {
    path,
    dependencies: Object.fromEntries(entries),
    bootOrder: order,
    cycle,
    kept,
    created: existingText === null,
  };
}
