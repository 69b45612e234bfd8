import { ValidationError, type FieldProblem } from '@rrr/core';
import { approximationRatio } from './approximation-ratio';
import { bitsToLabel, indexToBits, popcount } from './bitstring';
import { energyTable, MAX_ENUMERATED_VARIABLES } from './energy-table';
import { meanVariance, type MeanVarianceInput } from './mean-variance';
import { parallelTempering, type TemperingOptions } from './parallel-tempering';
import {
  evaluateSelection,
  portfolioSelectionQubo,
  type PortfolioSelectionProblem,
  type SelectionEvaluation,
} from './portfolio-selection-qubo';
import { QAOA_DEFAULTS, runQaoa, type QaoaOptions } from './qaoa';
import { annealQubo, type AnnealOptions } from './simulated-annealing';
import { solveExact } from './solve-exact';
import { validatePortfolioInputs } from './validate-portfolio-inputs';

export type PortfolioMethod = 'exact' | 'qaoa' | 'anneal' | 'tempering' | 'mean-variance';

/** Every method, in the order `'all'` runs them. */
export const PORTFOLIO_METHODS: readonly PortfolioMethod[] = ['exact', 'qaoa', 'anneal', 'tempering', 'mean-variance'];

/**
 * QAOA's circuit evaluations in optimizePortfolio: a 20-qubit evaluation takes ~0.15–0.35 s, so larger problems get a
 * smaller budget than runQaoa's default unless the caller sets one.
 */
export const PORTFOLIO_QAOA_EVALUATIONS = Object.freeze({
  standard: QAOA_DEFAULTS.maxEvaluations,
  aboveQubits: 16,
  reduced: 60,
});

export interface OptimizePortfolioInput {
  symbols: readonly string[];
  expectedReturns: readonly number[];
  covariance: readonly (readonly number[])[];
  /** Assets to select (the QUBO methods); mean-variance spreads weight freely. */
  k: number;
  method: PortfolioMethod | 'all' | readonly PortfolioMethod[];
  /** λ in return − λ·variance, shared by every method so their objectives compare. Default 1. */
  riskAversion?: number;
  /** Cardinality penalty; default derived (see portfolioSelectionQubo). */
  penalty?: number;
  /** Seed for QAOA, annealing and tempering. Default 1. */
  seed?: number;
  qaoa?: Omit<QaoaOptions, 'seed' | 'energies'>;
  anneal?: Omit<AnnealOptions, 'seed'>;
  tempering?: Omit<TemperingOptions, 'seed'>;
  /** Mean-variance settings; the default objective is 'utility' (same λ), which makes its objective comparable. */
  meanVariance?: Partial<
    Pick<MeanVarianceInput, 'objective' | 'targetReturn' | 'riskFreeRate' | 'lowerBounds' | 'upperBounds'>
  >;
}

export interface PortfolioHolding {
  symbol: string;
  weight: number;
}

export interface PortfolioRun {
  method: PortfolioMethod;
  /** Assets with weight above 1e-6, largest first. */
  holdings: PortfolioHolding[];
  /** Selection vector, asset 0 first (selection methods only). */
  bitstring: string | null;
  /** Holds exactly k assets (always true for mean-variance, which answers a different question). */
  feasible: boolean;
  /** μᵀw − λ·wᵀΣw of the run's portfolio (equal weights 1/k for a selection). */
  objective: number;
  expectedReturn: number;
  volatility: number;
  /** QUBO energy of the selection (selection methods only). */
  energy: number | null;
  /** (objective − worst)/(best − worst) over all k-asset selections; selection methods with N ≤ 20 only. */
  approximationRatio: number | null;
  /** QAOA: probability that one measurement of the final state gives the optimal selection. */
  probabilityOfOptimum: number | null;
  /** QAOA: ⟨C⟩ of the final state. */
  expectedEnergy: number | null;
  /** Units of work: states enumerated (exact), circuit simulations (qaoa), flip proposals (anneal, tempering), QP solves. */
  evaluations: number;
  wallTimeMs: number;
  /** Method settings in a few words. */
  notes: string;
}

export interface PortfolioOptimization {
  symbols: string[];
  k: number;
  riskAversion: number;
  penalty: number;
  minimumPenalty: number;
  /** Best and worst k-asset selections by exhaustive search (N ≤ 20), the reference of approximation ratios. */
  reference: { bestObjective: number; worstObjective: number; best: string[] } | null;
  runs: PortfolioRun[];
  skipped: { method: PortfolioMethod; reason: string }[];
  winner: { method: PortfolioMethod | null; sentence: string };
}

