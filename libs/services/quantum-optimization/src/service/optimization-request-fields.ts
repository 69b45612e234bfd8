import { INTERVALS, type Interval } from '@rrr/core';
import { MAX_ENUMERATED_VARIABLES } from '../energy-table';
import { PORTFOLIO_METHODS, type PortfolioMethod } from '../optimize-portfolio';

/** What `method` takes: one method, or `all` of them on the same problem. */
export type OptimizationMethodChoice = PortfolioMethod | 'all';

/** `all` first (the request's default), then each method in the order `all` runs them. */
export const OPTIMIZATION_METHOD_CHOICES: readonly OptimizationMethodChoice[] = Object.freeze([
  'all',
  ...PORTFOLIO_METHODS,
]);

/**
 * The bounds an optimisation request is checked against. At most 20 assets because exact search and QAOA enumerate
 * 2^N states; resolveOptimizationRequest, the route's schema and the published field list all read these.
 */
export const OPTIMIZATION_REQUEST_LIMITS = Object.freeze({
  minSymbols: 2,
  maxSymbols: MAX_ENUMERATED_VARIABLES,
  minK: 1,
  minRiskAversion: 0,
});

/** The values a request's left-out fields take (k's default depends on the symbols: see defaultK). */
export const OPTIMIZATION_REQUEST_DEFAULTS = Object.freeze({
  method: 'all' as OptimizationMethodChoice,
  riskAversion: 1,
  seed: 1,
  interval: '1d' as Interval,
});

/** k when the request leaves it out: half of the symbols, rounded up. */
export function defaultK(symbolCount: number): number {
  return Math.max(OPTIMIZATION_REQUEST_LIMITS.minK, Math.ceil(symbolCount / 2));
}

/** One field of `POST /api/v1/optimizations`: its kind, default and inclusive bounds. */
export interface OptimizationRequestFieldSpec {
  name: 'symbols' | 'k' | 'method' | 'riskAversion' | 'seed' | 'interval' | 'from' | 'to';
  /** `symbols`: a list (or comma-separated text) of symbols; `time`: epoch ms or ISO-8601; `choice`: one of choices. */
  type: 'symbols' | 'integer' | 'number' | 'choice' | 'time';
  required: boolean;
  /** null when there is no fixed default (k follows the symbols; from/to default to all stored bars). */
  default: number | string | null;
  /** Bounds of the value, or of the number of symbols for `symbols`. */
  min?: number;
  max?: number;
  choices?: readonly string[];
  description: string;
}

const { minSymbols, maxSymbols, minK, minRiskAversion } = OPTIMIZATION_REQUEST_LIMITS;
const defaults = OPTIMIZATION_REQUEST_DEFAULTS;

/** Every field of an optimisation request, in the order a form shows them. */
export const OPTIMIZATION_REQUEST_FIELDS: readonly OptimizationRequestFieldSpec[] = Object.freeze([
  {
    name: 'symbols',
    type: 'symbols',
    required: true,
    default: null,
    min: minSymbols,
    max: maxSymbols,
    description: `${minSymbols} to ${maxSymbols} symbols with stored bars; μ and Σ come from their closes on the bar times all share`,
  },
  {
    name: 'k',
    type: 'integer',
    required: false,
    default: null,
    min: minK,
    max: maxSymbols,
    description: 'assets to select, at most the number of symbols; default half of the symbols, rounded up',
  },
  {
    name: 'method',
    type: 'choice',
    required: false,
    default: defaults.method,
    choices: OPTIMIZATION_METHOD_CHOICES,
    description: 'the method to run (GET /api/v1/optimizations/methods), or all of them',
  },
  {
    name: 'riskAversion',
    type: 'number',
    required: false,
    default: defaults.riskAversion,
    min: minRiskAversion,
    description: 'λ in return − λ·variance',
  },
  {
    name: 'seed',
    type: 'integer',
    required: false,
    default: defaults.seed,
    description: 'seed of QAOA, annealing and tempering: the same seed gives the same answer',
  },
  {
    name: 'interval',
    type: 'choice',
    required: false,
    default: defaults.interval,
    choices: INTERVALS,
    description: 'the bars whose closes are used',
  },
  {
    name: 'from',
    type: 'time',
    required: false,
    default: null,
    description: 'first bar open used (epoch ms or ISO-8601); default all stored bars',
  },
  {
    name: 'to',
    type: 'time',
    required: false,
    default: null,
    description: 'last bar open used, included (epoch ms or ISO-8601); default all stored bars',
  },
] satisfies OptimizationRequestFieldSpec[]);
