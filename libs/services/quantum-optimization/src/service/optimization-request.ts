import {
  INTERVALS,
  isInterval,
  isValidSymbol,
  parseIso,
  ValidationError,
  type FieldProblem,
  type Interval,
} from '@rrr/core';
import {
  defaultK,
  OPTIMIZATION_METHOD_CHOICES,
  OPTIMIZATION_REQUEST_DEFAULTS,
  OPTIMIZATION_REQUEST_LIMITS,
  type OptimizationMethodChoice,
} from './optimization-request-fields';

/** A portfolio optimisation as the API asks for it; only `symbols` is required. */
export interface OptimizationRequest {
  /** Two or more assets (a list or `SPX,AAPL`); their stored closes give μ and Σ. */
  symbols: string | readonly string[];
  /** Assets to select; default half of them, rounded up. */
  k?: number;
  /** Default 'all'. */
  method?: OptimizationMethodChoice;
  /** λ in return − λ·variance; default 1. */
  riskAversion?: number;
  /** Seed of QAOA, annealing and tempering; default 1. */
  seed?: number;
  /** Bars whose closes are used; default '1d'. */
  interval?: Interval;
  /** First and last bar open time used (epoch ms or ISO); default all stored bars. */
  from?: string | number;
  to?: string | number;
}

/** A request with its defaults applied and every value checked. */
export interface ResolvedOptimizationRequest {
  symbols: string[];
  k: number;
  method: OptimizationMethodChoice;
  riskAversion: number;
  seed: number;
  interval: Interval;
  from: number | null;
  to: number | null;
}

function readTime(value: unknown, field: string, problems: FieldProblem[]): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  if (typeof value === 'string') {
    const ts = parseIso(value);
    if (Number.isFinite(ts)) return ts;
  }
  problems.push({ field, message: 'must be epoch milliseconds or an ISO-8601 date or date-time', value });
  return null;
}

/**
 * Checks an optimisation request completely — every problem at once, each naming its field — without reading data.
 * The bounds and defaults are OPTIMIZATION_REQUEST_LIMITS and OPTIMIZATION_REQUEST_DEFAULTS, the ones the API
 * publishes (OPTIMIZATION_REQUEST_FIELDS).
 */
export function resolveOptimizationRequest(request: OptimizationRequest): ResolvedOptimizationRequest {
  if (request === null || typeof request !== 'object') {
    throw new ValidationError('optimisation request', [
      { field: '(root)', message: 'must be an object', value: request },
    ]);
  }
  const problems: FieldProblem[] = [];
  const raw =
    typeof request.symbols === 'string'
      ? request.symbols.split(',').map((s) => s.trim())
      : Array.isArray(request.symbols)
        ? request.symbols
        : undefined;
  const symbols: string[] = [];
  if (raw === undefined)
    problems.push({ field: 'symbols', message: 'must be a list of symbols', value: request.symbols });
  for (const symbol of raw ?? []) {
    if (!isValidSymbol(symbol))
      problems.push({ field: 'symbols', message: 'must be symbols such as SPX or AAPL', value: symbol });
    else if (symbols.includes(symbol))
      problems.push({ field: 'symbols', message: `lists ${symbol} twice`, value: symbol });
    else symbols.push(symbol);
  }
  const { minSymbols, maxSymbols, minK, minRiskAversion } = OPTIMIZATION_REQUEST_LIMITS;
  if (raw !== undefined && (symbols.length < minSymbols || symbols.length > maxSymbols)) {
    problems.push({
      field: 'symbols',
      message: `must name ${minSymbols} to ${maxSymbols} assets (${symbols.length} valid given)`,
      value: request.symbols,
    });
  }
  const k = request.k ?? defaultK(symbols.length);
  if (!Number.isInteger(k) || k < minK || (symbols.length > 0 && k > symbols.length)) {
    problems.push({
      field: 'k',
      message: `must be an integer from ${minK} to the number of symbols (${symbols.length})`,
      value: request.k,
    });
  }
  const method = request.method ?? OPTIMIZATION_REQUEST_DEFAULTS.method;
  if (!OPTIMIZATION_METHOD_CHOICES.includes(method)) {
    problems.push({
      field: 'method',
      message: `must be one of ${OPTIMIZATION_METHOD_CHOICES.join(', ')}`,
      value: method,
    });
  }
  const riskAversion = request.riskAversion ?? OPTIMIZATION_REQUEST_DEFAULTS.riskAversion;
  if (typeof riskAversion !== 'number' || !Number.isFinite(riskAversion) || riskAversion < minRiskAversion) {
    problems.push({
      field: 'riskAversion',
      message: `must be a number >= ${minRiskAversion}`,
      value: request.riskAversion,
    });
  }
  const seed = request.seed ?? OPTIMIZATION_REQUEST_DEFAULTS.seed;
  if (!Number.isSafeInteger(seed)) problems.push({ field: 'seed', message: 'must be an integer', value: request.seed });
  const interval = request.interval ?? OPTIMIZATION_REQUEST_DEFAULTS.interval;
  if (!isInterval(interval))
    problems.push({ field: 'interval', message: `must be one of ${INTERVALS.join(', ')}`, value: interval });
  const from = readTime(request.from, 'from', problems);
  const to = readTime(request.to, 'to', problems);
  if (from !== null && to !== null && to < from)
    problems.push({ field: 'to', message: 'must not be before from', value: request.to });
  if (problems.length > 0) throw new ValidationError('optimisation request', problems);
  return { symbols, k, method, riskAversion, seed, interval, from, to };
}
