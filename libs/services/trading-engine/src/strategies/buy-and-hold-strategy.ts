import type { Bar, Signal } from '@rrr/core';
import { regimeSignal, type Strategy, type StrategyContext } from './strategy';

/** The benchmark every strategy must beat: one long signal per symbol on its first bar, then nothing. */
export class BuyAndHoldStrategy implements Strategy {
  readonly id = 'buy-and-hold';
  readonly warmupBars = 1;
  readonly symbols?: readonly string[];
  private readonly bought = new Set<string>();

  constructor(options: { symbols?: readonly string[] } = {}) {
    if (options.symbols !== undefined) this.symbols = options.symbols;
  }

  onBar(bar: Bar, context: StrategyContext): Signal[] {
    if (this.bought.has(bar.symbol)) return [];
    this.bought.add(bar.symbol);
    return [regimeSignal(this.id, bar, context.now, 'long', 'buy and hold')];
  }
}
