import { ConfigError, INTERVAL_MS } from '@rrr/core';

/** Where DAY orders end: the close of the trading session that contains a given instant. */
export interface SessionCalendar {
  /** The first session end strictly after `ts` (epoch ms UTC). */
  sessionEnd(ts: number): number;
  /** Shown in health and errors, e.g. `daily close 00:00 UTC`. */
  readonly description: string;
}

const DAY_MS = INTERVAL_MS['1d'];
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;

export interface DailySessionOptions {
  /** UTC time of day the session closes, `HH:MM`. Default `00:00` (the crypto day boundary). */
  closeUtc?: string;
  /** Skip Saturdays and Sundays: a DAY order placed at a weekend lives until Monday's close. Default false. */
  weekdaysOnly?: boolean;
}

/**
 * A session that closes at one fixed UTC time every day (optionally weekdays only). Crypto trades around the clock,
 * so the default day ends at 00:00 UTC; US equities close 16:00 New York time, which is 20:00 or 21:00 UTC depending
 * on daylight saving: configure the UTC close that matches the season, this calendar knows no time zones or holidays.
 */
export function dailySessionCalendar(options: DailySessionOptions = {}): SessionCalendar {
  const closeUtc = options.closeUtc ?? '00:00';
  const match = TIME_OF_DAY.exec(closeUtc);
  if (match === null) {
    throw new ConfigError(
      [{ field: 'session.closeUtc', message: 'must be a UTC time of day HH:MM, e.g. "21:00"', value: closeUtc }],
      'trading session',
    );
  }
  const offset = (Number(match[1]) * 60 + Number(match[2])) * 60_000;
  const weekdaysOnly = options.weekdaysOnly === true;
  return {
    description: `daily close ${closeUtc} UTC${weekdaysOnly ? ', weekdays only' : ''}`,
    sessionEnd(ts: number): number {
      const dayStart = ts - (((ts % DAY_MS) + DAY_MS) % DAY_MS);
      let end = dayStart + offset;
      if (end <= ts) end += DAY_MS;
      if (weekdaysOnly) {
        // getUTCDay of the close instant: 0 Sunday, 6 Saturday.
        while ([0, 6].includes(new Date(end).getUTCDay())) end += DAY_MS;
      }
      return end;
    },
  };
}
