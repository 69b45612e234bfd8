import { splitSymbol, type DatabaseSession } from '@rrr/core';

export type AssetClass = 'crypto' | 'equity' | 'index' | 'fx' | 'other';

/** A symbol as registered in core's `symbols` table. */
export interface SymbolEntry {
  symbol: string;
  assetClass: AssetClass;
  exchange?: string;
  metadata?: Record<string, unknown>;
}

/** Pairs (`BTC-USD`, `ETH/USDT`) are crypto, bare tickers equities, unless said otherwise. */
export function inferAssetClass(symbol: string): AssetClass {
  return /[-/]/.test(symbol) ? 'crypto' : 'equity';
}

/**
 * Registers symbols the pipeline has stored bars for. A symbol already registered is left as it is: reference data
 * written by others (an exchange adapter's tick sizes) is richer than what a data import knows.
 */
export async function registerSymbols(
  session: DatabaseSession,
  entries: readonly SymbolEntry[],
  now: number,
): Promise<number> {
  if (entries.length === 0) return 0;
  const rows = entries.map((e) => {
    const parts = splitSymbol(e.symbol);
    return {
      symbol: e.symbol,
      asset_class: e.assetClass,
      exchange: e.exchange ?? null,
      base_asset: parts.base,
      quote_asset: parts.quote,
      active: true,
      metadata: e.metadata ?? null,
      created_at: now,
      updated_at: now,
    };
  });
  return session.insertMany('symbols', rows, { onConflict: { target: ['symbol'], action: 'ignore' } });
}

export interface RegisteredSymbol {
  symbol: string;
  assetClass: string;
  exchange?: string;
  active: boolean;
}

export async function readSymbols(session: DatabaseSession): Promise<RegisteredSymbol[]> {
  const rows = await session.query<{ symbol: string; asset_class: string; exchange: string | null; active: number }>(
    'SELECT symbol, asset_class, exchange, active FROM symbols ORDER BY symbol',
  );
  return rows.map((r) => ({
    symbol: r.symbol,
    assetClass: r.asset_class,
    ...(r.exchange === null ? {} : { exchange: r.exchange }),
    active: Number(r.active) === 1,
  }));
}
