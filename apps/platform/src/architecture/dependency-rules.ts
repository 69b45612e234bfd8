/**
 * The dependency table of DESIGN.md, as data: which workspace projects each project may import.
 * The lint rule (eslint.config.mjs), the project graph and the registry's boot order must all agree with it;
 * the architecture spec checks that they do.
 */
export const ALLOWED_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  core: [],
  'api-integration': ['core'],
  'risk-management': ['core'],
  'quantum-optimization': ['core'],
  monitoring: ['core'],
  'neural-network': ['core'],
  'data-pipeline': ['core', 'api-integration'],
  'trading-engine': ['core', 'risk-management', 'api-integration'],
  backtesting: ['core', 'trading-engine', 'risk-management', 'data-pipeline', 'neural-network'],
  platform: [
    'core',
    'api-integration',
    'data-pipeline',
    'neural-network',
    'risk-management',
    'trading-engine',
    'backtesting',
    'quantum-optimization',
    'monitoring',
  ],
  tools: [],
};

export function isAllowedDependency(source: string, target: string): boolean {
  return ALLOWED_DEPENDENCIES[source]?.includes(target) ?? false;
}
