import { ValidationError, type Bar, type Signal } from '@rrr/core';
import { SMA } from 'trading-signals';
import { formatLevel, regimeSignal, type Regime, type Strategy, type StrategyContext } from './strategy';

export interface SmaCrossOptions {
  /** Default 20. */
  fast?: number;
  /** Default 50. */
  slow?: number;
  /** Go short while the fast average is below the slow one; default false (flat instead). */
  allowShort?: boolean;
  symbols?: readonly string[];
}

/**
 * Trend following on two simple moving averages of the close (legacy 20/50): long while SMA(fast) > SMA(slow), flat
 * (or short) while below. A signal is emitted when the regime changes, including the first regime known after the
 * warm-up (the slow average's length), so a strategy started inside a trend joins it.
 */
export class SmaCrossStrategy implements Strategy {
  readonly id: string;
  readonly warmupBars: number;
  readonly symbols?: readonly string[];
  private readonly fast: number;
  private readonly slow: number;
  private readonly allowShort: boolean;
  private readonly state = new Map<string, { fast: SMA; slow: SMA; regime: Regime | undefined }>();

  constructor(options: SmaCrossOptions = {}) {
    this.fast = options.fast ?? 20;
    this.slow = options.slow ?? 50;
    if (!Number.isInteger(this.fast) || !Number.isInteger(this.slow) || this.fast < 1 || this.slow <= this.fast) {
      throw new ValidationError('sma-cross strategy', [
        {
          field: 'slow',
          message: `must be an integer > fast (got fast ${this.fast}, slow ${this.slow})`,
          value: this.slow,
        },
      ]);
    }
    this.allowShort = options.allowShort === true;
    this.id = `sma-cross(${this.fast},${this.slow})`;
    this.warmupBars = this.slow;
    if (options.symbols !== undefined) this.symbols = options.symbols;
  }

  onBar(bar: Bar, context: StrategyContext): Signal[] {
    let s = this.state.get(bar.symbol);
    if (s === undefined) {
      s = { fast: new SMA(this.fast), slow: new SMA(this.slow), regime: undefined };
      this.state.set(bar.symbol, s);
    }
    const fast = s.fast.add(bar.close);
    const slow = s.slow.add(bar.close);
    if (fast === null || slow === null) return [];
    let regime: Regime;
    if (fast > slow) regime = 'long';
    else if (fast < slow) regime = this.allowShort ? 'short' : 'flat';
    else return [];
    if (regime === s.regime) return [];
    s.regime = regime;
    return [
      regimeSignal(
        this.id,
        bar,
        context.now,
        regime,
        `SMA(${this.fast}) ${formatLevel(fast)} ${fast > slow ? '>' : '<'} SMA(${this.slow}) ${formatLevel(slow)}`,
      ),
    ];
  }
}
