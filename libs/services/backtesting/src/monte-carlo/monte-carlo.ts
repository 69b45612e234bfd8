import { ValidationError, type FieldProblem } from '@rrr/core';
import { createSeededRng, type SeededRng } from '@rrr/risk-management';
import { perPeriodRate } from '../metrics/return-metrics';
import { quantileType7 } from '../metrics/quantile';

/**
 * - 'trades': bootstrap of closed trades — each path draws N trades with replacement from the N closed trades and
 *   compounds their returns on account equity (pnl / equity at entry). Shuffles the order and the mix of trades;
 *   ignores drawdown inside a trade and time out of the market.
 * - 'blocks': moving-block bootstrap of the per-bar returns — each path concatenates blocks of `blockSize`
 *   consecutive returns, each starting at a uniformly drawn index in [0, n − blockSize], truncated to n. Keeps short
 *   runs of autocorrelation (volatility clusters) that single-return resampling would destroy.
 */
export type MonteCarloMethod = 'trades' | 'blocks';
export const MONTE_CARLO_METHODS: readonly MonteCarloMethod[] = ['trades', 'blocks'];

export interface MonteCarloOptions {
  /** Simulated paths; default 1,000. */
  runs?: number;
  /** Default 'trades'. */
  method?: MonteCarloMethod;
  /** Returns per block for 'blocks'; default 5. */
  blockSize?: number;
  /** Seed of the generator (risk-management xoshiro128**): the same seed, the same report. Default 1. */
  seed?: number;
  /** A path is ruined once its drawdown reaches this fraction; default 0.5. */
  ruinDrawdown?: number;
}

export interface MonteCarloInput {
  /** Per-bar returns of the equity curve (what 'blocks' resamples). */
  returns: readonly number[];
  /** Closed trades' returns on account equity, pnl / equity at entry, in exit order (what 'trades' resamples). */
  tradeReturns: readonly number[];
  periodsPerYear: number;
  /** Years the original spans: trade paths annualise their Sharpe with trades per year = N / years. */
  years: number;
  riskFreeRate?: number;
}

/** Mean and percentiles (type 7) of one figure over the paths. */
export interface Distribution {
  mean: number | null;
  p5: number | null;
  p25: number | null;
  p50: number | null;
  p75: number | null;
  p95: number | null;
}

export interface MonteCarloReport {
  method: MonteCarloMethod;
  runs: number;
  seed: number;
  blockSize: number;
  ruinDrawdown: number;
  /** Draws per path: closed trades ('trades') or returns ('blocks'). */
  pathLength: number;
  totalReturn: Distribution;
  maxDrawdown: Distribution;
  /** Over the paths with a defined Sharpe (a path of identical returns has none). */
  sharpe: Distribution;
  /** Share of paths ending above where they started. */
  probabilityOfProfit: number;
  /** Share of paths whose drawdown reached ruinDrawdown. */
  probabilityOfRuin: number;
  /** The same three figures for the original sequence, unshuffled. */
  original: { totalReturn: number; maxDrawdown: number; sharpe: number | null };
}

export const MONTE_CARLO_DEFAULTS = {
  runs: 1_000,
  method: 'trades',
  blockSize: 5,
  seed: 1,
  ruinDrawdown: 0.5,
} as const;

/** Every problem with the options, field by field (`monteCarlo.runs`…), without needing any data. */
export function monteCarloOptionProblems(options: MonteCarloOptions): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const { runs, method, blockSize, seed, ruinDrawdown } = options;
  if (runs !== undefined && !(Number.isInteger(runs) && runs >= 1 && runs <= 1_000_000)) {
    problems.push({ field: 'monteCarlo.runs', message: 'must be an integer in [1, 1000000]', value: runs });
  }
  if (method !== undefined && !MONTE_CARLO_METHODS.includes(method)) {
    problems.push({
      field: 'monteCarlo.method',
      message: `must be one of ${MONTE_CARLO_METHODS.join(', ')}`,
      value: method,
    });
  }
  if (blockSize !== undefined && !(Number.isInteger(blockSize) && blockSize >= 1)) {
    problems.push({ field: 'monteCarlo.blockSize', message: 'must be an integer >= 1', value: blockSize });
  }
  if (seed !== undefined && !Number.isFinite(seed)) {
    problems.push({ field: 'monteCarlo.seed', message: 'must be a finite number', value: seed });
  }
  if (ruinDrawdown !== undefined && !(ruinDrawdown > 0 && ruinDrawdown <= 1)) {
    problems.push({ field: 'monteCarlo.ruinDrawdown', message: 'must be a fraction in (0, 1]', value: ruinDrawdown });
  }
  return problems;
}

interface PathFigures {
  totalReturn: number;
  maxDrawdown: number;
  sharpe: number | null;
}

/**
 * Compounds a path of returns from 1 and measures it the way the run's metrics do: total return, max drawdown
 * (equity floored at 0: a return ≤ −100 % ruins the path for good) and Sharpe with the sample deviation.
 */
