/**
 * Quantile of ascending-sorted values by linear interpolation between order statistics (Hyndman & Fan type 7, the
 * default of R, NumPy and Excel's PERCENTILE.INC): h = (n − 1)p, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋ + 1] − x[⌊h⌋]).
 * NaN for an empty input.
 */
export function quantileType7(sortedAscending: ArrayLike<number>, p: number): number {
  const n = sortedAscending.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * Math.min(1, Math.max(0, p));
  const lo = Math.floor(h);
  const hi = Math.min(n - 1, lo + 1);
  return sortedAscending[lo] + (h - lo) * (sortedAscending[hi] - sortedAscending[lo]);
}

/** The named percentiles (0–100) of `values`, type 7; keys are `p5`, `p50`…; null values for an empty input. */
export function percentiles(values: ArrayLike<number>, levels: readonly number[]): Record<string, number | null> {
  const sorted = Float64Array.from(values).sort();
  const out: Record<string, number | null> = {};
  for (const level of levels) out[`p${level}`] = sorted.length === 0 ? null : quantileType7(sorted, level / 100);
  return out;
}
