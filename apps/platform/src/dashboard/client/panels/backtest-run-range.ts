import { barOpen, intervalMs } from '../charts/interval-ms';
import { DASH, formatDate, formatTime } from '../ui/format';

const DAY_MS = 86_400_000;

/** What a stored run says of its range: bar open times [from, to) of bars of `interval`. */
export interface StoredRunRange {
  from: number | null;
  /** Exclusive: the first instant after the range (a run through 2019-12-31 ends at 2020-01-01 00:00). */
  to: number | null;
  interval?: string;
}

/** The first and the last bar a run covers, as the page shows them (`2019-01-01` … `2019-12-31`). */
export interface ShownRunRange {
  first: string;
  last: string;
}

function knownIntervalMs(interval: string): number | undefined {
  try {
    return intervalMs(interval);
  } catch {
    return undefined;
  }
}

/** Daily (and longer) bars open at midnight UTC, so their day names them; shorter ones need the minute too. */
function formatBarOpen(ts: number, barMs: number): string {
  return barMs % DAY_MS === 0 ? formatDate(ts) : formatTime(ts).slice(0, 16);
}

/**
 * The first and the last bar of a stored run, both included: the last is the bar opening at or before the run's
 * exclusive `to` less one millisecond (for daily runs, `to` minus one day; for 1-minute runs, the minute before `to`).
 * A run whose interval the page does not know shows the last instant it includes, to the second, rather than a guess
 * at its bars.
 */
export function backtestRunRange(run: StoredRunRange): ShownRunRange {
  const { interval } = run;
  const barMs = interval === undefined ? undefined : knownIntervalMs(interval);
  if (interval === undefined || barMs === undefined) {
    return { first: formatTime(run.from), last: run.to === null ? DASH : formatTime(run.to - 1) };
  }
  return {
    // A range may start between two bar opens (a date-time `from`): its first bar is the next one.
    first: run.from === null ? DASH : formatBarOpen(Math.ceil(run.from / barMs) * barMs, barMs),
    last: run.to === null ? DASH : formatBarOpen(barOpen(run.to - 1, interval), barMs),
  };
}
