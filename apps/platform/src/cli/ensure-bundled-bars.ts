import type { Database } from '@rrr/core';
import { createBundledSource, isBundledSymbol, runBackfill } from '@rrr/data-pipeline';

/**
 * Commands that read a bundled symbol's bars (model training, optimisation) work on a fresh clone too: the bundled
 * daily data is stored first when it is missing. The backfill is idempotent, so a second call reads nothing.
 */
export async function ensureBundledBars(db: Database, symbols: readonly string[]): Promise<void> {
  for (const symbol of symbols) {
    if (isBundledSymbol(symbol)) await runBackfill(db, { source: createBundledSource(symbol) });
  }
}
