import type { Bar, Signal } from '@rrr/core';
import { regimeSignal, type Regime, type Strategy, type StrategyContext } from '@rrr/trading-engine';

/**
 * Drives a regime strategy on grademark's decision cadence, for the peer cross-check. Grademark evaluates its rules
 * as levels (enter while the entry condition holds and it is flat, exit while the exit condition holds and it is in
 * a position) but does not evaluate any rule on the bar where its position was entered or exited — it is busy
 * filling at that bar's open. The trading engine's strategies instead emit a signal on each regime change and act on
 * every bar. So this wrapper keeps the inner strategy's latest regime (the inner strategy still computes every
 * signal), skips the bar on which the position changed, and otherwise asks for the position the regime implies.
 * Long only, as the cross-check is.
 */
export function grademarkCadence(inner: Strategy): Strategy {
  const regime = new Map<string, Regime>();
  const positionSeen = new Map<string, number>();
  const decide = (bar: Bar, context: StrategyContext, produced: Signal[]): Signal[] => {
    const last = produced[produced.length - 1];
    if (last !== undefined) regime.set(bar.symbol, last.direction);
    const position = context.position(bar.symbol);
    const before = positionSeen.get(bar.symbol) ?? 0;
    positionSeen.set(bar.symbol, position);
    if (position !== before) return [];
    const wanted = regime.get(bar.symbol);
    if (wanted === 'long' && position === 0)
      return [regimeSignal(inner.id, bar, context.now, 'long', 'entry rule holds')];
    if (wanted !== undefined && wanted !== 'long' && position > 0) {
      return [regimeSignal(inner.id, bar, context.now, 'flat', 'exit rule holds')];
    }
    return [];
  };
  return {
    id: inner.id,
    warmupBars: inner.warmupBars,
    onBar(bar, context) {
      const produced = inner.onBar(bar, context);
      return Array.isArray(produced)
        ? decide(bar, context, produced)
        : produced.then((list) => decide(bar, context, list));
    },
  };
}
