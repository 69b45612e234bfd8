import { ValidationError } from '@rrr/core';
import { kellyStatistics, positionClamp, resolveKellyOptions, type KellyStatistics } from './kelly-sizing';
import {
  checkFraction,
  checkSizingTarget,
  clampFraction,
  sizeFromFraction,
  type SizingReason,
  type SizingResult,
  type SizingTarget,
} from './position-sizing';
import { DEFAULT_RISK_LIMITS } from './risk-limits';
import { createSeededRng } from './seeded-rng';

/** Log wealth of a path that lost everything. Module-level: a global lookup in the hot loop is slow under jest's vm. */
const RUINED = -1 / 0;

export interface MonteCarloKellyOptions {
  /** Seed of the bootstrap: the same seed and trades always choose the same fraction. */
  seed: number;
  /** Bootstrap paths (default 1000). */
  paths?: number;
  /** Trades per path (default 100). */
  horizon?: number;
  /** Largest fraction tried (default the Kelly cap 0.30). */
  maxFraction?: number;
  /** Grid step of the fractions tried (default 0.005). */
  step?: number;
  /** Drawdown the chosen fraction must keep within, at `drawdownConfidence` (default maxDrawdownPct 0.15). */
  maxDrawdown?: number;
  /** Share of paths whose maximum drawdown must stay within `maxDrawdown` (default 0.95). */
  drawdownConfidence?: number;
  /** Fewer closed trades than this choose 0 (default 10). */
  minTrades?: number;
}

export interface MonteCarloKellyCandidate {
  fraction: number;
  /** Median over paths of the log wealth growth per trade. */
  medianLogGrowth: number;
  /** The `drawdownConfidence` quantile over paths of the maximum drawdown (a fraction of the path's peak). */
  drawdownQuantile: number;
  feasible: boolean;
}

export interface MonteCarloKellyChoice {
  statistics: KellyStatistics;
  fraction: number;
  medianLogGrowth: number;
  drawdownQuantile: number;
  candidates: MonteCarloKellyCandidate[];
  reasons: SizingReason[];
}

/**
 * Chooses the Kelly fraction by simulation instead of the closed form. Trades are expressed as multiples of the
 * average loss (R-multiples: a loss risks the stake, as in K = W − (1 − W)/R, so for win/loss outcomes the
 * unconstrained optimum is K itself). Paths of `horizon` trades are bootstrapped from them (with replacement,
 * seeded); every fraction on the grid is applied to the same paths, and the fraction with the highest median log
 * growth among those whose drawdown quantile stays within `maxDrawdown` wins (ties go to the smaller fraction).
 */
