import { ValidationError, type FieldProblem } from '@rrr/core';

/** The anomaly thresholds of the quality checks. */
export interface QualityThresholds {
  /** A gap is more than this many intervals between consecutive bars. */
  gapIntervals: number;
  /** A spike is a close-to-close move above this fraction… */
  spikeReturn: number;
  /** …or a log return more than this many standard deviations from its rolling mean. */
  spikeZ: number;
  /** Bars in the rolling window of log returns behind the z-score. */
  returnWindow: number;
  /** Returns needed in the window before z-scores are computed (fewer make the deviation meaningless). */
  returnMinSamples: number;
  /** A volume outlier is a volume above this multiple of the rolling average… */
  volumeOutlierFactor: number;
  /** …over this many preceding bars… */
  volumeWindow: number;
  /** …once at least this many are in the window. */
  volumeMinSamples: number;
}

export const DEFAULT_QUALITY_THRESHOLDS: Readonly<QualityThresholds> = Object.freeze({
  gapIntervals: 5,
  spikeReturn: 0.2,
  spikeZ: 4,
  returnWindow: 50,
  returnMinSamples: 20,
  volumeOutlierFactor: 5,
  volumeWindow: 20,
  volumeMinSamples: 10,
});

const WINDOW_FIELDS = new Set(['returnWindow', 'returnMinSamples', 'volumeWindow', 'volumeMinSamples']);

/** Defaults overridden by `overrides`; every value must be a positive number (window sizes positive integers). */
export function resolveQualityThresholds(overrides: Partial<QualityThresholds> = {}): QualityThresholds {
  const thresholds: QualityThresholds = { ...DEFAULT_QUALITY_THRESHOLDS, ...overrides };
  const problems: FieldProblem[] = [];
  for (const [field, value] of Object.entries(thresholds)) {
    const integer = WINDOW_FIELDS.has(field);
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
      problems.push({ field, message: integer ? 'must be an integer > 0' : 'must be a number > 0', value });
    }
  }
  if (thresholds.returnMinSamples > thresholds.returnWindow) {
    problems.push({
      field: 'returnMinSamples',
      message: 'must be <= returnWindow',
      value: thresholds.returnMinSamples,
    });
  }
  if (thresholds.volumeMinSamples > thresholds.volumeWindow) {
    problems.push({
      field: 'volumeMinSamples',
      message: 'must be <= volumeWindow',
      value: thresholds.volumeMinSamples,
    });
  }
  if (problems.length > 0) throw new ValidationError('quality thresholds', problems);
  return thresholds;
}
