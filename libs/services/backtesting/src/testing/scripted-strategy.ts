import type { Bar, Signal } from '@rrr/core';
import { regimeSignal, type Regime, type Strategy, type StrategyContext } from '@rrr/trading-engine';

export interface ScriptedStrategy extends Strategy {
  /** Every call, in order: the bar it was given and what the context said at that moment. */
  readonly seen: { bar: Bar; now: number; position: number }[];
}

/**
 * A strategy for tests: at the bar index given (counted per symbol, from 0) it asks for the regime given, and
 * records every bar it was handed. `script[symbol][i] = 'long'` → a long signal at the close of that symbol's i-th bar.
 */
export function scriptedStrategy(script: Record<string, Record<number, Regime>>, id = 'scripted'): ScriptedStrategy {
  const count = new Map<string, number>();
  const seen: ScriptedStrategy['seen'] = [];
  return {
    id,
    warmupBars: 1,
    seen,
    onBar(bar: Bar, context: StrategyContext): Signal[] {
      const i = count.get(bar.symbol) ?? 0;
      count.set(bar.symbol, i + 1);
      seen.push({ bar, now: context.now, position: context.position(bar.symbol) });
      const direction = script[bar.symbol]?.[i];
      return direction === undefined ? [] : [regimeSignal(id, bar, context.now, direction, `scripted at bar ${i}`)];
    },
  };
}

const DAY = 86_400_000;
export const T0 = Date.UTC(2024, 0, 1);

/** Daily bars from [open, high, low, close] rows, volume 1,000 unless given, the first at T0. */
export function dailyBars(symbol: string, rows: readonly (readonly number[])[], start = T0): Bar[] {
  return rows.map(([open, high, low, close, volume = 1_000], i) => ({
    symbol,
    interval: '1d',
    ts: start + i * DAY,
    open,
    high,
    low,
    close,
    volume,
  }));
}

/** A seeded random walk of daily bars (log-normal closes, opens near the previous close). */
export function randomWalkBars(symbol: string, n: number, seed: number, start = T0): Bar[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 4_294_967_296;
  };
  const bars: Bar[] = [];
  let close = 100;
  for (let i = 0; i < n; i += 1) {
    const open = close * (1 + (next() - 0.5) * 0.01);
    close = open * Math.exp((next() - 0.5) * 0.04);
    const high = Math.max(open, close) * (1 + next() * 0.01);
    const low = Math.min(open, close) * (1 - next() * 0.01);
    bars.push({ symbol, interval: '1d', ts: start + i * DAY, open, high, low, close, volume: 1_000 + next() * 1_000 });
  }
  return bars;
}
