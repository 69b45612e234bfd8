import { MAX_ENUMERATED_VARIABLES } from '../energy-table';
import { PORTFOLIO_QAOA_EVALUATIONS } from '../optimize-portfolio';
import { QAOA_DEFAULTS } from '../qaoa';
import { OPTIMIZATION_METHOD_CHOICES, type OptimizationMethodChoice } from './optimization-request-fields';

/** The request fields a method's answer depends on, beyond the symbols and the bars they are read from. */
export type OptimizationMethodInput = 'k' | 'riskAversion' | 'seed';

/** A method `POST /api/v1/optimizations` runs by id: what it does, what it reads and where it stops. */
export interface OptimizationMethodSpec {
  id: OptimizationMethodChoice;
  /** What the method does, in one line. */
  description: string;
  /** `selection`: picks k assets in equal weights; `weights`: continuous weights; `comparison`: every method. */
  answers: 'selection' | 'weights' | 'comparison';
  /** Most assets the method itself handles; null when only the request's symbol limit applies. */
  maxAssets: number | null;
  /** The fields it reads (a field it does not read changes nothing in its run). */
  reads: readonly OptimizationMethodInput[];
  /** What it needs or where it stops, in a sentence. */
  limits: string;
}

const enumerated = MAX_ENUMERATED_VARIABLES;
const qaoa = PORTFOLIO_QAOA_EVALUATIONS;

// A record keyed by every choice, so a method added to the library fails the typecheck until it is described here.
const METHOD_SPECS: Readonly<Record<OptimizationMethodChoice, OptimizationMethodSpec>> = {
  all: {
    id: 'all',
    description:
      'every method on the same problem: the selection with the best return − λ·variance wins; mean-variance is shown beside it',
    answers: 'comparison',
    maxAssets: null,
    reads: ['k', 'riskAversion', 'seed'],
    limits: `exact and qaoa run only up to ${enumerated} assets and are skipped above; the others always run`,
  },
  exact: {
    id: 'exact',
    description: 'exhaustive search of every k-asset selection (Gray-code enumeration): the optimum, always',
    answers: 'selection',
    maxAssets: enumerated,
    reads: ['k', 'riskAversion'],
    limits: `at most ${enumerated} assets (2^N selections; 2^${enumerated} take about 0.1 s)`,
  },
  qaoa: {
    id: 'qaoa',
    description: `QAOA (p = ${QAOA_DEFAULTS.layers}) on a statevector simulator, one qubit per asset, angles by Nelder–Mead`,
    answers: 'selection',
    maxAssets: enumerated,
    reads: ['k', 'riskAversion', 'seed'],
    limits:
      `at most ${enumerated} assets (a 2^N statevector); ${qaoa.standard} circuit evaluations, ` +
      `${qaoa.reduced} above ${qaoa.aboveQubits} assets, where a solve takes seconds`,
  },
  anneal: {
    id: 'anneal',
    description: 'simulated annealing of the selection QUBO (single flips, geometric cooling, restarts)',
    answers: 'selection',
    maxAssets: null,
    reads: ['k', 'riskAversion', 'seed'],
    limits: 'a heuristic: may miss the optimum; the same seed gives the same answer',
  },
  tempering: {
    id: 'tempering',
    description: 'parallel tempering of the selection QUBO (replicas over a temperature ladder, neighbour swaps)',
    answers: 'selection',
    maxAssets: null,
    reads: ['k', 'riskAversion', 'seed'],
    limits: 'a heuristic: may miss the optimum; the same seed gives the same answer',
  },
  'mean-variance': {
    id: 'mean-variance',
    description: 'continuous long-only weights maximising return − λ·variance (quadprog)',
    answers: 'weights',
    maxAssets: null,
    reads: ['riskAversion'],
    limits: 'not a k-asset selection: its run is reported beside the winner, not ranked',
  },
};

/** Every method the optimisation service runs by id, `all` (the default) first. */
export const OPTIMIZATION_METHODS: readonly OptimizationMethodSpec[] = Object.freeze(
  OPTIMIZATION_METHOD_CHOICES.map((id) => METHOD_SPECS[id]),
);
