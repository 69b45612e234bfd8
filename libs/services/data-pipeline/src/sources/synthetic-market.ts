import {
  INTERVAL_MS,
  ValidationError,
  type Bar,
  type FieldProblem,
  type Interval,
  type OrderSide,
  type Trade,
} from '@rrr/core';
import { SeededRandom, hashString } from './seeded-random';

const DAY_MS = INTERVAL_MS['1d'];

/** One volatility regime of the Markov-switching model. */
export interface VolatilityRegime {
  name: string;
  /** Volatility (and volume) multiple of the base volatility while in this regime. */
  volMultiplier: number;
  /** Mean time spent in the regime before switching, in days (exponential holding times). */
  meanDays: number;
}

/** Poisson jumps added to the diffusion: a move of N(meanLog, stdLog) in log price, `perDay` times a day on average. */
export interface JumpModel {
  perDay: number;
  meanLog: number;
  stdLog: number;
}

export interface SyntheticMarketOptions {
  symbol: string;
  /** 32-bit seed; the symbol is mixed in, so the symbols of one market move independently. */
  seed: number;
  /** Default: BTC-USD 50,000, ETH-USD 3,000, anything else 100. */
  startPrice?: number;
  /** Standard deviation of daily log returns in a multiplier-1 regime. Default 0.02. */
  volatility?: number;
  /** Expected daily log return (before the −σ²/2 correction). Default 0. */
  drift?: number;
  /** Default: calm (×1, ~20 days) and turbulent (×2.5, ~5 days). */
  regimes?: readonly VolatilityRegime[];
  /** Default: 0.05 jumps a day, N(0, 0.04) in log price. */
  jumps?: JumpModel;
  /** Mean volume (base units) per day in a multiplier-1 regime. Default: BTC 20,000, ETH 300,000, else 1,000,000. */
  dailyVolume?: number;
  /** Mean trades per day, for bars' trade counts. Default 50,000. */
  dailyTrades?: number;
  /** Decimals prices are rounded to. Default 2. */
  priceDecimals?: number;
}

export const DEFAULT_REGIMES: readonly VolatilityRegime[] = Object.freeze([
  { name: 'calm', volMultiplier: 1, meanDays: 20 },
  { name: 'turbulent', volMultiplier: 2.5, meanDays: 5 },
]);

export const DEFAULT_JUMPS: Readonly<JumpModel> = Object.freeze({ perDay: 0.05, meanLog: 0, stdLog: 0.04 });

const START_PRICES: Readonly<Record<string, number>> = { 'BTC-USD': 50_000, 'ETH-USD': 3_000 };
const DAILY_VOLUMES: Readonly<Record<string, number>> = { 'BTC-USD': 20_000, 'ETH-USD': 300_000 };
/** Price path points per bar: enough for plausible highs, lows and vwap without costing much. */
const STEPS_PER_BAR = 6;

type ResolvedMarket = Required<Omit<SyntheticMarketOptions, 'regimes' | 'jumps'>> & {
  regimes: readonly VolatilityRegime[];
  jumps: JumpModel;
};

export function resolveSyntheticMarketOptions(options: SyntheticMarketOptions): ResolvedMarket {
  const resolved: ResolvedMarket = {
    symbol: options.symbol,
    seed: options.seed,
    startPrice: options.startPrice ?? START_PRICES[options.symbol] ?? 100,
    volatility: options.volatility ?? 0.02,
    drift: options.drift ?? 0,
    regimes: options.regimes ?? DEFAULT_REGIMES,
    jumps: options.jumps ?? DEFAULT_JUMPS,
    dailyVolume: options.dailyVolume ?? DAILY_VOLUMES[options.symbol] ?? 1_000_000,
    dailyTrades: options.dailyTrades ?? 50_000,
    priceDecimals: options.priceDecimals ?? 2,
  };
  const problems: FieldProblem[] = [];
  const positive = (field: string, value: number) => {
    if (!Number.isFinite(value) || value <= 0) problems.push({ field, message: 'must be a number > 0', value });
  };
  if (!Number.isInteger(resolved.seed) || resolved.seed < 0 || resolved.seed > 0xffffffff) {
    problems.push({ field: 'seed', message: 'must be an integer in [0, 4294967295]', value: resolved.seed });
  }
  positive('startPrice', resolved.startPrice);
  positive('volatility', resolved.volatility);
  positive('dailyVolume', resolved.dailyVolume);
  positive('dailyTrades', resolved.dailyTrades);
  if (!Number.isFinite(resolved.drift))
    problems.push({ field: 'drift', message: 'must be a finite number', value: resolved.drift });
  if (resolved.regimes.length === 0) problems.push({ field: 'regimes', message: 'must list at least one regime' });
  resolved.regimes.forEach((r, i) => {
    positive(`regimes[${i}].volMultiplier`, r.volMultiplier);
    positive(`regimes[${i}].meanDays`, r.meanDays);
  });
  if (!(resolved.jumps.perDay >= 0))
    problems.push({ field: 'jumps.perDay', message: 'must be >= 0', value: resolved.jumps.perDay });
  if (!(resolved.jumps.stdLog >= 0))
    problems.push({ field: 'jumps.stdLog', message: 'must be >= 0', value: resolved.jumps.stdLog });
  if (!Number.isInteger(resolved.priceDecimals) || resolved.priceDecimals < 0 || resolved.priceDecimals > 10) {
    problems.push({ field: 'priceDecimals', message: 'must be an integer in [0, 10]', value: resolved.priceDecimals });
  }
  if (problems.length > 0) throw new ValidationError(`synthetic market ${options.symbol}`, problems);
  return resolved;
}

