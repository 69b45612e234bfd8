import { ValidationError } from '../errors';

/** Bar intervals the platform aggregates, stores and trains on. */
export const INTERVALS = ['1m', '5m', '15m', '1h', '4h', '1d'] as const;
export type Interval = (typeof INTERVALS)[number];

const MINUTE_MS = 60_000;

export const INTERVAL_MS: Readonly<Record<Interval, number>> = Object.freeze({
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '1h': 60 * MINUTE_MS,
  '4h': 240 * MINUTE_MS,
  '1d': 1_440 * MINUTE_MS,
});

export function isInterval(value: unknown): value is Interval {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(INTERVAL_MS, value);
}

/**
 * Length of an interval in milliseconds. Throws for anything else, since the value often comes from config or a URL
 * cast to Interval and an undefined length would turn into NaN timestamps downstream.
 */
export function intervalMs(interval: Interval): number {
  if (!isInterval(interval)) {
    const list = INTERVALS.map((i) => JSON.stringify(i)).join(', ');
    throw new ValidationError('interval', [
      { field: 'interval', message: `must be one of ${list} (got ${JSON.stringify(interval)})`, value: interval },
    ]);
  }
  return INTERVAL_MS[interval];
}

/**
 * Open time of the interval-long bucket containing `ts` on the UTC epoch grid (days start at 00:00 UTC, 4h bars at
 * 00/04/08… UTC). Crypto venues bucket this way; sessions that open off the grid (US equities at 13:30/14:30 UTC)
 * need their own anchor, which is why bar validation does not demand alignment.
 */
export function floorToInterval(ts: number, interval: Interval): number {
  const ms = intervalMs(interval);
  return ts - (((ts % ms) + ms) % ms);
}
