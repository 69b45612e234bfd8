import type { Interval } from '@rrr/core';
import { intervalMs } from '../charts/interval-ms';
import type { ChartTarget } from './candles-panel';

/**
 * The label horizon to train a model of a chart interval on. Labels have default thresholds for 1m, 5m, 15m, 1h and
 * 1d moves only (@rrr/neural-network's DEFAULT_LABEL_THRESHOLDS), and training refuses another horizon without one:
 * a 4-hour series learns daily moves; a minute series learns 5-minute ones, where a move stands further above the
 * noise of a single minute.
 */
const TRAINING_HORIZON: Readonly<Record<Interval, Interval>> = {
  '1m': '5m',
  '5m': '5m',
  '15m': '15m',
  '1h': '1h',
  '4h': '1d',
  '1d': '1d',
};

/** The horizons with a default label threshold, shortest first. */
const HORIZONS_WITH_THRESHOLD: readonly Interval[] = ['1m', '5m', '15m', '1h', '1d'];

/** The horizons a model of `interval` bars can learn with a default threshold: whole multiples of the interval. */
export function trainingHorizons(interval: string): Interval[] {
  if (defaultTrainingHorizon(interval) === undefined) return [];
  const bar = intervalMs(interval);
  return HORIZONS_WITH_THRESHOLD.filter((h) => intervalMs(h) % bar === 0);
}

/** The default horizon for a target's interval, or undefined for an interval the platform does not know. */
export function defaultTrainingHorizon(interval: string): Interval | undefined {
  return (TRAINING_HORIZON as Record<string, Interval | undefined>)[interval];
}

/** The `rrr model train` command line that trains a model for `target` (its horizon only where it needs one). */
export function trainCommand(target: ChartTarget): string {
  const horizon = defaultTrainingHorizon(target.interval);
  const horizonFlag = horizon === undefined || horizon === target.interval ? '' : ` --horizon ${horizon}`;
  return `npm run rrr -- model train --symbol ${target.symbol} --interval ${target.interval}${horizonFlag} --model logistic`;
}
