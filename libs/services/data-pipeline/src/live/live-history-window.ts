import { ValidationError, intervalMs, type Bar, type Interval } from '@rrr/core';

/** The bars a live feed's history covers for one symbol: opens in [from, to), to being where live time starts. */
export interface LiveHistoryWindow {
  from: number;
  to: number;
}

/**
 * Where a feed's history starts and ends for one symbol: the `bars` complete bars before the window `now` is in, or
 * only those after `last` (its stored last bar; a gap longer than `bars` stays a gap). Empty when from >= to.
 * `feed` names the feed in the error for a bar count that is not an integer >= 0.
 */
export function liveHistoryWindow(
  feed: string,
  interval: Interval,
  now: number,
  bars: number,
  last: Bar | undefined,
): LiveHistoryWindow {
  if (!Number.isInteger(bars) || bars < 0) {
    throw new ValidationError(feed, [{ field: 'historyBars', message: 'must be an integer >= 0', value: bars }]);
  }
  const length = intervalMs(interval);
  const to = Math.floor(now / length) * length;
  const from = Math.max(to - bars * length, last === undefined ? -Infinity : last.ts + length);
  return { from, to };
}
