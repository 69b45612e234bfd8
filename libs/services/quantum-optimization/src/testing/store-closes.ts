import type { Database } from '@rrr/core';

/** Stores daily bars whose every price is the close: what the optimisation service reads (closes of `1d` bars). */
export async function storeCloses(db: Database, symbol: string, closes: { ts: number; close: number }[]): Promise<void> {
  await db.insertMany(
    'bars',
    closes.map(({ ts, close }) => ({
      symbol,
      interval: '1d',
      ts,
      open: close,
      high: close,
      low: close,
      close,
      volume: 1_000,
      vwap: null,
      trades: null,
    })),
  );
}
