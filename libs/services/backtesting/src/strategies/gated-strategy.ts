import type { Bar, Signal } from '@rrr/core';
import type { Strategy, StrategyContext } from '@rrr/trading-engine';

/**
 * A strategy that watches bars before `tradeFrom` (to warm its indicators on history before the tested range, e.g. a
 * walk-forward window) but trades only from `tradeFrom` on. Signals produced before then are held, not sent; on a
 * symbol's first bar at or after `tradeFrom` the latest held signal is sent (re-stamped with that bar's close) unless
 * it was flat or the bar produced its own — the position the strategy would have held had it been trading since the
 * start, just as a regime strategy started inside a trend joins it.
 */
export function gatedStrategy(inner: Strategy, tradeFrom: number): Strategy {
  const held = new Map<string, Signal>();
  const opened = new Set<string>();
  const gate = (bar: Bar, now: number, produced: Signal[]): Signal[] => {
    if (bar.ts < tradeFrom) {
      for (const signal of produced) held.set(signal.symbol, signal);
      return [];
    }
    if (opened.has(bar.symbol)) return produced;
    opened.add(bar.symbol);
    const last = held.get(bar.symbol);
    held.delete(bar.symbol);
    if (produced.length > 0 || last === undefined || last.direction === 'flat') return produced;
    return [
      { ...last, ts: now, price: bar.close, reason: `${last.reason ?? last.direction} (held from before the range)` },
    ];
  };
  const gated: Strategy = {
    id: inner.id,
    warmupBars: inner.warmupBars,
    onBar(bar: Bar, context: StrategyContext): Signal[] | Promise<Signal[]> {
      const produced = inner.onBar(bar, context);
      return Array.isArray(produced)
        ? gate(bar, context.now, produced)
        : produced.then((list) => gate(bar, context.now, list));
    },
  };
  if (inner.symbols !== undefined) return { ...gated, symbols: inner.symbols };
  return gated;
}