/**
 * Runs the requested methods on one portfolio problem and says which won. Selection methods (exact, qaoa, anneal,
 * tempering) choose k assets in equal weights by minimising the portfolio QUBO; mean-variance is the continuous
 * baseline. All are scored by the same utility μᵀw − λ·wᵀΣw. The winner is the selection method with the highest
 * objective (ties within 1e-9 relative go to the fastest); the continuous baseline is reported beside it, not ranked,
 * because it may spread weight over any number of assets.
 */
export function optimizePortfolio(input: OptimizePortfolioInput): PortfolioOptimization {
  const riskAversion = input.riskAversion ?? 1;
  validatePortfolioInputs({ ...input, riskAversion });
  const methods = resolveMethods(input.method);
  const n = input.symbols.length;
  const seed = input.seed ?? 1;
  const symbols = [...input.symbols];
  const explicit = input.method !== 'all';
  for (const method of ['exact', 'qaoa'] as const) {
    if (explicit && methods.includes(method) && n > MAX_ENUMERATED_VARIABLES) {
      throw new ValidationError('portfolio optimisation', [
        {
          field: 'method',
          message: `${method} handles at most ${MAX_ENUMERATED_VARIABLES} assets (2^N states), ${n} given: use anneal or tempering`,
          value: method,
        },
      ]);
    }
  }

  const problem = portfolioSelectionQubo({
    expectedReturns: input.expectedReturns,
    covariance: input.covariance,
    k: input.k,
    riskAversion,
    penalty: input.penalty,
  });
  const enumerable = n <= MAX_ENUMERATED_VARIABLES;
  const table = enumerable ? energyTable(problem.qubo) : null;
  const reference = table ? feasibleRange(table, input.k) : null;

  const runs: PortfolioRun[] = [];
  const skipped: PortfolioOptimization['skipped'] = [];
  const selectionRun = (
    method: PortfolioMethod,
    bits: ArrayLike<number>,
    extra: Pick<PortfolioRun, 'evaluations' | 'wallTimeMs' | 'notes'> & Partial<PortfolioRun>,
  ): PortfolioRun => {
    const evaluation = evaluateSelection(problem, bits);
    return {
      method,
      holdings: holdingsOf(symbols, evaluation.weights),
      bitstring: bitsToLabel(bits),
      feasible: evaluation.feasible,
      objective: evaluation.objective,
      expectedReturn: evaluation.expectedReturn,
      volatility: evaluation.volatility,
      energy: evaluation.energy,
      approximationRatio: reference && evaluation.feasible ? ratioOf(evaluation, reference) : null,
      probabilityOfOptimum: null,
      expectedEnergy: null,
      ...extra,
    };
  };

  for (const method of methods) {
    if ((method === 'exact' || method === 'qaoa') && !enumerable) {
      skipped.push({ method, reason: `needs N ≤ ${MAX_ENUMERATED_VARIABLES} assets (2^N states), ${n} given` });
      continue;
    }
    if (method === 'exact') {
      const exact = solveExact(problem.qubo);
      runs.push(
        selectionRun('exact', exact.bits, {
          evaluations: exact.evaluated,
          wallTimeMs: exact.wallTimeMs,
          notes: `Gray-code enumeration of 2^${n} selections`,
        }),
      );
    } else if (method === 'qaoa') {
      const options: QaoaOptions = {
        maxEvaluations:
          n > PORTFOLIO_QAOA_EVALUATIONS.aboveQubits
            ? PORTFOLIO_QAOA_EVALUATIONS.reduced
            : PORTFOLIO_QAOA_EVALUATIONS.standard,
        ...input.qaoa,
        seed,
        energies: table ?? undefined,
      };
      const result = runQaoa(problem.qubo, options);
      runs.push(
        selectionRun('qaoa', result.bits, {
          probabilityOfOptimum: result.probabilityOfOptimum,
          expectedEnergy: result.expectedEnergy,
          evaluations: result.evaluations,
          wallTimeMs: result.wallTimeMs,
          notes: `p=${result.layers}, ${result.evaluations} circuit evaluations over ${result.restarts} Nelder–Mead restarts, best of ${result.shots} shots`,
        }),
      );
    } else if (method === 'anneal') {
      const result = annealQubo(problem.qubo, { ...input.anneal, seed });
      runs.push(
        selectionRun('anneal', result.bits, {
          evaluations: result.flipsProposed,
          wallTimeMs: result.wallTimeMs,
          notes: `${result.restarts} × ${result.sweeps} sweeps, T ${fmt(result.temperatures.hot)} → ${fmt(result.temperatures.cold)}`,
        }),
      );
    } else if (method === 'tempering') {
      const result = parallelTempering(problem.qubo, { ...input.tempering, seed });
      runs.push(
        selectionRun('tempering', result.bits, {
          evaluations: result.flipsProposed,
          wallTimeMs: result.wallTimeMs,
          notes: `${result.temperatures.length} replicas × ${result.sweeps} sweeps`,
        }),
      );
    } else {
      runs.push(meanVarianceRun(input, riskAversion, symbols));
    }
  }

  return {
    symbols,
    k: input.k,
    riskAversion,
    penalty: problem.penalty,
    minimumPenalty: problem.minimumPenalty,
    reference: reference
      ? {
          bestObjective: reference.best,
          worstObjective: reference.worst,
          best: holdingsOf(symbols, evaluateSelection(problem, indexToBits(reference.bestIndex, n)).weights).map(
            (h) => h.symbol,
          ),
        }
      : null,
    runs,
    skipped,
    winner: pickWinner(runs, problem, reference),
  };
}

