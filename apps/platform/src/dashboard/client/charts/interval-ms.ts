import type { Interval } from '@rrr/core';

// The platform's bar intervals and their lengths. A copy of core's table because the browser bundle cannot take
// @rrr/core's runtime (its entry loads Node-only modules); typed by core's Interval, so a new interval there fails
// this file's type check until it is added here.
const INTERVAL_MS: Record<Interval, number> = {
  '1m': 60_000,
  '5m': 300_000,
  '15m': 900_000,
  '1h': 3_600_000,
  '4h': 14_400_000,
  '1d': 86_400_000,
};

/** The length of an interval in ms; unknown intervals are an error, not a guess. */
export function intervalMs(interval: string): number {
  const ms = (INTERVAL_MS as Record<string, number | undefined>)[interval];
  if (ms === undefined) throw new Error(`unknown bar interval "${interval}"`);
  return ms;
}

/** The open time of the bar holding `ts`. */
export function barOpen(ts: number, interval: string): number {
  const ms = intervalMs(interval);
  return Math.floor(ts / ms) * ms;
}

/** The interval `ms` long (`900000` → `15m`), or undefined for a length that is none of them. */
export function intervalNamed(ms: number): string | undefined {
  return Object.entries(INTERVAL_MS).find(([, length]) => length === ms)?.[0];
}
