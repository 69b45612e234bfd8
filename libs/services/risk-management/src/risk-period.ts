import { ValidationError } from '@rrr/core';
import { UTC_TIME_OF_DAY_PATTERN } from './risk-limits';

export const DAY_MS = 86_400_000;

/** Start of each loss-limit period containing an instant, epoch ms UTC. */
export interface RiskPeriodStarts {
  /** The risk day starts at the configured reset time of day (`circuitBreakerResetUtc`), so a daily halt and the daily loss measure roll over together. */
  day: number;
  /** ISO week: Monday 00:00 UTC. */
  week: number;
  /** First of the month 00:00 UTC. */
  month: number;
}

/** `'13:30'` → 48 600 000 (ms after midnight UTC). */
export function parseUtcTimeOfDay(value: string): number {
  const match = UTC_TIME_OF_DAY_PATTERN.exec(value);
  if (!match) {
    throw new ValidationError('risk period', [
      { field: 'circuitBreakerResetUtc', message: 'must be a UTC time of day HH:MM, e.g. "00:00"', value },
    ]);
  }
  return (Number(match[1]) * 60 + Number(match[2])) * 60_000;
}

/** Latest instant <= `now` whose UTC time of day is `offsetMs`. */
export function riskDayStart(now: number, offsetMs: number): number {
  return Math.floor((now - offsetMs) / DAY_MS) * DAY_MS + offsetMs;
}

export function riskPeriodStarts(now: number, dayOffsetMs: number): RiskPeriodStarts {
  const epochDay = Math.floor(now / DAY_MS);
  // 1970-01-01 was a Thursday: three days after a Monday.
  const daysSinceMonday = (((epochDay + 3) % 7) + 7) % 7;
  const date = new Date(now);
  return {
    day: riskDayStart(now, dayOffsetMs),
    week: (epochDay - daysSinceMonday) * DAY_MS,
    month: Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1),
  };
}
