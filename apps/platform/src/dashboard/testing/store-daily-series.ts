import type { Bar, Database } from '@rrr/core';
import { BarStore } from '@rrr/data-pipeline';

const DAY_MS = 86_400_000;

/**
 * Stores a daily series for each of `symbols` over [from, to) (midnight UTC bar opens): two waves per symbol, a slow
 * one and a fast one, so a short moving-average cross trades every few bars. Each symbol's waves are shifted, so no
 * two series are alike. Made for a backtest that must run for seconds (hundreds of thousands of bars, thousands of
 * orders), which no bundled dataset is long enough for.
 */
export async function storeDailySeries(
  db: Database,
  symbols: readonly string[],
  from: number,
  to: number,
): Promise<void> {
  const store = new BarStore(db);
  const days = Math.floor((to - from) / DAY_MS);
  for (const [k, symbol] of symbols.entries()) {
    const bars = new Array<Bar>(days);
    let open = 100;
    for (let i = 0; i < days; i++) {
      const close = 100 + 20 * Math.sin((i + 37 * k) / 40) + 3 * Math.sin(2.1 * i + k);
      bars[i] = {
        symbol,
        interval: '1d',
        ts: from + i * DAY_MS,
        open,
        high: Math.max(open, close) + 1,
        low: Math.min(open, close) - 1,
        close,
        volume: 1_000,
      };
      open = close;
    }
    await store.upsert(bars);
  }
}
