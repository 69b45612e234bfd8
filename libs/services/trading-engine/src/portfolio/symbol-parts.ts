import { splitSymbol, type SymbolParts } from '@rrr/core';

const cache = new Map<string, SymbolParts>();

/** splitSymbol, memoised: every fill needs the two assets of its pair, and parsing validates with a regex each time. */
export function symbolParts(symbol: string): SymbolParts {
  let parts = cache.get(symbol);
  if (parts === undefined) {
    parts = splitSymbol(symbol);
    cache.set(symbol, parts);
  }
  return parts;
}
