import { ValidationError, toIso, type Bar, type FieldProblem } from '@rrr/core';
import { defaultBarLoader } from '../data/bar-loader';
import type { EquityCurve } from '../engine/event-backtest';
import type { RoundTrip } from '../engine/round-trip-ledger';
import { computePerformanceMetrics, type PerformanceMetrics } from '../metrics/performance-metrics';
import type { StrategyParameters } from '../strategies/strategy-catalog';
import { SweepPool, workerCount } from '../sweep/sweep-pool';
import { candidateParameterSets, type ParameterSearch } from '../walk-forward/parameter-search';
import { walkForwardWindows, type WalkForwardMode } from '../walk-forward/walk-forward-windows';
import { checkDataCoverage, resolveBacktestRequest, type BacktestDeps, type BacktestRequest } from './backtest-request';
import type { BacktestProgressCallback } from './backtest-progress';
import {
  loadBacktestBars,
  settingsOf,
  simulateBacktest,
  type BacktestBars,
  type BacktestSettings,
} from './simulate-backtest';

/** What a walk-forward optimises in sample (higher is better; an undefined figure ranks last). */
export type WalkForwardObjective = 'sharpe' | 'sortino' | 'calmar' | 'cagr' | 'total-return';
export const WALK_FORWARD_OBJECTIVES: readonly WalkForwardObjective[] = [
  'sharpe',
  'sortino',
  'calmar',
  'cagr',
  'total-return',
];

/** `rrr backtest walk-forward …`: a backtest request, the parameters to search, and how to split the data. */
export interface WalkForwardRequest extends BacktestRequest {
  search: ParameterSearch;
  /** Default 5. */
  splits?: number;
  /** In-sample share of each rolling window; default 0.7. */
  inSampleFraction?: number;
  /** Default 'rolling'. */
  mode?: WalkForwardMode;
  /** Default 'sharpe'. */
  objective?: WalkForwardObjective;
  /** Worker threads for the in-sample search: 0 = this thread; default 'auto' (one per core). */
  workers?: number | 'auto';
}

export interface WalkForwardSplit {
  index: number;
  /** Bar open times, [from, to). */
  inSample: { from: number; to: number; bars: number };
  outOfSample: { from: number; to: number; bars: number };
  /** The in-sample winner, run unchanged out of sample. */
  best: StrategyParameters;
  inSampleObjective: number | null;
  outOfSampleObjective: number | null;
  /** outOfSampleObjective / inSampleObjective (walk-forward efficiency of the split); null when IS ≤ 0. */
  efficiency: number | null;
  inSampleMetrics: PerformanceMetrics;
  outOfSampleMetrics: PerformanceMetrics;
  /** The five best in-sample candidates, best first. */
  ranking: { parameters: StrategyParameters; objective: number | null }[];
}

export interface WalkForwardResult {
  settings: BacktestSettings;
  mode: WalkForwardMode;
  splits: number;
  inSampleFraction: number;
  objective: WalkForwardObjective;
  search: { method: 'grid' | 'random'; candidates: number; skipped: number };
  windows: WalkForwardSplit[];
  /**
   * Mean out-of-sample objective / mean in-sample objective over the splits (1 = out of sample as good as the
   * optimised in-sample fit, near 0 or negative = the fit does not carry over); null when the in-sample mean ≤ 0.
   */
  robustness: number | null;
  /** Share of splits whose out-of-sample total return is > 0. */
  consistency: number;
  /**
   * The out-of-sample windows chained into one run: each window starts from the previous one's final equity (its
   * returns compounded), with the windows' round trips pooled (as traded, each window starting from the capital).
   */
  outOfSample: { curve: EquityCurve; metrics: PerformanceMetrics; benchmark: PerformanceMetrics; trades: RoundTrip[] };
  /** How often each winning parameter set was chosen, most often first. */
  parameterStability: { parameters: StrategyParameters; splits: number }[];
}

function objectiveOf(metrics: PerformanceMetrics, objective: WalkForwardObjective): number | null {
  switch (objective) {
    case 'sharpe':
      return metrics.sharpe;
    case 'sortino':
      return metrics.sortino;
    case 'calmar':
      return metrics.calmar;
    case 'cagr':
      return metrics.cagr;
    case 'total-return':
      return metrics.totalReturn;
  }
}

/** Bars of every symbol with from <= ts < to, plus up to `warmup` bars before `from` to warm indicators up. */
function sliceBars(all: Record<string, Bar[]>, from: number, to: number, warmup: number): BacktestBars {
  const range: Record<string, Bar[]> = {};
  const history: Record<string, Bar[]> = {};
  for (const [symbol, bars] of Object.entries(all)) {
    const first = bars.findIndex((b) => b.ts >= from);
    const start = first < 0 ? bars.length : first;
    let end = start;
    while (end < bars.length && bars[end].ts < to) end += 1;
    range[symbol] = bars.slice(start, end);
    history[symbol] = bars.slice(Math.max(0, start - warmup), start);
  }
  return { range, warmup: history };
}

