import type { Tree } from '@nx/devkit';
import { createTreeWithEmptyWorkspace } from '@nx/devkit/testing';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  bootOrder,
  readServiceRegistry,
  renderServiceRegistry,
  SERVICE_REGISTRY_PATH,
  writeServiceRegistry,
} from './write-service-registry';

/** The platform's own file, which the generator must reproduce in the same format. */
const PLATFORM_REGISTRY = join(__dirname, '../../../../../../apps/platform/src/boot/service-dependencies.ts');

const DESIGN_TABLE: Record<string, string[]> = {
  'api-integration': [],
  'risk-management': [],
  'quantum-optimization': [],
  monitoring: [],
  'neural-network': [],
  'data-pipeline': ['api-integration'],
  'trading-engine': ['risk-management', 'api-integration'],
  backtesting: ['trading-engine', 'risk-management', 'data-pipeline', 'neural-network'],
};

describe('bootOrder', () => {
  it('starts every service after the ones it needs, independent ones alphabetically', () => {
    expect(bootOrder(DESIGN_TABLE)).toEqual({
      order: [
        'api-integration',
        'monitoring',
        'neural-network',
        'quantum-optimization',
        'risk-management',
        'data-pipeline',
        'trading-engine',
        'backtesting',
      ],
      cycle: [],
    });
  });

  it('reports the services a cycle holds back', () => {
    expect(bootOrder({ a: ['b'], b: ['c'], c: ['b'], d: [] })).toEqual({ order: ['d'], cycle: ['a', 'b', 'c'] });
  });
});

describe('writeServiceRegistry', () => {
  let tree: Tree;
  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
  });

  it('creates the file and its folders, in the platform file format, readable back', () => {
    const result = writeServiceRegistry(tree, DESIGN_TABLE);
    const text = tree.read(SERVICE_REGISTRY_PATH, 'utf-8') as string;
    expect(result.created).toBe(true);
    expect(text).toBe(renderServiceRegistry(DESIGN_TABLE));
    expect(text).toContain(
      "export const SERVICE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {\n  'api-integration': [],\n  monitoring: [],",
    );
    expect(text).toContain(
      "  backtesting: ['neural-network', 'risk-management', 'data-pipeline', 'trading-engine'],\n};\n",
    );
    expect(readServiceRegistry(text)).toEqual({
      ...DESIGN_TABLE,
      'trading-engine': ['api-integration', 'risk-management'],
      backtesting: ['neural-network', 'risk-management', 'data-pipeline', 'trading-engine'],
    });
  });

  it('has the same header and declaration as the platform file, so the architecture spec reads both alike', () => {
    const platform = readFileSync(PLATFORM_REGISTRY, 'utf-8');
    const header = (text: string) => text.slice(0, text.indexOf('= {') + 3);
    expect(header(renderServiceRegistry(DESIGN_TABLE))).toBe(header(platform));
    // Same dependencies as the hand-kept file, whatever the order the entries are listed in.
    const sorted = (entries: Record<string, string[]>) =>
      Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, [...v].sort()]));
    expect(sorted(readServiceRegistry(platform))).toEqual(sorted(DESIGN_TABLE));
  });

  it('updates an existing registry: derived services replace theirs, the others stay', () => {
    tree.write(SERVICE_REGISTRY_PATH, renderServiceRegistry({ legacy: [], monitoring: ['legacy'] }));
    const result = writeServiceRegistry(tree, { monitoring: [], 'risk-management': ['monitoring'] });
    expect(result.created).toBe(false);
    expect(result.kept).toEqual(['legacy']);
    expect(readServiceRegistry(tree.read(SERVICE_REGISTRY_PATH, 'utf-8') as string)).toEqual({
      legacy: [],
      monitoring: [],
      'risk-management': ['monitoring'],
    });
    expect(result.bootOrder).toEqual(['legacy', 'monitoring', 'risk-management']);
  });

  it('lists services on a cycle last and says so', () => {
    const result = writeServiceRegistry(tree, { a: ['b'], b: ['a'], c: [] });
    expect(result.cycle).toEqual(['a', 'b']);
    expect(Object.keys(readServiceRegistry(tree.read(SERVICE_REGISTRY_PATH, 'utf-8') as string))).toEqual([
      'c',
      'a',
      'b',
    ]);
  });
});
