import { BAR_ROW_COLUMNS, barFromRow, type Bar, type BarRow, type Database, type Interval } from '@rrr/core';
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
 * The stored bars the strategies need before live bars arrive: per symbol the newest `need` bars of `interval`,
 * oldest first. Stored bars are closed ones (the live feed stores a bar once its window has passed); the engine's
 * clock is not used to tell, since an accelerated feed's bars run ahead of it. A symbol with fewer stored bars
 * gives what there is: its warm-up then finishes on live bars.
 */
export async function readWarmUpBars(
  db: Database,
  needs: ReadonlyMap<string, number>,
  interval: Interval,
): Promise<Bar[]> {
  const bars: Bar[] = [];
  for (const [symbol, need] of needs) {
    const rows = await db.query<BarRow>(
      `SELECT ${BAR_ROW_COLUMNS} FROM bars WHERE symbol = ? AND interval = ? ORDER BY ts DESC LIMIT ?`,
      [symbol, interval, need],
    );
    for (let i = rows.length - 1; i >= 0; i--) bars.push(barFromRow(rows[i]));
  }
  return bars;
}
