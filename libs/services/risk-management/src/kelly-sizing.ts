import { checkReturnSeries } from './return-series';
import {
  checkFraction,
  checkSizingTarget,
  clampFraction,
  sizeFromFraction,
  type FractionClamp,
  type SizingReason,
  type SizingResult,
  type SizingTarget,
} from './position-sizing';

/** The legacy Kelly parameters (DESIGN.md): K capped at 0.30, floored at 0, a quarter Kelly, positions 1 %–20 %. */
export const DEFAULT_KELLY_OPTIONS: Readonly<Required<KellyOptions>> = Object.freeze({
  cap: 0.3,
  floor: 0,
  fractional: 0.25,
  minPosition: 0.01,
  maxPosition: 0.2,
  minTrades: 10,
});

export interface KellyOptions {
  cap?: number;
  floor?: number;
  /** Multiplier on the capped Kelly fraction (a quarter Kelly by default: estimates of W and R are noisy). */
  fractional?: number;
  minPosition?: number;
  maxPosition?: number;
  /** Fewer closed trades than this size nothing: W and R of a handful of trades mean little. */
  minTrades?: number;
}

export interface KellyStatistics {
  trades: number;
  wins: number;
  losses: number;
  /** W = wins / trades (break-even trades count as trades, not wins). */
  winRate: number;
  averageWin: number;
  /** Mean size of a losing trade, as a positive number. */
  averageLoss: number;
  /** R = averageWin / averageLoss; Infinity without losses. */
  payoffRatio: number;
  /** K = W − (1 − W) / R; W itself without losses; −Infinity without wins. */
  kelly: number;
}

/**
 * W, R and K from closed trades' results (P&L or returns: R is a ratio, so the unit cancels). Counting closed
 * trades by their result is the point: the legacy win rate counted buy orders.
 */
export function kellyStatistics(trades: readonly number[]): KellyStatistics {
  checkReturnSeries('kelly statistics', 'trades', trades, 0);
  let wins = 0;
  let losses = 0;
  let winSum = 0;
  let lossSum = 0;
  for (const t of trades) {
    if (t > 0) {
      wins += 1;
      winSum += t;
    } else if (t < 0) {
      losses += 1;
      lossSum -= t;
    }
  }
  const n = trades.length;
  const winRate = n === 0 ? 0 : wins / n;
  const averageWin = wins === 0 ? 0 : winSum / wins;
  const averageLoss = losses === 0 ? 0 : lossSum / losses;
  const payoffRatio = losses === 0 ? Number.POSITIVE_INFINITY : averageWin / averageLoss;
  let kelly: number;
  if (wins === 0) kelly = Number.NEGATIVE_INFINITY;
  else if (losses === 0) kelly = winRate;
  else kelly = winRate - (1 - winRate) / payoffRatio;
  return { trades: n, wins, losses, winRate, averageWin, averageLoss, payoffRatio, kelly };
}

export interface KellyFraction {
  statistics: KellyStatistics;
  /** K before any adjustment. */
  rawFraction: number;
  /** After cap, floor, fractional multiplier and the position clamp. */
  fraction: number;
  reasons: SizingReason[];
}

/** K → cap → floor → × fractional → clamp to [minPosition, maxPosition] (a fraction of 0 stays 0: no edge, no trade). */
export function kellyFraction(trades: readonly number[], options: KellyOptions = {}): KellyFraction {
  const o = resolveKellyOptions(options);
  const statistics = kellyStatistics(trades);
  const reasons: SizingReason[] = [];
  const raw = statistics.kelly;
  if (statistics.trades < o.minTrades) {
    reasons.push({
      code: 'insufficient-history',
      message: `${statistics.trades} closed trades, fewer than the ${o.minTrades} needed to estimate W and R: no position`,
    });
    return { statistics, rawFraction: raw, fraction: 0, reasons };
  }
  let k = raw;
  if (k > o.cap) {
    reasons.push({ code: 'kelly-cap', message: `K = ${fmt(k)} capped at ${o.cap}` });
    k = o.cap;
  }
  if (k < o.floor) {
    reasons.push({ code: 'kelly-floor', message: `K = ${fmt(k)} floored at ${o.floor}` });
    k = o.floor;
  }
  if (k <= 0) {
    reasons.push({
      code: 'no-edge',
      message: `W = ${fmt(statistics.winRate)}, R = ${fmt(statistics.payoffRatio)} give no positive edge: no position`,
    });
    return { statistics, rawFraction: raw, fraction: 0, reasons };
  }
  const scaled = k * o.fractional;
  reasons.push({ code: 'kelly-fractional', message: `${fmt(k)} × fractional ${o.fractional} = ${fmt(scaled)}` });
  const fraction = clampFraction(scaled, positionClamp(o), reasons);
  return { statistics, rawFraction: raw, fraction, reasons };
}

export interface KellySizeInput extends SizingTarget, KellyOptions {
  /** Closed trades' results, oldest first. */
  trades: readonly number[];
}

export interface KellySizeResult extends SizingResult {
  statistics: KellyStatistics;
}

export function kellySize(input: KellySizeInput): KellySizeResult {
  checkSizingTarget('kelly sizing', input);
  const k = kellyFraction(input.trades, input);
  return { ...sizeFromFraction('kelly', k.rawFraction, k.fraction, input, k.reasons), statistics: k.statistics };
}

export function resolveKellyOptions(options: KellyOptions): Required<KellyOptions> {
  const o: Required<KellyOptions> = {
    cap: options.cap ?? DEFAULT_KELLY_OPTIONS.cap,
    floor: options.floor ?? DEFAULT_KELLY_OPTIONS.floor,
    fractional: options.fractional ?? DEFAULT_KELLY_OPTIONS.fractional,
    minPosition: options.minPosition ?? DEFAULT_KELLY_OPTIONS.minPosition,
    maxPosition: options.maxPosition ?? DEFAULT_KELLY_OPTIONS.maxPosition,
    minTrades: options.minTrades ?? DEFAULT_KELLY_OPTIONS.minTrades,
  };
  checkFraction('kelly sizing', 'cap', o.cap);
  checkFraction('kelly sizing', 'floor', o.floor, o.cap);
  checkFraction('kelly sizing', 'fractional', o.fractional);
  checkFraction('kelly sizing', 'maxPosition', o.maxPosition, Number.MAX_VALUE);
  checkFraction('kelly sizing', 'minPosition', o.minPosition, o.maxPosition);
  checkFraction('kelly sizing', 'minTrades', o.minTrades, Number.MAX_SAFE_INTEGER);
  return o;
}

export function positionClamp(o: Pick<Required<KellyOptions>, 'minPosition' | 'maxPosition'>): FractionClamp {
  return { min: o.minPosition, max: o.maxPosition };
}

function fmt(x: number): string {
  return Number.isFinite(x) ? String(Number(x.toFixed(6))) : String(x);
}
