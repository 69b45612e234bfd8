import { ValidationError, type Bar, type Signal } from '@rrr/core';
import { BollingerBands } from 'trading-signals';
import { formatLevel, regimeSignal, type Regime, type Strategy, type StrategyContext } from './strategy';

export interface BollingerReversionOptions {
  /** Default 20. */
  period?: number;
  /** Band width in standard deviations (population); default 2. */
  deviations?: number;
  /** Sell stretches above the upper band short; default false (only long entries below the lower band). */
  allowShort?: boolean;
  symbols?: readonly string[];
}

/**
 * Mean reversion on Bollinger bands (legacy 20, 2σ): a close below the lower band goes long, above the upper band
 * short (when allowed); a position is closed (flat) once the close is back at the middle band. One signal per regime
 * change.
 */
export class BollingerReversionStrategy implements Strategy {
  readonly id: string;
  readonly warmupBars: number;
  readonly symbols?: readonly string[];
  private readonly period: number;
  private readonly deviations: number;
  private readonly allowShort: boolean;
  private readonly state = new Map<string, { bands: BollingerBands; regime: Regime }>();

  constructor(options: BollingerReversionOptions = {}) {
    this.period = options.period ?? 20;
    this.deviations = options.deviations ?? 2;
    if (!Number.isInteger(this.period) || this.period < 2 || !(this.deviations > 0)) {
      throw new ValidationError('bollinger strategy', [
        { field: 'period', message: 'must be an integer >= 2 with deviations > 0', value: this.period },
      ]);
    }
    this.allowShort = options.allowShort === true;
    this.id = `bollinger-reversion(${this.period},${this.deviations})`;
    this.warmupBars = this.period;
    if (options.symbols !== undefined) this.symbols = options.symbols;
  }

  onBar(bar: Bar, context: StrategyContext): Signal[] {
    let s = this.state.get(bar.symbol);
    if (s === undefined) {
      s = { bands: new BollingerBands(this.period, this.deviations), regime: 'flat' };
      this.state.set(bar.symbol, s);
    }
    const bands = s.bands.add(bar.close);
    if (bands === null) return [];
    const { lower, middle, upper } = bands;
    let next: Regime = s.regime;
    let reason = '';
    if (s.regime === 'flat') {
      if (bar.close < lower) {
        next = 'long';
        reason = `close ${bar.close} < lower band ${formatLevel(lower)}`;
      } else if (this.allowShort && bar.close > upper) {
        next = 'short';
        reason = `close ${bar.close} > upper band ${formatLevel(upper)}`;
      }
    } else if (s.regime === 'long' && bar.close >= middle) {
      next = 'flat';
      reason = `close ${bar.close} back above the middle band ${formatLevel(middle)}`;
    } else if (s.regime === 'short' && bar.close <= middle) {
      next = 'flat';
      reason = `close ${bar.close} back below the middle band ${formatLevel(middle)}`;
    }
    if (next === s.regime) return [];
    s.regime = next;
    const width = upper - lower;
    const stretch = next === 'flat' || width <= 0 ? 1 : Math.abs(bar.close - middle) / (width / 2);
    return [regimeSignal(this.id, bar, context.now, next, reason, Math.min(1, stretch / 2))];
  }
}
