import { toIso, type Database } from '@rrr/core';
import { BarStore, type StoredSeries } from '../storage/bar-store';
import { readSymbols } from '../storage/symbol-registry';

/** A symbol known to the platform: its registration (if any) and every stored series. */
export interface SymbolListing {
  symbol: string;
  assetClass?: string;
  exchange?: string;
  series: Omit<StoredSeries, 'symbol'>[];
}

/** `rrr data list`: every registered symbol and every symbol with stored bars, with each series' size and range. */
export async function listSymbols(db: Database): Promise<SymbolListing[]> {
  const [registered, series] = await Promise.all([readSymbols(db), new BarStore(db).series()]);
  const listings = new Map<string, SymbolListing>();
  for (const r of registered) {
    listings.set(r.symbol, {
      symbol: r.symbol,
      assetClass: r.assetClass,
      ...(r.exchange === undefined ? {} : { exchange: r.exchange }),
      series: [],
    });
  }
  for (const s of series) {
    let listing = listings.get(s.symbol);
    if (listing === undefined) {
      listing = { symbol: s.symbol, series: [] };
      listings.set(s.symbol, listing);
    }
    listing.series.push({ interval: s.interval, bars: s.bars, firstTs: s.firstTs, lastTs: s.lastTs });
  }
  return [...listings.values()].sort((a, b) => a.symbol.localeCompare(b.symbol));
}

/** Listings as an aligned text table. */
export function formatSymbolListing(listings: readonly SymbolListing[]): string {
  if (listings.length === 0) return 'no symbols: import a file or run a backfill';
  const rows: string[][] = [['symbol', 'class', 'interval', 'bars', 'from', 'to']];
  for (const l of listings) {
    if (l.series.length === 0) rows.push([l.symbol, l.assetClass ?? '', '-', '0', '', '']);
    for (const s of l.series) {
      rows.push([l.symbol, l.assetClass ?? '', s.interval, String(s.bars), toIso(s.firstTs), toIso(s.lastTs)]);
    }
  }
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => cell.padEnd(widths[c]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
