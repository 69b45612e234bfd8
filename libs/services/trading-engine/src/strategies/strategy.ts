import type { Bar, Signal } from '@rrr/core';

/** What a strategy may read besides the bar: nothing that is not available at the bar's close. */
export interface StrategyContext {
  /** The clock: the bar's close in a backtest, now live. */
  readonly now: number;
  /** Signed quantity held in `symbol` (0 when flat). */
  position(symbol: string): number;
}

/**
 * The one strategy interface paper trading, live trading and the backtester all drive the same way: bars in
 * (at their close), signals out. A strategy declares how many bars it needs before its signals mean anything; the
 * engine feeds it those bars (to warm its indicators) but drops any signal before the warm-up is complete. Sizing,
 * risk and execution happen downstream of the signal (SignalExecutor).
 */
export interface Strategy {
  /** Stable id, stored with every order it causes, e.g. `sma-cross(20,50)`. */
  readonly id: string;
  /** Bars per symbol before the first signal can be acted on. */
  readonly warmupBars: number;
  /** The symbols it trades; undefined: every symbol it is fed. */
  readonly symbols?: readonly string[];
  onBar(bar: Bar, context: StrategyContext): Signal[] | Promise<Signal[]>;
}

export type Regime = 'long' | 'short' | 'flat';

/** A signal for a regime change at the bar's close. */
export function regimeSignal(
  source: string,
  bar: Bar,
  now: number,
  direction: Regime,
  reason: string,
  strength = 1,
): Signal {
  return {
    symbol: bar.symbol,
    ts: now,
    direction,
    strength: direction === 'flat' ? 0 : Math.min(1, Math.max(0, strength)),
    source,
    reason,
    price: bar.close,
  };
}

/** An indicator level as a signal's reason shows it: 8 significant digits, without float noise (49436.97299999999). */
export function formatLevel(value: number): string {
  return String(Number(value.toPrecision(8)));
}
