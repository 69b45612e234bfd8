import { ValidationError, type FieldProblem } from '@rrr/core';

/**
 * 'rolling': every in-sample window has the same length and slides forward by one out-of-sample length;
 * 'expanding': every in-sample window starts at the first bar and grows. Both use the same out-of-sample windows.
 */
export type WalkForwardMode = 'rolling' | 'expanding';

/** Half-open index ranges [start, end) into the time line of the data. */
export interface WalkForwardWindow {
  index: number;
  inSample: { start: number; end: number };
  outOfSample: { start: number; end: number };
}

/**
 * Splits a time line of n bar times into `splits` consecutive, non-overlapping out-of-sample windows that end at the
 * last bar, each preceded by its in-sample window, with in-sample : out-of-sample = f : (1 − f) for the rolling
 * windows (legacy 70/30 over 5 splits):
 *   oos = ⌊n (1 − f) / (f + k (1 − f))⌋, is = ⌊oos · f / (1 − f)⌋, r = n − is − k · oos (the remainder),
 *   split i: in-sample [r + i·oos, r + i·oos + is) rolling, or [0, r + i·oos + is) expanding;
 *            out-of-sample [r + i·oos + is, r + (i + 1)·oos + is).
 * The remainder r (< a few bars) is left before the first rolling window, so the last window ends at n.
 */
export function walkForwardWindows(
  n: number,
  options: { splits?: number; inSampleFraction?: number; mode?: WalkForwardMode; minBars?: number } = {},
): WalkForwardWindow[] {
  const splits = options.splits ?? 5;
  const f = options.inSampleFraction ?? 0.7;
  const mode = options.mode ?? 'rolling';
  const minBars = options.minBars ?? 2;
  const problems: FieldProblem[] = [];
  if (!Number.isInteger(splits) || splits < 1 || splits > 1_000) {
    problems.push({ field: 'splits', message: 'must be an integer in [1, 1000]', value: splits });
  }
  if (!(f > 0 && f < 1))
    problems.push({ field: 'inSampleFraction', message: 'must be a fraction in (0, 1)', value: f });
  if (mode !== 'rolling' && mode !== 'expanding') {
    problems.push({ field: 'mode', message: 'must be rolling or expanding', value: mode });
  }
  if (problems.length > 0) throw new ValidationError('walk-forward', problems);
  const oos = Math.floor((n * (1 - f)) / (f + splits * (1 - f)));
  const is = Math.floor((oos * f) / (1 - f));
  if (oos < minBars || is < minBars) {
    throw new ValidationError('walk-forward', [
      {
        field: 'splits',
        message: `${splits} splits of ${n} bars leave ${is} in-sample and ${oos} out-of-sample bars per split (need at least ${minBars} each): use fewer splits or more data`,
        value: splits,
      },
    ]);
  }
  const r = n - is - splits * oos;
  return Array.from({ length: splits }, (_, i) => {
    const oosStart = r + i * oos + is;
    return {
      index: i,
      inSample: { start: mode === 'rolling' ? r + i * oos : 0, end: oosStart },
      outOfSample: { start: oosStart, end: oosStart + oos },
    };
  });
}
