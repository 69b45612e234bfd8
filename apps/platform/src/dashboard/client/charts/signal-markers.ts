import type { SeriesMarker, UTCTimestamp } from 'lightweight-charts';
import type { SignalView } from '../live/recent-signals';
import { barOpen, intervalMs } from './interval-ms';
import { chartTime } from './lightweight-charts';

const COLOURS = { long: '#4c9aff', short: '#e0a234', flat: '#8591a0' } as const;

/**
 * The open of the chart bar a signal was made on: a strategy or model reads a bar at its close, so a signal stamped at
 * a close (or a little after it, live) belongs to the bar that closed last, not to the one forming at that instant.
 */
export function signalBarOpen(ts: number, interval: string): number {
  return barOpen(ts, interval) - intervalMs(interval);
}

/** A signal on the price chart: long ↑ below its bar, short and flat ↓ above it; colours apart from the fills'. */
export function signalMarker(signal: SignalView, interval: string): SeriesMarker<UTCTimestamp> {
  const long = signal.direction === 'long';
  return {
    time: chartTime(signalBarOpen(signal.ts, interval)),
    position: long ? 'belowBar' : 'aboveBar',
    shape: long ? 'arrowUp' : 'arrowDown',
    color: COLOURS[signal.direction],
    text: signal.direction,
    id: `signal ${signal.key}`,
  };
}