function resolveMethods(method: OptimizePortfolioInput['method']): PortfolioMethod[] {
  const list = method === 'all' ? [...PORTFOLIO_METHODS] : typeof method === 'string' ? [method] : [...method];
  const problems: FieldProblem[] = [];
  if (list.length === 0) problems.push({ field: 'method', message: 'name at least one method' });
  for (const m of list) {
    if (!PORTFOLIO_METHODS.includes(m)) {
      problems.push({ field: 'method', message: `must be one of ${PORTFOLIO_METHODS.join(', ')} or all`, value: m });
    }
  }
  if (problems.length > 0) throw new ValidationError('portfolio optimisation', problems);
  return [...new Set(list)];
}

function meanVarianceRun(input: OptimizePortfolioInput, riskAversion: number, symbols: string[]): PortfolioRun {
  const objective = input.meanVariance?.objective ?? 'utility';
  if (objective === 'utility' && riskAversion === 0) {
    throw new ValidationError('portfolio optimisation', [
      {
        field: 'riskAversion',
        message:
          'mean-variance utility needs λ > 0 (with λ = 0 it is a linear program); pick meanVariance.objective max-sharpe or min-variance',
        value: riskAversion,
      },
    ]);
  }
  const result = meanVariance({
    expectedReturns: input.expectedReturns,
    covariance: input.covariance,
    riskAversion,
    ...input.meanVariance,
    objective,
  });
  return {
    method: 'mean-variance',
    holdings: holdingsOf(symbols, result.weights),
    bitstring: null,
    feasible: true,
    objective: result.expectedReturn - riskAversion * result.variance,
    expectedReturn: result.expectedReturn,
    volatility: result.volatility,
    energy: null,
    approximationRatio: null,
    probabilityOfOptimum: null,
    expectedEnergy: null,
    evaluations: 1,
    wallTimeMs: result.wallTimeMs,
    notes: `${objective}, continuous weights over all ${symbols.length} assets (quadprog)`,
  };
}

interface FeasibleRange {
  best: number;
  worst: number;
  bestIndex: number;
}

/** Best and worst utility over the k-asset states: with no penalty due, their energy is exactly −utility. */
function feasibleRange(table: Float64Array, k: number): FeasibleRange {
  let lowest = Infinity;
  let highest = -Infinity;
  let bestIndex = 0;
  for (let index = 0; index < table.length; index++) {
    if (popcount(index) !== k) continue;
    const e = table[index];
    if (e < lowest) {
      lowest = e;
      bestIndex = index;
    }
    if (e > highest) highest = e;
  }
  return { best: -lowest, worst: -highest, bestIndex };
}

function ratioOf(evaluation: SelectionEvaluation, reference: FeasibleRange): number {
  return approximationRatio(-evaluation.objective, -reference.best, -reference.worst);
}

function holdingsOf(symbols: readonly string[], weights: readonly number[]): PortfolioHolding[] {
  return weights
    .map((weight, i) => ({ symbol: symbols[i], weight }))
    .filter((h) => h.weight > 1e-6)
    .sort((a, b) => b.weight - a.weight || a.symbol.localeCompare(b.symbol));
}

