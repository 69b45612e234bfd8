import type { PortfolioMethod } from '../api/wire-types';

export type OptimizationMethodChoice = PortfolioMethod | 'all';

/**
 * The methods `POST /api/v1/optimizations` takes, `all` (its default) first, each with what it does in a line. The
 * list is the client's own (the API publishes methods only in its OpenAPI document); the check below fails the
 * typecheck when the library gains a method this list lacks.
 */
export const OPTIMIZATION_METHODS = [
  {
    name: 'all',
    description:
      'every method on the same problem: the selection with the best return − λ·variance wins; mean-variance is shown beside it',
  },
  { name: 'exact', description: 'exhaustive search of every k-asset selection (at most 20 assets)' },
  {
    name: 'qaoa',
    description: 'QAOA (p = 3) on a statevector simulator, one qubit per asset (at most 20; seconds from 16 assets)',
  },
  { name: 'anneal', description: 'simulated annealing of the selection QUBO (a seeded heuristic)' },
  { name: 'tempering', description: 'parallel tempering of the selection QUBO (a seeded heuristic)' },
  {
    name: 'mean-variance',
    description: 'continuous long-only weights maximising return − λ·variance (not a k-asset selection)',
  },
] as const satisfies readonly { name: OptimizationMethodChoice; description: string }[];

/** The request's default method. */
export const DEFAULT_OPTIMIZATION_METHOD: OptimizationMethodChoice = 'all';

type ListedMethod = (typeof OPTIMIZATION_METHODS)[number]['name'];
// Compiles only while every method of the library is listed above.
const everyMethodListed: [Exclude<OptimizationMethodChoice, ListedMethod>] extends [never] ? true : never = true;
void everyMethodListed;