/**
 * One symbol's synthetic price process: geometric Brownian motion whose volatility switches between regimes (a
 * continuous-time Markov chain), plus Poisson jumps. Every draw comes from a PRNG seeded by (seed, symbol), so the
 * same options and the same sequence of calls give identical bars and trades.
 */
export class SyntheticMarket {
  readonly options: ResolvedMarket;
  private readonly random: SeededRandom;
  private readonly rounding: number;
  private price: number;
  private regime = 0;

  constructor(options: SyntheticMarketOptions) {
    this.options = resolveSyntheticMarketOptions(options);
    this.random = new SeededRandom((this.options.seed ^ hashString(this.options.symbol)) >>> 0);
    this.rounding = 10 ** this.options.priceDecimals;
    this.price = this.options.startPrice;
  }

  /** The unrounded current price. */
  get lastPrice(): number {
    return this.price;
  }

  /**
   * Moves the process to `price` (the last stored close of a feed that ran before), so a restarted feed continues
   * its series instead of jumping back to the start price.
   */
  continueFrom(price: number): void {
    if (!Number.isFinite(price) || price <= 0) {
      throw new ValidationError(`synthetic market ${this.options.symbol}`, [
        { field: 'price', message: 'must be a number > 0', value: price },
      ]);
    }
    this.price = price;
  }

  /** A uniform draw in [0, 1) from this market's own stream (for callers that pace or size its activity). */
  uniform(): number {
    return this.random.next();
  }

  get regimeName(): string {
    return this.options.regimes[this.regime].name;
  }

  /** The next bar, opening at `ts` and lasting `interval`; it opens at the previous bar's close. */
  nextBar(ts: number, interval: Interval): Bar {
    const days = INTERVAL_MS[interval] / DAY_MS;
    const stepDays = days / STEPS_PER_BAR;
    const open = this.round(this.price);
    let high = this.price;
    let low = this.price;
    let sum = 0;
    let multiplierSum = 0;
    for (let i = 0; i < STEPS_PER_BAR; i++) {
      multiplierSum += this.step(stepDays);
      if (this.price > high) high = this.price;
      if (this.price < low) low = this.price;
      sum += this.price;
    }
    const multiplier = multiplierSum / STEPS_PER_BAR;
    // Extremes between path points: a half-step of volatility beyond the sampled ones.
    const wick = this.options.volatility * multiplier * Math.sqrt(stepDays) * 0.5;
    high *= 1 + wick * Math.abs(this.random.normal());
    low *= 1 - Math.min(0.5, wick * Math.abs(this.random.normal()));
    const close = this.round(this.price);
    const roundedHigh = Math.max(this.round(high), open, close);
    const roundedLow = Math.min(this.round(low), open, close);
    const volumeNoise = Math.exp(0.4 * this.random.normal() - 0.08);
    const volume = Math.round(this.options.dailyVolume * days * multiplier * volumeNoise * 1e6) / 1e6;
    const trades = Math.max(1, Math.round(this.options.dailyTrades * days * multiplier * volumeNoise));
    const vwap = Math.min(roundedHigh, Math.max(roundedLow, this.round(sum / STEPS_PER_BAR)));
    return {
      symbol: this.options.symbol,
      interval,
      ts,
      open,
      high: roundedHigh,
      low: roundedLow,
      close,
      volume,
      vwap,
      trades,
    };
  }

  /** Advances the price by `elapsedMs` and returns a trade at the new price, stamped `ts`. */
  nextTrade(ts: number, elapsedMs: number): Trade {
    this.step(Math.max(0, elapsedMs) / DAY_MS);
    const side: OrderSide = this.random.next() < 0.5 ? 'buy' : 'sell';
    const meanSize = this.options.dailyVolume / this.options.dailyTrades;
    const quantity = Math.max(1e-6, Math.round(meanSize * Math.exp(this.random.normal() - 0.5) * 1e6) / 1e6);
    return { symbol: this.options.symbol, ts, price: this.round(this.price), quantity, side };
  }

  /** One diffusion step of `days`; returns the regime multiplier used. */
  private step(days: number): number {
    const { regimes, volatility, drift, jumps } = this.options;
    if (regimes.length > 1 && this.random.chance(1 - Math.exp(-days / regimes[this.regime].meanDays))) {
      // Leave for one of the other regimes, uniformly.
      const other = Math.floor(this.random.next() * (regimes.length - 1));
      this.regime = other >= this.regime ? other + 1 : other;
    }
    const multiplier = regimes[this.regime].volMultiplier;
    const sigma = volatility * multiplier;
    let logReturn = (drift - 0.5 * sigma * sigma) * days + sigma * Math.sqrt(days) * this.random.normal();
    if (jumps.perDay > 0 && this.random.chance(1 - Math.exp(-jumps.perDay * days))) {
      logReturn += jumps.meanLog + jumps.stdLog * this.random.normal();
    }
    this.price *= Math.exp(logReturn);
    return multiplier;
  }

  private round(price: number): number {
    return Math.round(price * this.rounding) / this.rounding;
  }
}
