/**
 * Which platform services each service needs running before it starts, as declared by the project graph
 * (`@rrr/<lib>` imports between service libraries). Generated and kept up to date by
 * `nx g @rrr/tools:consolidate` and `nx g @rrr/tools:service`; the architecture spec checks it against `nx graph`,
 * so the registry's boot order and the graph tell one story.
 */
export const SERVICE_DEPENDENCIES: Readonly<Record<string, readonly string[]>> = {
  'api-integration': [],
  'risk-management': [],
  'quantum-optimization': [],
  monitoring: [],
  'neural-network': [],
  'data-pipeline': ['api-integration'],
  'trading-engine': ['risk-management', 'api-integration'],
  backtesting: ['trading-engine', 'risk-management', 'data-pipeline', 'neural-network'],
};
