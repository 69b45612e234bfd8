import { ValidationError, type FieldProblem } from '@rrr/core';
import {
  buildSupervisedSeries,
  FEATURE_NAMES,
  planWalkForward,
  usableRange,
  walkForward,
  type BaselineComparison,
  type BaselineName,
  type ClassificationMetrics,
  type FeatureName,
  type SupervisedSeries,
} from '@rrr/neural-network';
import {
  gridSearch,
  randomSearch,
  selectFeaturesGenetic,
  selectFeaturesRandom,
  tuneByAnnealing,
  type ParameterSet,
} from '@rrr/quantum-optimization';
import { HYPERPARAMETER_SPACES, toHyperparameters, type SearchableKind } from './predictor-search-spaces';

export const HYPERPARAMETER_METHODS = ['anneal', 'random', 'grid'] as const;
export const FEATURE_METHODS = ['genetic', 'random'] as const;
export type HyperparameterMethod = (typeof HYPERPARAMETER_METHODS)[number];
export type FeatureMethod = (typeof FEATURE_METHODS)[number];

export interface PredictorSearchRequest {
  /** The whole labelled series; its newest `holdoutFraction` is kept away from every search. */
  series: SupervisedSeries;
  kind: SearchableKind;
  /** Objective evaluations per method (each one a walk-forward). */
  budget: number;
  /** Seed of every stochastic method (the same for all, so none gets a luckier stream by construction). */
  seed: number;
  /** Walk-forward folds of the objective. */
  folds: number;
  /** Share of the usable samples at the end held out for the final check. */
  holdoutFraction: number;
  /** Hyperparameters fixed for every evaluation (searched ones must not be among them). */
  hyperparameters?: Record<string, unknown>;
  /** Called after every objective evaluation and holdout check. */
  onProgress?: (done: number, total: number, label: string) => void;
}

/** What one method found with its budget, and how its choice does on the holdout. */
export interface SearchRun {
  method: string;
  /** Pooled walk-forward metrics of the best candidate (the objective is `cv.logLoss`). */
  cv: ClassificationMetrics;
  hyperparameters: Record<string, unknown>;
  features: FeatureName[];
  evaluations: number;
  wallTimeMs: number;
  /** Best log loss after each evaluation. */
  bestSoFar: number[];
  /** The choice retrained on everything before the holdout and tested on it, against the naive baselines. */
  holdout: BaselineComparison;
}

export interface PredictorSearchReport {
  search: 'hyperparameters' | 'features';
  kind: SearchableKind;
  symbol: string;
  interval: string;
  horizon: string;
  objective: 'walk-forward log loss';
  budget: number;
  seed: number;
  folds: number;
  /** Hyperparameters every evaluation used besides the searched ones (`--param`). */
  fixed: Record<string, unknown>;
  /** The walk-forward test period the objective scores, and its size. */
  tuning: { from: string; to: string; samples: number };
  holdout: { from: string; to: string; samples: number };
  runs: SearchRun[];
  /** The kind's defaults on all features, scored the same way (outside the budget): what searching gained. */
  defaults: SearchRun;
  /** Naive baselines pooled over the same walk-forward test samples as the objective. */
  cvBaselines: Record<BaselineName, ClassificationMetrics>;
  /** Method with the lowest walk-forward log loss; null on an exact tie. */
  winner: string | null;
}

interface Evaluated {
  logLoss: number;
  metrics: ClassificationMetrics;
  baselines: Record<BaselineName, ClassificationMetrics>;
  tuning: { from: string; to: string; samples: number };
}

/**
 * Splits the series into the tuning part (the objective's walk-forward runs on it) and the holdout at the end.
 * The tuning bars stop at the first holdout bar, so no tuning label looks into the holdout.
 */
function splitHoldout(series: SupervisedSeries, holdoutFraction: number): { tuning: SupervisedSeries; size: number } {
  const usable = usableRange(series, 1);
  const size = Math.floor((usable.end - usable.start) * holdoutFraction);
  if (!(holdoutFraction > 0 && holdoutFraction < 1) || size < 1) {
    throw new ValidationError('predictor search', [
      {
        field: 'holdout',
        message: 'must be a fraction in (0, 1) leaving at least one holdout sample',
        value: holdoutFraction,
      },
    ]);
  }
  const [plan] = planWalkForward(usable, series.spec.horizonBars, { folds: 1, testSize: size });
  return { tuning: buildSupervisedSeries(series.bars.slice(0, plan.testStart), series.spec), size };
}

