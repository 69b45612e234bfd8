import { INTERVALS, ValidationError, type Interval } from '@rrr/core';

/** A calendar year in milliseconds (365.25 days): the unit CAGR and annual turnover are measured in. */
export const YEAR_MS = 365.25 * 86_400_000;

/**
 * Return periods per year used to annualise volatility, Sharpe and Sortino. Daily bars are taken as equity sessions
 * (252 trading days a year, the convention risk-management's √252 also uses); intraday bars as a 24/7 market (the
 * platform's intraday data is crypto): 365 × bars per day. A caller trading equities intraday passes its own figure.
 */
export const DEFAULT_PERIODS_PER_YEAR: Readonly<Record<Interval, number>> = Object.freeze({
  '1m': 365 * 1_440,
  '5m': 365 * 288,
  '15m': 365 * 96,
  '1h': 365 * 24,
  '4h': 365 * 6,
  '1d': 252,
});

/** The annualisation factor for `interval`, or the override when one is given (validated: a positive number). */
export function periodsPerYearFor(interval: Interval, override?: number): number {
  if (override !== undefined) {
    if (!(override > 0) || !Number.isFinite(override)) {
      throw new ValidationError('metrics options', [
        { field: 'periodsPerYear', message: 'must be a finite number > 0', value: override },
      ]);
    }
    return override;
  }
  if (!INTERVALS.includes(interval)) {
    throw new ValidationError('metrics options', [
      { field: 'interval', message: `must be one of ${INTERVALS.join(', ')}`, value: interval },
    ]);
  }
  return DEFAULT_PERIODS_PER_YEAR[interval];
}
