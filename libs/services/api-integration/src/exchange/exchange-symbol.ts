import { isValidSymbol, ValidationError } from '@rrr/core';

/**
 * ccxt's spot symbol (`BTC/USDT`) for a platform symbol (`BTC-USDT` or `BTC/USDT`). A bare ticker has no market on an
 * exchange, so it is refused rather than guessed.
 */
export function toExchangeSymbol(symbol: string): string {
  if (!isValidSymbol(symbol) || !/[-/]/.test(symbol)) {
    throw new ValidationError('exchange symbol', [
      { field: 'symbol', message: 'must be a pair such as "BTC-USDT" or "BTC/USDT"', value: symbol },
    ]);
  }
  return symbol.replace('-', '/');
}

/** The platform symbol (`BTC-USDT`) of a ccxt spot symbol (`BTC/USDT`); undefined when it cannot be one. */
export function fromExchangeSymbol(exchangeSymbol: string): string | undefined {
  const symbol = exchangeSymbol.replace('/', '-');
  return isValidSymbol(symbol) && symbol.includes('-') ? symbol : undefined;
}
