import { latestBars, type Bar, type Database, type Interval } from '@rrr/core';
import type { Strategy } from './strategy';

/**
 * Per symbol, the most stored bars a strategy trading it is fed on start (`TradingEngine.warmUp`: one fewer than its
 * warm-up, the last one being the first live bar). A strategy without a symbol list trades every symbol of the
 * universe.
 */
export function warmUpNeeds(strategies: readonly Strategy[], universe: readonly string[]): Map<string, number> {
  const needs = new Map<string, number>();
  for (const strategy of strategies) {
    if (strategy.warmupBars <= 1) continue;
    for (const symbol of strategy.symbols ?? universe) {
      needs.set(symbol, Math.max(needs.get(symbol) ?? 0, strategy.warmupBars - 1));
    }
  }
  return needs;
}

/**
 * The stored bars of a symbol the strategies are fed before its first live bar: the newest `need` bars of
 * `interval` opening before `before` (that live bar — which the feed may have stored already), oldest first. Fewer
 * when fewer are stored: the warm-up then finishes on live bars.
 */
export async function readWarmUpBars(
  db: Database,
  symbol: string,
  interval: Interval,
  need: number,
  before: number,
): Promise<Bar[]> {
  return latestBars(db, { symbol, interval, n: need, to: before });
}
