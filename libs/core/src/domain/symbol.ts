import { ValidationError } from '../errors';
import { DOMAIN_LIMITS } from './domain-limits';

/** Legacy symbol grammar: a ticker, or base and quote joined by `-` or `/` (`SPX`, `BTC-USD`, `ETH/USDT`). */
export const SYMBOL_PATTERN = /^[A-Z0-9]+([-/][A-Z0-9]+)?$/;

/**
 * Quote currency assumed for a bare ticker. The platform's bare tickers are US equities and indices (`SPX`, `AAPL`),
 * all priced in dollars; giving them an explicit quote lets P&L and fee code treat every symbol alike.
 */
export const DEFAULT_QUOTE_CURRENCY = 'USD';

/** Both halves of a symbol. `quoteImplied` is true when the symbol was a bare ticker and `quote` is the default. */
export interface SymbolParts {
  base: string;
  quote: string;
  quoteImplied: boolean;
}

/** True for a string of 3–20 characters matching {@link SYMBOL_PATTERN}. Case matters: `btc-usd` is not a symbol. */
export function isValidSymbol(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value.length >= DOMAIN_LIMITS.symbolMinLength &&
    value.length <= DOMAIN_LIMITS.symbolMaxLength &&
    SYMBOL_PATTERN.test(value)
  );
}

/** What a valid symbol looks like, for problem messages. */
export const SYMBOL_EXPECTATION = `must be ${DOMAIN_LIMITS.symbolMinLength}-${DOMAIN_LIMITS.symbolMaxLength} characters matching ${SYMBOL_PATTERN.source}, e.g. "BTC-USD", "ETH/USDT" or "SPX"`;

/**
 * `'BTC-USD'` and `'BTC/USD'` → `{ base: 'BTC', quote: 'USD' }`; a bare ticker `'SPX'` → `{ base: 'SPX', quote: 'USD',
 * quoteImplied: true }` (see {@link DEFAULT_QUOTE_CURRENCY}). Throws ValidationError for anything that is not a symbol,
 * because a half-parsed symbol would silently route money to the wrong market.
 */
export function splitSymbol(symbol: string): SymbolParts {
  if (!isValidSymbol(symbol)) {
    throw new ValidationError('symbol', [{ field: 'symbol', message: SYMBOL_EXPECTATION, value: symbol }]);
  }
  const separator = symbol.search(/[-/]/);
  if (separator < 0) return { base: symbol, quote: DEFAULT_QUOTE_CURRENCY, quoteImplied: true };
  return { base: symbol.slice(0, separator), quote: symbol.slice(separator + 1), quoteImplied: false };
}