export function monteCarloKellyFraction(
  trades: readonly number[],
  options: MonteCarloKellyOptions,
): MonteCarloKellyChoice {
  const o = resolveOptions(options);
  const statistics = kellyStatistics(trades);
  const reasons: SizingReason[] = [];
  const none = (candidates: MonteCarloKellyCandidate[] = []): MonteCarloKellyChoice => ({
    statistics,
    fraction: 0,
    medianLogGrowth: 0,
    drawdownQuantile: 0,
    candidates,
    reasons,
  });
  if (statistics.trades < o.minTrades) {
    reasons.push({
      code: 'insufficient-history',
      message: `${statistics.trades} closed trades, fewer than the ${o.minTrades} needed to bootstrap: no position`,
    });
    return none();
  }
  if (statistics.wins === 0) {
    reasons.push({ code: 'no-edge', message: 'no winning trade: no position' });
    return none();
  }
  let unit = statistics.averageLoss;
  if (statistics.losses === 0) {
    unit = statistics.averageWin;
    reasons.push({ code: 'no-losses', message: 'no losing trade to scale by: trades are scaled by the average win' });
  }
  const multiples = Float64Array.from(trades, (t) => t / unit);

  const rng = createSeededRng(o.seed);
  const draws = new Uint32Array(o.paths * o.horizon);
  for (let i = 0; i < draws.length; i += 1) draws[i] = rng.nextInt(multiples.length);

  const candidates: MonteCarloKellyCandidate[] = [];
  const finals = new Float64Array(o.paths);
  const drawdowns = new Float64Array(o.paths);
  // Paths only ever draw from the trades, so each fraction needs trades.length logarithms, not paths × horizon.
  const logGrowth = new Float64Array(multiples.length);
  const count = Math.floor(o.maxFraction / o.step + 1e-9);
  const ddIndex = Math.max(0, Math.ceil(o.drawdownConfidence * o.paths - 1e-9) - 1);
  for (let c = 0; c <= count; c += 1) {
    const f = Number((c * o.step).toFixed(12));
    for (let k = 0; k < multiples.length; k += 1) {
      const growth = 1 + f * multiples[k];
      logGrowth[k] = growth > 0 ? Math.log(growth) : RUINED;
    }
    for (let p = 0; p < o.paths; p += 1) {
      let logWealth = 0;
      let peak = 0;
      let worstGap = 0;
      const base = p * o.horizon;
      for (let t = 0; t < o.horizon; t += 1) {
        logWealth += logGrowth[draws[base + t]];
        if (logWealth > peak) peak = logWealth;
        else if (logWealth - peak < worstGap) worstGap = logWealth - peak;
        if (logWealth === RUINED) break;
      }
      finals[p] = logWealth / o.horizon;
      drawdowns[p] = 1 - Math.exp(worstGap);
    }
    finals.sort();
    drawdowns.sort();
    const medianLogGrowth = median(finals);
    const drawdownQuantile = drawdowns[ddIndex];
    candidates.push({ fraction: f, medianLogGrowth, drawdownQuantile, feasible: drawdownQuantile <= o.maxDrawdown });
  }

  let best = candidates[0];
  let unconstrained = candidates[0];
  for (const c of candidates) {
    if (c.medianLogGrowth > unconstrained.medianLogGrowth) unconstrained = c;
    if (c.feasible && c.medianLogGrowth > best.medianLogGrowth) best = c;
  }
  if (unconstrained.fraction > best.fraction) {
    reasons.push({
      code: 'drawdown-constraint',
      message: `the growth-optimal fraction ${unconstrained.fraction} has a ${o.drawdownConfidence} drawdown quantile of ${unconstrained.drawdownQuantile.toFixed(4)} > ${o.maxDrawdown}: chose ${best.fraction}`,
    });
  }
  if (best.fraction === 0) {
    reasons.push({
      code: 'no-edge',
      message: 'no fraction on the grid grows the median path within the drawdown limit: no position',
    });
  }
  return {
    statistics,
    fraction: best.fraction,
    medianLogGrowth: best.medianLogGrowth,
    drawdownQuantile: best.drawdownQuantile,
    candidates,
    reasons,
  };
}

export interface MonteCarloKellySizeInput extends SizingTarget, MonteCarloKellyOptions {
  trades: readonly number[];
  /** Position clamp applied to the chosen fraction (default 1 %–20 %). */
  minPosition?: number;
  maxPosition?: number;
}

export interface MonteCarloKellySizeResult extends SizingResult {
  monteCarlo: MonteCarloKellyChoice;
}

/** The simulated choice, clamped to the position bounds and turned into a quantity. */
export function monteCarloKellySize(input: MonteCarloKellySizeInput): MonteCarloKellySizeResult {
  checkSizingTarget('monte-carlo kelly sizing', input);
  const clamp = positionClamp(resolveKellyOptions({ minPosition: input.minPosition, maxPosition: input.maxPosition }));
  const choice = monteCarloKellyFraction(input.trades, input);
  const reasons = [...choice.reasons];
  const fraction = clampFraction(choice.fraction, clamp, reasons);
  return { ...sizeFromFraction('monte-carlo-kelly', choice.fraction, fraction, input, reasons), monteCarlo: choice };
}

function median(sorted: Float64Array): number {
  const mid = sorted.length >>> 1;
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function resolveOptions(options: MonteCarloKellyOptions): Required<MonteCarloKellyOptions> {
  const o: Required<MonteCarloKellyOptions> = {
    seed: options.seed,
    paths: options.paths ?? 1000,
    horizon: options.horizon ?? 100,
    maxFraction: options.maxFraction ?? 0.3,
    step: options.step ?? 0.005,
    maxDrawdown: options.maxDrawdown ?? DEFAULT_RISK_LIMITS.maxDrawdownPct,
    drawdownConfidence: options.drawdownConfidence ?? 0.95,
    minTrades: options.minTrades ?? 10,
  };
  for (const field of ['paths', 'horizon'] as const) {
    if (!Number.isInteger(o[field]) || o[field] < 1) {
      throw new ValidationError('monte-carlo kelly', [{ field, message: 'must be an integer >= 1', value: o[field] }]);
    }
  }
  checkFraction('monte-carlo kelly', 'maxFraction', o.maxFraction);
  checkFraction('monte-carlo kelly', 'maxDrawdown', o.maxDrawdown);
  checkFraction('monte-carlo kelly', 'drawdownConfidence', o.drawdownConfidence);
  if (!(o.step > 0 && o.step <= 1)) {
    throw new ValidationError('monte-carlo kelly', [
      { field: 'step', message: 'must be a number in (0, 1]', value: o.step },
    ]);
  }
  return o;
}
