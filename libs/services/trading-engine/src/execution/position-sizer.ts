import type { Signal } from '@rrr/core';
import {
  DEFAULT_RISK_LIMITS,
  fixedFractionSize,
  kellySize,
  volatilityTargetSize,
  type KellyOptions,
} from '@rrr/risk-management';

/** What a sizer is told about one signal. */
export interface SizingRequest {
  signal: Signal;
  equity: number;
  /** The price the position is sized at (the signal's price, else the last mark). */
  price: number;
  /** Signed quantity held now. */
  position: number;
  /** Recent closes of the symbol, oldest first (for volatility estimates). */
  closes: readonly number[];
}

/** Turns a signal into the absolute size (base units) the position should have; 0 means do not trade. */
export interface PositionSizer {
  readonly name: string;
  size(request: SizingRequest): number;
}

export interface FixedFractionSizerOptions {
  /** Fraction of equity per position; default 0.1. */
  fraction?: number;
  /** Multiply the fraction by the signal's strength; default false. */
  scaleByStrength?: boolean;
  /** Default: maxPositionPct 0.2. */
  maxFraction?: number;
  quantityStep?: number;
}

/** Holds a fixed fraction of equity per position (risk-management fixedFractionSize). */
export function fixedFractionSizer(options: FixedFractionSizerOptions = {}): PositionSizer {
  const fraction = options.fraction ?? 0.1;
  const maxFraction = options.maxFraction ?? DEFAULT_RISK_LIMITS.maxPositionPct;
  return {
    name: `fixed-fraction(${fraction})`,
    size: ({ signal, equity, price }) =>
      fixedFractionSize({
        equity,
        price,
        fraction: Math.min(maxFraction, options.scaleByStrength === true ? fraction * signal.strength : fraction),
        maxFraction,
        ...(options.quantityStep === undefined ? {} : { quantityStep: options.quantityStep }),
      }).quantity,
  };
}

export interface VolatilityTargetSizerOptions {
  /** Annualised volatility each position should contribute; default 0.1. */
  targetVolatility?: number;
  /** Returns used for the estimate; default 20. */
  lookback?: number;
  /** Default 252 (daily bars). */
  periodsPerYear?: number;
  maxFraction?: number;
}

/**
 * Sizes to a volatility target from the last `lookback` close-to-close returns (risk-management
 * volatilityTargetSize). Until that many closes have been seen it sizes nothing.
 */
export function volatilityTargetSizer(options: VolatilityTargetSizerOptions = {}): PositionSizer {
  const lookback = options.lookback ?? 20;
  const targetVolatility = options.targetVolatility ?? 0.1;
  return {
    name: `volatility-target(${targetVolatility})`,
    size: ({ equity, price, closes }) => {
      if (closes.length < lookback + 1) return 0;
      const window = closes.slice(-(lookback + 1));
      const returns = window.slice(1).map((c, i) => c / window[i] - 1);
      return volatilityTargetSize({
        equity,
        price,
        returns,
        targetVolatility,
        ...(options.periodsPerYear === undefined ? {} : { periodsPerYear: options.periodsPerYear }),
        ...(options.maxFraction === undefined ? {} : { maxFraction: options.maxFraction }),
      }).quantity;
    },
  };
}

/** Kelly sizing (K = W − (1−W)/R, capped, fractional) over the closed-trade results `trades(symbol)` returns. */
export function kellySizer(trades: (symbol: string) => readonly number[], options: KellyOptions = {}): PositionSizer {
  return {
    name: 'kelly',
    size: ({ signal, equity, price }) =>
      kellySize({ equity, price, trades: trades(signal.symbol), ...options }).quantity,
  };
}