/** Searches for one predictor kind: hyperparameters or feature subsets, every method at the same budget and seed. */
class PredictorSearch {
  private readonly tuning: SupervisedSeries;
  private readonly holdoutSize: number;
  private done = 0;
  private readonly total: number;

  constructor(
    private readonly request: PredictorSearchRequest,
    methods: number,
  ) {
    const split = splitHoldout(request.series, request.holdoutFraction);
    this.tuning = split.tuning;
    this.holdoutSize = split.size;
    // Each method's budget and holdout check, then the defaults' walk-forward and holdout check.
    this.total = methods * (request.budget + 1) + 2;
  }

  private tick(label: string): void {
    this.done += 1;
    this.request.onProgress?.(this.done, this.total, label);
  }

  /** The objective: pooled log loss of a walk-forward over the tuning part. */
  async evaluate(hyperparameters: Record<string, unknown>, features: readonly FeatureName[]): Promise<Evaluated> {
    const r = this.request;
    const report = await walkForward(
      this.tuning,
      { kind: r.kind, hyperparameters: { ...r.hyperparameters, ...hyperparameters } },
      { folds: r.folds, features },
    );
    const first = report.folds[0];
    const last = report.folds[report.folds.length - 1];
    return {
      logLoss: report.pooled.model.logLoss,
      metrics: report.pooled.model,
      baselines: report.pooled.baselines,
      tuning: { from: first.test.from, to: last.test.to, samples: report.pooled.model.samples },
    };
  }

  async holdout(hyperparameters: Record<string, unknown>, features: readonly FeatureName[]) {
    const r = this.request;
    const report = await walkForward(
      r.series,
      { kind: r.kind, hyperparameters: { ...r.hyperparameters, ...hyperparameters } },
      { folds: 1, testSize: this.holdoutSize, features },
    );
    return { comparison: report.pooled, from: report.folds[0].test.from, to: report.folds[0].test.to };
  }

  /**
   * Runs one method through `search`, which calls the objective `budget` times; remembers each evaluation's
   * metrics so the best one can be reported in full, then checks the best on the holdout.
   */
  async run(
    method: string,
    search: (objective: (h: Record<string, unknown>, f: readonly FeatureName[]) => Promise<number>) => Promise<{
      bestIndex: number;
      evaluations: number;
      wallTimeMs: number;
      bestSoFar: number[];
    }>,
  ): Promise<{ run: SearchRun; evaluated: Evaluated; holdoutPeriod: { from: string; to: string } }> {
    const seen: { evaluated: Evaluated; hyperparameters: Record<string, unknown>; features: FeatureName[] }[] = [];
    let best = Number.POSITIVE_INFINITY;
    const outcome = await search(async (hyperparameters, features) => {
      const evaluated = await this.evaluate(hyperparameters, features);
      seen.push({ evaluated, hyperparameters, features: [...features] });
      if (evaluated.logLoss < best) best = evaluated.logLoss;
      this.tick(`${method} ${seen.length}/${this.request.budget}, best log loss ${best.toFixed(4)}`);
      return evaluated.logLoss;
    });
    const chosen = seen[outcome.bestIndex];
    const holdout = await this.holdout(chosen.hyperparameters, chosen.features);
    this.tick(`${method}: holdout check`);
    return {
      evaluated: chosen.evaluated,
      holdoutPeriod: { from: holdout.from, to: holdout.to },
      run: {
        method,
        cv: chosen.evaluated.metrics,
        hyperparameters: chosen.hyperparameters,
        features: chosen.features,
        evaluations: outcome.evaluations,
        wallTimeMs: outcome.wallTimeMs,
        bestSoFar: outcome.bestSoFar,
        holdout: holdout.comparison,
      },
    };
  }

  async report(search: PredictorSearchReport['search'], runs: SearchRun[], reference: Evaluated) {
    const r = this.request;
    const defaults = await this.run('defaults', async (objective) => {
      const started = performance.now();
      const logLoss = await objective({}, FEATURE_NAMES);
      return { bestIndex: 0, evaluations: 1, wallTimeMs: performance.now() - started, bestSoFar: [logLoss] };
    });
    const ranked = [...runs].sort((a, b) => a.cv.logLoss - b.cv.logLoss);
    const tie = ranked.length > 1 && ranked[0].cv.logLoss === ranked[1].cv.logLoss;
    const bars = r.series.bars;
    return {
      search,
      kind: r.kind,
      symbol: bars[0].symbol,
      interval: r.series.spec.interval,
      horizon: r.series.spec.horizon,
      objective: 'walk-forward log loss' as const,
      budget: r.budget,
      seed: r.seed,
      folds: r.folds,
      fixed: { ...r.hyperparameters },
      tuning: reference.tuning,
      holdout: { ...defaults.holdoutPeriod, samples: this.holdoutSize },
      runs,
      defaults: defaults.run,
      cvBaselines: reference.baselines,
      winner: tie || ranked.length === 0 ? null : ranked[0].method,
    } satisfies PredictorSearchReport;
  }
}

