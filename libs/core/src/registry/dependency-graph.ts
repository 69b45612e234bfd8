import { RrrError } from '../errors';

export interface DependencyNode {
  name: string;
  deps: readonly string[];
}

/** Throws `DEPENDENCY_MISSING` naming every service whose declared dependency is not registered. */
export function assertDependenciesPresent(nodes: readonly DependencyNode[]): void {
  const names = new Set(nodes.map((n) => n.name));
  const missing = nodes.flatMap((n) =>
    n.deps.filter((d) => !names.has(d)).map((dependency) => ({ service: n.name, dependency })),
  );
  if (missing.length === 0) return;
  const lines = missing.map((m) => `service "${m.service}" depends on "${m.dependency}", which is not registered`);
  throw new RrrError('DEPENDENCY_MISSING', lines.join('; '), { details: { missing } });
}

/** Throws `DEPENDENCY_CYCLE` with the first cycle found, as a path that ends where it starts: `a → b → c → a`. */
export function assertAcyclic(nodes: readonly DependencyNode[]): void {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const done = new Set<string>();
  const path: string[] = [];
  const onPath = new Set<string>();

  const visit = (name: string): string[] | undefined => {
    if (done.has(name)) return undefined;
    if (onPath.has(name)) return [...path.slice(path.indexOf(name)), name];
    onPath.add(name);
    path.push(name);
    for (const dep of byName.get(name)?.deps ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    path.pop();
    onPath.delete(name);
    done.add(name);
    return undefined;
  };

  for (const node of nodes) {
    const cycle = visit(node.name);
    if (cycle) {
      throw new RrrError('DEPENDENCY_CYCLE', `dependency cycle: ${cycle.join(' → ')}`, { details: { cycle } });
    }
  }
}

/**
 * Start levels: level 0 has no dependencies, level n depends on something in level n−1 and nothing later. Services
 * of one level are independent of each other; within a level, registration order. Validates first.
 */
export function dependencyLevels(nodes: readonly DependencyNode[]): string[][] {
  assertDependenciesPresent(nodes);
  assertAcyclic(nodes);
  const byName = new Map(nodes.map((n) => [n.name, n]));
  const level = new Map<string, number>();
  const levelOf = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    const deps = byName.get(name)?.deps ?? [];
    const value = deps.length === 0 ? 0 : 1 + Math.max(...deps.map(levelOf));
    level.set(name, value);
    return value;
  };
  const levels: string[][] = [];
  for (const node of nodes) {
    const l = levelOf(node.name);
    (levels[l] ??= []).push(node.name);
  }
  return levels;
}
