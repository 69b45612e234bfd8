import { ValidationError, type Bar, type FieldProblem } from '@rrr/core';
import { computeFeatureRows } from '../features/compute-features';
import { classOfReturn, forwardReturns, labelSeries, type ClassIndex, type LabelSpec } from '../features/labels';
import type { FeatureScaler } from '../features/feature-scaler';
import { projectRow, type FeatureColumns } from '../features/feature-subset';
import type { FeatureWindow } from '../models/predictor';

/** One bar series with everything training and evaluation need, aligned by bar index. */
export interface SupervisedSeries {
  bars: readonly Bar[];
  spec: LabelSpec;
  /** Raw (unscaled) feature rows; null during warm-up. Row t uses bars ≤ t only. */
  rows: readonly (Float64Array | null)[];
  /** Label of bar t (close[t + h] vs close[t]); null for the last h bars. */
  labels: readonly (ClassIndex | null)[];
  /** close[t + h] / close[t] − 1; NaN for the last h bars. */
  forwardReturns: Float64Array;
  /** Class of the move over the h bars up to t (close[t] vs close[t − h]), known at t: the last-direction baseline. */
  lastMoves: readonly (ClassIndex | null)[];
  /** Index of the first complete feature row. */
  firstRow: number;
}

/** Checks the bars are one series (symbol, interval) in strictly increasing time, then computes rows and labels. */
export function buildSupervisedSeries(bars: readonly Bar[], spec: LabelSpec): SupervisedSeries {
  const problems: FieldProblem[] = [];
  if (bars.length === 0) problems.push({ field: 'bars', message: 'must not be empty' });
  for (let i = 0; i < bars.length && problems.length < 5; i += 1) {
    const bar = bars[i];
    if (bar.symbol !== bars[0].symbol)
      problems.push({
        field: `bars[${i}].symbol`,
        message: `must be ${bars[0].symbol} like bar 0 (got ${bar.symbol})`,
      });
    if (bar.interval !== spec.interval)
      problems.push({ field: `bars[${i}].interval`, message: `must be ${spec.interval} (got ${bar.interval})` });
    if (i > 0 && !(bar.ts > bars[i - 1].ts)) {
      problems.push({
        field: `bars[${i}].ts`,
        message: `must be after bar ${i - 1} (${bars[i - 1].ts}); got ${bar.ts}`,
      });
    }
  }
  if (problems.length > 0) throw new ValidationError('bar series', problems);
  const closes = Float64Array.from(bars, (b) => b.close);
  const rows = computeFeatureRows(bars);
  const h = spec.horizonBars;
  const lastMoves = Array.from(closes, (c, t) => (t < h ? null : classOfReturn(c / closes[t - h] - 1, spec.threshold)));
  const firstRow = rows.findIndex((r) => r !== null);
  return {
    bars,
    spec,
    rows,
    labels: labelSeries(closes, spec),
    forwardReturns: forwardReturns(closes, h),
    lastMoves,
    firstRow: firstRow < 0 ? bars.length : firstRow,
  };
}

/** The same series with only the subset's feature columns (labels, returns and bars unchanged). */
export function projectSeries(series: SupervisedSeries, subset: FeatureColumns): SupervisedSeries {
  if (subset.all) return series;
  return { ...series, rows: series.rows.map((row) => (row === null ? null : projectRow(row, subset))) };
}

/** The bar index range [start, end) where a predictor with `lookback` has a full window and a label. */
export function usableRange(series: SupervisedSeries, lookback: number): { start: number; end: number } {
  return { start: series.firstRow + lookback - 1, end: series.bars.length - series.spec.horizonBars };
}

/** Windows of scaled rows ending at each index (oldest row first). */
export function scaledWindows(
  series: SupervisedSeries,
  scaler: FeatureScaler,
  indices: readonly number[],
  lookback: number,
): FeatureWindow[] {
  const cache = new Map<number, Float64Array>();
  const scaled = (t: number): Float64Array => {
    let row = cache.get(t);
    if (row === undefined) {
      const raw = series.rows[t];
      if (raw === null)
        throw new ValidationError('feature window', [{ field: `rows[${t}]`, message: 'is still warming up' }]);
      row = scaler.transform(raw);
      cache.set(t, row);
    }
    return row;
  };
  return indices.map((t) => Array.from({ length: lookback }, (_, r) => scaled(t - lookback + 1 + r)));
}

export function range(start: number, end: number): number[] {
  return Array.from({ length: Math.max(0, end - start) }, (_, i) => start + i);
}

/** Raw feature rows at `indices` (the rows a scaler is fit on). */
export function rowsAt(series: SupervisedSeries, indices: readonly number[]): Float64Array[] {
  return indices.map((t) => {
    const row = series.rows[t];
    if (row === null)
      throw new ValidationError('feature rows', [{ field: `rows[${t}]`, message: 'is still warming up' }]);
    return row;
  });
}

export function labelsAt(series: SupervisedSeries, indices: readonly number[]): ClassIndex[] {
  return indices.map((t) => {
    const label = series.labels[t];
    if (label === null)
      throw new ValidationError('labels', [{ field: `labels[${t}]`, message: 'has no future close to label it' }]);
    return label;
  });
}