function pickWinner(
  runs: PortfolioRun[],
  problem: PortfolioSelectionProblem,
  reference: FeasibleRange | null,
): PortfolioOptimization['winner'] {
  const selections = runs.filter((r) => r.method !== 'mean-variance');
  const feasible = selections.filter((r) => r.feasible);
  const baseline = runs.find((r) => r.method === 'mean-variance');
  const infeasibleNote = selections
    .filter((r) => !r.feasible)
    .map((r) => ` ${r.method}'s answer held ${r.holdings.length} assets instead of ${problem.k}, so it is not ranked.`)
    .join('');

  if (feasible.length === 0) {
    if (baseline) {
      return {
        method: 'mean-variance',
        sentence:
          `mean-variance won by default: objective ${fmt(baseline.objective)} (return ${pct(baseline.expectedReturn)}, volatility ${pct(baseline.volatility)}); no selection method produced a ${problem.k}-asset portfolio.` +
          infeasibleNote,
      };
    }
    return {
      method: null,
      sentence: `No method found a selection of exactly ${problem.k} assets; raise the penalty above ${fmt(problem.minimumPenalty)} to guarantee it.${infeasibleNote}`,
    };
  }

  const bestObjective = Math.max(...feasible.map((r) => r.objective));
  const tolerance = 1e-9 * Math.max(1, Math.abs(bestObjective));
  const tied = feasible
    .filter((r) => r.objective >= bestObjective - tolerance)
    .sort((a, b) => a.wallTimeMs - b.wallTimeMs);
  const winner = tied[0];
  const others = feasible.filter((r) => !tied.includes(r)).sort((a, b) => b.objective - a.objective);
  const holding = winner.holdings.map((h) => h.symbol).join(', ');
  const optimal = reference && Math.abs(winner.objective - reference.best) <= tolerance ? ', the exact optimum' : '';

  let sentence: string;
  if (selections.length === 1) {
    sentence = `${winner.method} was the only selection method run: objective ${fmt(winner.objective)} holding ${holding}${optimal}.`;
  } else if (feasible.length === 1) {
    sentence = `${winner.method} won as the only method with a ${problem.k}-asset selection: objective ${fmt(winner.objective)} holding ${holding}${optimal}.`;
  } else if (tied.length > 1) {
    sentence =
      `${winner.method} won: it tied ${listOf(tied.slice(1).map((r) => r.method))} on the best objective ${fmt(winner.objective)} (holding ${holding}${optimal}) ` +
      `and was fastest (${ms(winner.wallTimeMs)} vs ${ms(tied[1].wallTimeMs)}).`;
  } else {
    const runnerUp = others[0];
    sentence =
      `${winner.method} won with objective ${fmt(winner.objective)} (holding ${holding}${optimal}), ` +
      `${fmt(winner.objective - runnerUp.objective)} above ${runnerUp.method} (${fmt(runnerUp.objective)}` +
      (runnerUp.approximationRatio !== null ? `, approximation ratio ${runnerUp.approximationRatio.toFixed(3)}` : '') +
      ').';
  }
  if (others.length > 0 && tied.length > 1) {
    sentence += ` Behind: ${others.map((r) => `${r.method} ${fmt(r.objective)}`).join(', ')}.`;
  }
  const qaoa = selections.find((r) => r.method === 'qaoa');
  if (qaoa?.probabilityOfOptimum != null) {
    sentence += ` QAOA sampled the optimum with probability ${pct(qaoa.probabilityOfOptimum)} per shot.`;
  }
  sentence += infeasibleNote;
  if (baseline) {
    const gap = baseline.objective - winner.objective;
    sentence +=
      ` The continuous mean-variance baseline (weights over all ${problem.size} assets, not limited to ${problem.k}) reaches ${fmt(baseline.objective)}, ` +
      `${fmt(Math.abs(gap))} ${gap >= 0 ? 'above' : 'below'} the best ${problem.k}-asset selection.`;
  }
  return { method: winner.method, sentence };
}

function listOf(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function fmt(value: number): string {
  if (value === 0) return '0';
  const abs = Math.abs(value);
  return abs >= 1e-3 && abs < 1e4 ? value.toFixed(abs >= 1 ? 3 : 4) : value.toExponential(3);
}

function pct(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}

function ms(value: number): string {
  return `${value.toFixed(1)} ms`;
}