function checkOptions(request: WalkForwardRequest): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (request.objective !== undefined && !WALK_FORWARD_OBJECTIVES.includes(request.objective)) {
    problems.push({
      field: 'objective',
      message: `must be one of ${WALK_FORWARD_OBJECTIVES.join(', ')}`,
      value: request.objective,
    });
  }
  try {
    walkForwardWindows(1_000_000, {
      ...(request.splits === undefined ? {} : { splits: request.splits }),
      ...(request.inSampleFraction === undefined ? {} : { inSampleFraction: request.inSampleFraction }),
      ...(request.mode === undefined ? {} : { mode: request.mode }),
    });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...error.problems);
  }
  try {
    workerCount(request.workers);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.push(...error.problems);
  }
  return problems;
}

/**
 * Walk-forward optimisation: the data is cut into `splits` in-sample / out-of-sample window pairs (rolling or
 * expanding, 70/30 by default); in each, every candidate parameter set (grid or seeded random search) is backtested
 * in sample — in parallel on worker threads — the best by `objective` is then backtested on the following
 * out-of-sample window it has never seen. Reports each split, robustness (OOS / IS objective), consistency (share of
 * profitable OOS windows) and the chained out-of-sample run. The request, search and split options are checked
 * before any work; a time line too short for the splits is refused once the data is known, before any run.
 */