function checkRequest(request: PredictorSearchRequest, methods: readonly string[]): void {
  const problems: FieldProblem[] = [];
  if (!Number.isInteger(request.budget) || request.budget < 1) {
    problems.push({
      field: 'budget',
      message: 'must be a positive integer (evaluations per method)',
      value: request.budget,
    });
  }
  if (!Number.isInteger(request.folds) || request.folds < 1) {
    problems.push({ field: 'folds', message: 'must be a positive integer', value: request.folds });
  }
  if (!Number.isInteger(request.seed))
    problems.push({ field: 'seed', message: 'must be an integer', value: request.seed });
  if (methods.length === 0) problems.push({ field: 'method', message: 'name at least one search method' });
  if (problems.length > 0) throw new ValidationError('predictor search', problems);
}

/**
 * Hyperparameter search for one predictor kind by simulated annealing, random search and a grid, each spending
 * exactly `budget` walk-forward evaluations (the grid may use fewer when no even grid fills the budget).
 */
export async function searchHyperparameters(
  request: PredictorSearchRequest,
  methods: readonly HyperparameterMethod[] = HYPERPARAMETER_METHODS,
): Promise<PredictorSearchReport> {
  checkRequest(request, methods);
  const space = HYPERPARAMETER_SPACES[request.kind];
  const fixed = Object.keys(request.hyperparameters ?? {}).filter((name) => name in space);
  if (fixed.length > 0) {
    throw new ValidationError('rrr model tune', [
      {
        field: '--param',
        message: `${fixed.join(', ')} ${fixed.length > 1 ? 'are' : 'is'} searched by model tune; fix only what it does not search (${Object.keys(space).join(', ')} are searched)`,
      },
    ]);
  }
  const search = new PredictorSearch(request, methods.length);
  const runs: SearchRun[] = [];
  let reference: Evaluated | undefined;
  for (const method of methods) {
    const { run, evaluated } = await search.run(method, async (objective) => {
      const score = (parameters: ParameterSet) => objective(toHyperparameters(request.kind, parameters), FEATURE_NAMES);
      const options = { seed: request.seed };
      const result =
        method === 'anneal'
          ? await tuneByAnnealing(space, score, request.budget, options)
          : method === 'random'
            ? await randomSearch(space, score, request.budget, options)
            : await gridSearch(space, score, request.budget);
      return { bestIndex: result.best.index, ...result };
    });
    runs.push(run);
    reference ??= evaluated;
  }
  return search.report('hyperparameters', runs, reference as Evaluated);
}

/**
 * Feature-subset search for one predictor kind (its default or `--param` hyperparameters) by a genetic algorithm
 * and by random subsets, each spending exactly `budget` walk-forward evaluations on distinct subsets.
 */
export async function searchFeatures(
  request: PredictorSearchRequest,
  methods: readonly FeatureMethod[] = FEATURE_METHODS,
): Promise<PredictorSearchReport> {
  checkRequest(request, methods);
  const search = new PredictorSearch(request, methods.length);
  const runs: SearchRun[] = [];
  let reference: Evaluated | undefined;
  for (const method of methods) {
    const { run, evaluated } = await search.run(method, async (objective) => {
      // Fitness is maximised by the selectors; the objective is a loss.
      const fitness = async (indices: readonly number[]) =>
        -(await objective(
          {},
          indices.map((i) => FEATURE_NAMES[i]),
        ));
      const result =
        method === 'genetic'
          ? await selectFeaturesGenetic(FEATURE_NAMES.length, fitness, request.budget, {
              seed: request.seed,
              // Several generations even on small budgets: about five, at most 20 individuals each.
              populationSize: Math.max(4, Math.min(20, Math.round(request.budget / 5))),
            })
          : await selectFeaturesRandom(FEATURE_NAMES.length, fitness, request.budget, { seed: request.seed });
      return { bestIndex: result.best.index, ...result, bestSoFar: result.bestSoFar.map((f) => -f) };
    });
    runs.push(run);
    reference ??= evaluated;
  }
  return search.report('features', runs, reference as Evaluated);
}
