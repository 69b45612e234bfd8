import type { Bar } from '@rrr/core';
import { DataFrame } from 'data-forge';
import { backtest, type IBar, type IStrategy, type ITrade } from 'grademark';

/** A grademark bar with the two averages our SMA-cross strategy compares (undefined during the warm-up). */
interface SmaBar extends IBar {
  fast?: number;
  slow?: number;
}

/**
 * Simple moving averages computed exactly as trading-signals' SMA does (the indicator the trading engine's
 * SmaCrossStrategy uses): the window summed oldest to newest from 0, then divided by its length — the same
 * floating-point operations in the same order, so the two sides compare bit-identical averages.
 */
export function smaColumn(closes: readonly number[], period: number): (number | undefined)[] {
  return closes.map((_, i) => {
    if (i < period - 1) return undefined;
    let sum = 0;
    for (let k = i - period + 1; k <= i; k += 1) sum += closes[k];
    return sum / period;
  });
}

/**
 * The peer: grademark 0.3.0 running "long while SMA(fast) > SMA(slow), flat while below" on the same bars. Its rules
 * are evaluated at a bar's close and act at the next bar's open (entryRule/exitRule → enter/exit on the following
 * bar at `bar.open`); a position still open at the end is closed at the last close ('finalize'). No costs.
 */
export function grademarkSmaCross(bars: readonly Bar[], fast: number, slow: number): ITrade[] {
  const closes = bars.map((b) => b.close);
  const fastSma = smaColumn(closes, fast);
  const slowSma = smaColumn(closes, slow);
  const rows: SmaBar[] = bars.map((b, i) => ({
    time: new Date(b.ts),
    open: b.open,
    high: b.high,
    low: b.low,
    close: b.close,
    volume: b.volume,
    fast: fastSma[i],
    slow: slowSma[i],
  }));
  const strategy: IStrategy<SmaBar> = {
    lookbackPeriod: 1,
    entryRule: (enter, { bar }) => {
      if (bar.fast !== undefined && bar.slow !== undefined && bar.fast > bar.slow) enter();
    },
    exitRule: (exit, { bar }) => {
      if (bar.fast !== undefined && bar.slow !== undefined && bar.fast < bar.slow) exit();
    },
  };
  return backtest(strategy, new DataFrame<number, SmaBar>(rows));
}
