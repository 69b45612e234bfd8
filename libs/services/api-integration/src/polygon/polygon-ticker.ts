import { isValidSymbol, ValidationError, type Interval } from '@rrr/core';

export type PolygonTimespan = 'minute' | 'hour' | 'day';

export const POLYGON_TIMESPANS: readonly PolygonTimespan[] = ['minute', 'hour', 'day'];

/** Core intervals by Polygon `multiplier/timespan`; other combinations have no core interval to store them under. */
const INTERVAL_BY_RANGE: Readonly<Record<string, Interval>> = {
  '1/minute': '1m',
  '5/minute': '5m',
  '15/minute': '15m',
  '60/minute': '1h',
  '1/hour': '1h',
  '240/minute': '4h',
  '4/hour': '4h',
  '1/day': '1d',
};

/** The core interval of a Polygon aggregate range, e.g. (5, 'minute') → '5m'. */
export function polygonInterval(multiplier: number, timespan: PolygonTimespan): Interval {
  const interval = INTERVAL_BY_RANGE[`${multiplier}/${timespan}`];
  if (interval === undefined) {
    const supported = Object.keys(INTERVAL_BY_RANGE).join(', ');
    throw new ValidationError('polygon aggregates range', [
      {
        field: 'multiplier/timespan',
        message: `must be one of ${supported}, the ranges that map to a bar interval (got ${multiplier}/${timespan})`,
        value: `${multiplier}/${timespan}`,
      },
    ]);
  }
  return interval;
}

/** Quote currencies recognised at the end of a Polygon crypto or forex pair, longest first. */
const QUOTE_CURRENCIES = ['USDT', 'USDC', 'USD', 'EUR', 'GBP', 'JPY', 'BTC', 'ETH'];

/**
 * The platform symbol of a Polygon ticker: `X:BTCUSD` → `BTC-USD`, `C:EURUSD` → `EUR-USD`, `I:SPX` → `SPX`, `AAPL` →
 * `AAPL`. Throws ValidationError when the result is not a valid symbol (pass `symbol` explicitly then).
 */
export function polygonTickerToSymbol(ticker: string): string {
  const match = /^([XCI]):(.+)$/.exec(ticker);
  let symbol = match ? match[2] : ticker;
  if (match && (match[1] === 'X' || match[1] === 'C')) {
    const quote = QUOTE_CURRENCIES.find((q) => symbol.endsWith(q) && symbol.length > q.length);
    if (quote !== undefined) symbol = `${symbol.slice(0, -quote.length)}-${quote}`;
  }
  if (!isValidSymbol(symbol)) {
    throw new ValidationError('polygon ticker', [
      {
        field: 'ticker',
        message: `does not map to a platform symbol (got ${JSON.stringify(ticker)} → ${JSON.stringify(symbol)}); pass "symbol" explicitly`,
        value: ticker,
      },
    ]);
  }
  return symbol;
}