export async function runWalkForward(
  request: WalkForwardRequest,
  deps: BacktestDeps = {},
  onProgress?: BacktestProgressCallback,
): Promise<WalkForwardResult> {
  const problems = checkOptions(request);
  let resolved;
  try {
    resolved = resolveBacktestRequest(request, deps);
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    problems.unshift(...error.problems);
  }
  let candidates: ReturnType<typeof candidateParameterSets> | undefined;
  if (resolved !== undefined) {
    try {
      candidates = candidateParameterSets(
        resolved.strategy.definition.name,
        request.params ?? {},
        request.search ?? { method: 'grid', space: {} },
      );
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0 || resolved === undefined || candidates === undefined) {
    throw new ValidationError('walk-forward request', problems);
  }
  const objective = request.objective ?? 'sharpe';
  const mode = request.mode ?? 'rolling';
  const splits = request.splits ?? 5;
  const inSampleFraction = request.inSampleFraction ?? 0.7;
  const loader = deps.loader ?? defaultBarLoader(deps.db);
  const checked = await checkDataCoverage(resolved, loader);
  const settings = settingsOf(checked);
  const context = {
    symbols: settings.symbols,
    allowShort: settings.allowShort,
    ...(deps.predict === undefined ? {} : { predict: deps.predict }),
  };
  const warmupOf = (parameters: StrategyParameters): number =>
    checked.strategy.definition.create(parameters, context).warmupBars;
  const maxWarmup = Math.max(...candidates.candidates.map(warmupOf));

  onProgress?.({
    phase: 'load',
    done: 0,
    total: settings.symbols.length,
    message: `loading ${settings.symbols.join(', ')}`,
  });
  const loaded = await loadBacktestBars(settings, loader, maxWarmup);
  const all: Record<string, Bar[]> = {};
  for (const s of settings.symbols) all[s] = [...loaded.warmup[s], ...loaded.range[s]];
  const timeline = [...new Set(settings.symbols.flatMap((s) => loaded.range[s].map((b) => b.ts)))].sort(
    (a, b) => a - b,
  );
  const windows = walkForwardWindows(timeline.length, { splits, inSampleFraction, mode });
  const timeAt = (i: number): number => (i < timeline.length ? timeline[i] : settings.to);

  const total = splits * candidates.candidates.length;
  const pool = new SweepPool(request.workers === undefined ? {} : { workers: request.workers });
  const results: WalkForwardSplit[] = [];
  const oosRuns: Awaited<ReturnType<typeof simulateBacktest>>[] = [];
  try {
    for (const window of windows) {
      const isFrom = timeAt(window.inSample.start);
      const isTo = timeAt(window.inSample.end);
      const oosFrom = isTo;
      const oosTo = timeAt(window.outOfSample.end);
      onProgress?.({
        phase: 'split',
        done: window.index,
        total: splits,
        message: `split ${window.index + 1}/${splits}: in-sample ${toIso(isFrom).slice(0, 10)} … ${toIso(isTo - 1).slice(0, 10)}, out-of-sample to ${toIso(oosTo - 1).slice(0, 10)}`,
      });
      const isBars = sliceBars(all, isFrom, isTo, maxWarmup);
      const outcomes = await pool.run({ settings, bars: isBars, tradeFrom: isFrom }, candidates.candidates, (done) =>
        onProgress?.({
          phase: 'search',
          done: window.index * candidates.candidates.length + done,
          total,
          message: `split ${window.index + 1}/${splits}: ${done} of ${candidates.candidates.length} parameter sets`,
        }),
      );
      const ranked = outcomes
        .map((o) => ({ ...o, objective: objectiveOf(o.metrics, objective) }))
        .sort(
          (a, b) =>
            (b.objective ?? Number.NEGATIVE_INFINITY) - (a.objective ?? Number.NEGATIVE_INFINITY) || a.index - b.index,
        );
      const best = ranked[0];
      const oos = await simulateBacktest(
        { ...settings, parameters: best.parameters },
        sliceBars(all, oosFrom, oosTo, warmupOf(best.parameters)),
        { tradeFrom: oosFrom, ...(deps.predict === undefined ? {} : { predict: deps.predict }) },
      );
      oosRuns.push(oos);
      const oosObjective = objectiveOf(oos.metrics, objective);
      results.push({
        index: window.index,
        inSample: { from: isFrom, to: isTo, bars: window.inSample.end - window.inSample.start },
        outOfSample: { from: oosFrom, to: oosTo, bars: window.outOfSample.end - window.outOfSample.start },
        best: best.parameters,
        inSampleObjective: best.objective,
        outOfSampleObjective: oosObjective,
        efficiency:
          best.objective !== null && best.objective > 0 && oosObjective !== null ? oosObjective / best.objective : null,
        inSampleMetrics: best.metrics,
        outOfSampleMetrics: oos.metrics,
        ranking: ranked.slice(0, 5).map((r) => ({ parameters: r.parameters, objective: r.objective })),
      });
    }
  } finally {
    await pool.close();
  }
  onProgress?.({ phase: 'done', done: splits, total: splits, message: 'walk-forward finished' });

  const pairs = results.filter((r) => r.inSampleObjective !== null && r.outOfSampleObjective !== null);
  const meanIs = pairs.reduce((s, r) => s + (r.inSampleObjective as number), 0) / Math.max(1, pairs.length);
  const meanOos = pairs.reduce((s, r) => s + (r.outOfSampleObjective as number), 0) / Math.max(1, pairs.length);
  const stability = new Map<string, { parameters: StrategyParameters; splits: number }>();
  for (const r of results) {
    const key = JSON.stringify(r.best);
    const entry = stability.get(key) ?? { parameters: r.best, splits: 0 };
    entry.splits += 1;
    stability.set(key, entry);
  }
  return {
    settings,
    mode,
    splits,
    inSampleFraction,
    objective,
    search: { method: request.search.method, candidates: candidates.candidates.length, skipped: candidates.skipped },
    windows: results,
    robustness: pairs.length > 0 && meanIs > 0 ? meanOos / meanIs : null,
    consistency: results.filter((r) => (r.outOfSampleMetrics.totalReturn ?? 0) > 0).length / results.length,
    outOfSample: chainOutOfSample(oosRuns, settings),
    parameterStability: [...stability.values()].sort((a, b) => b.splits - a.splits),
  };
}

/** The out-of-sample runs as one: returns compounded window after window, trades pooled. */
function chainOutOfSample(
  runs: readonly Awaited<ReturnType<typeof simulateBacktest>>[],
  settings: BacktestSettings,
): WalkForwardResult['outOfSample'] {
  const curve: EquityCurve = {
    ts: [],
    equity: [],
    cash: [],
    grossExposure: [],
    netExposure: [],
    benchmark: [],
    benchmarkExposure: [],
  };
  let equity = settings.initialCapital;
  let benchmark = settings.initialCapital;
  for (const run of runs) {
    const c = run.curve;
    const scale = equity / c.equity[0];
    const benchmarkScale = benchmark / c.benchmark[0];
    for (let i = curve.ts.length === 0 ? 0 : 1; i < c.ts.length; i += 1) {
      curve.ts.push(c.ts[i]);
      curve.equity.push(c.equity[i] * scale);
      curve.cash.push(c.cash[i] * scale);
      curve.grossExposure.push(c.grossExposure[i] * scale);
      curve.netExposure.push(c.netExposure[i] * scale);
      curve.benchmark.push(c.benchmark[i] * benchmarkScale);
      curve.benchmarkExposure.push(c.benchmarkExposure[i] * benchmarkScale);
    }
    equity = curve.equity[curve.equity.length - 1];
    benchmark = curve.benchmark[curve.benchmark.length - 1];
  }
  const trades = runs.flatMap((r) => r.trades);
  const closed = trades.filter((t) => t.pnl !== null);
  const options = { periodsPerYear: settings.periodsPerYear, riskFreeRate: settings.riskFreeRate };
  return {
    curve,
    trades,
    metrics: computePerformanceMetrics(
      {
        ts: curve.ts,
        equity: curve.equity,
        grossExposure: curve.grossExposure,
        closedTrades: closed.map((t) => ({
          pnl: t.pnl as number,
          returnFraction: t.returnFraction as number,
          entryTs: t.entryTs,
          exitTs: t.exitTs as number,
        })),
        openTrades: trades.length - closed.length,
        fills: runs.flatMap((r) => r.fills.map((f) => ({ notional: f.quantity * f.price, fee: f.fee }))),
      },
      options,
    ),
    benchmark: computePerformanceMetrics(
      {
        ts: curve.ts,
        equity: curve.benchmark,
        grossExposure: curve.benchmarkExposure,
        closedTrades: [],
        openTrades: settings.symbols.length,
        fills: [],
      },
      options,
    ),
  };
}