function measurePath(path: ArrayLike<number>, periodsPerYear: number, riskFree: number): PathFigures {
  let equity = 1;
  let peak = 1;
  let worst = 0;
  let mean = 0;
  let m2 = 0;
  const n = path.length;
  for (let i = 0; i < n; i += 1) {
    const r = path[i];
    equity = Math.max(0, equity * (1 + r));
    if (equity > peak) peak = equity;
    const drawdown = (peak - equity) / peak;
    if (drawdown > worst) worst = drawdown;
    const delta = r - mean;
    mean += delta / (i + 1);
    m2 += delta * (r - mean);
  }
  const sd = n >= 2 ? Math.sqrt(m2 / (n - 1)) : 0;
  return {
    totalReturn: equity - 1,
    maxDrawdown: worst,
    sharpe: sd > 0 && Number.isFinite(periodsPerYear) ? ((mean - riskFree) / sd) * Math.sqrt(periodsPerYear) : null,
  };
}

/** Fills `out` (length n) with one resampled path of `source` (length n). */
export function resamplePath(
  method: MonteCarloMethod,
  source: readonly number[],
  blockSize: number,
  rng: SeededRng,
  out: Float64Array,
): void {
  const n = source.length;
  if (method === 'trades') {
    for (let i = 0; i < n; i += 1) out[i] = source[rng.nextInt(n)];
    return;
  }
  const block = Math.min(blockSize, n);
  const starts = n - block + 1;
  let filled = 0;
  while (filled < n) {
    const start = rng.nextInt(starts);
    for (let k = 0; k < block && filled < n; k += 1) out[filled++] = source[start + k];
  }
}

function distribution(values: Float64Array): Distribution {
  if (values.length === 0) return { mean: null, p5: null, p25: null, p50: null, p75: null, p95: null };
  const sorted = Float64Array.from(values).sort();
  let sum = 0;
  for (const v of sorted) sum += v;
  return {
    mean: sum / sorted.length,
    p5: quantileType7(sorted, 0.05),
    p25: quantileType7(sorted, 0.25),
    p50: quantileType7(sorted, 0.5),
    p75: quantileType7(sorted, 0.75),
    p95: quantileType7(sorted, 0.95),
  };
}

/**
 * Resamples a run's trades or returns into `runs` alternative histories (seeded) and summarises total return, max
 * drawdown and Sharpe over them, with the probability of ending in profit and of ruin. `onProgress` is called every
 * 100 paths.
 */
export function monteCarlo(
  input: MonteCarloInput,
  options: MonteCarloOptions = {},
  onProgress?: (done: number, total: number) => void,
): MonteCarloReport {
  const problems = monteCarloOptionProblems(options);
  const runs = options.runs ?? MONTE_CARLO_DEFAULTS.runs;
  const method = options.method ?? MONTE_CARLO_DEFAULTS.method;
  const blockSize = options.blockSize ?? MONTE_CARLO_DEFAULTS.blockSize;
  const seed = options.seed ?? MONTE_CARLO_DEFAULTS.seed;
  const ruinDrawdown = options.ruinDrawdown ?? MONTE_CARLO_DEFAULTS.ruinDrawdown;
  const source = method === 'trades' ? input.tradeReturns : input.returns;
  if (problems.length === 0 && source.length < 2) {
    problems.push({
      field: method === 'trades' ? 'trades' : 'returns',
      message:
        method === 'trades'
          ? `need at least 2 closed trades to resample (the run has ${source.length}); try method blocks`
          : `need at least 2 returns to resample (got ${source.length})`,
      value: source.length,
    });
  }
  if (problems.length > 0) throw new ValidationError('monte carlo', problems);

  const periodsPerYear =
    method === 'trades' ? (input.years > 0 ? source.length / input.years : Number.NaN) : input.periodsPerYear;
  const riskFree = Number.isFinite(periodsPerYear) ? perPeriodRate(input.riskFreeRate ?? 0, periodsPerYear) : 0;
  const rng = createSeededRng(seed);
  const path = new Float64Array(source.length);
  const totals = new Float64Array(runs);
  const drawdowns = new Float64Array(runs);
  const sharpes: number[] = [];
  let profitable = 0;
  let ruined = 0;
  for (let run = 0; run < runs; run += 1) {
    resamplePath(method, source, blockSize, rng, path);
    const figures = measurePath(path, periodsPerYear, riskFree);
    totals[run] = figures.totalReturn;
    drawdowns[run] = figures.maxDrawdown;
    if (figures.sharpe !== null) sharpes.push(figures.sharpe);
    if (figures.totalReturn > 0) profitable += 1;
    if (figures.maxDrawdown >= ruinDrawdown) ruined += 1;
    if ((run + 1) % 100 === 0 || run + 1 === runs) onProgress?.(run + 1, runs);
  }
  return {
    method,
    runs,
    seed,
    blockSize,
    ruinDrawdown,
    pathLength: source.length,
    totalReturn: distribution(totals),
    maxDrawdown: distribution(drawdowns),
    sharpe: distribution(Float64Array.from(sharpes)),
    probabilityOfProfit: profitable / runs,
    probabilityOfRuin: ruined / runs,
    original: measurePath(source, periodsPerYear, riskFree),
  };
}
