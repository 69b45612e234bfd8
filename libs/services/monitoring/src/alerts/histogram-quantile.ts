/**
 * The q-quantile of a histogram given by cumulative bucket counts (sorted by upper bound, the last +Infinity), as
 * Prometheus' histogram_quantile computes it: find the bucket holding rank q × total and interpolate linearly inside
 * it, the first bucket starting at 0. A rank in the +Inf bucket yields the highest finite bound. Undefined when the
 * histogram holds no observations.
 */
export function histogramQuantile(q: number, buckets: readonly { le: number; count: number }[]): number | undefined {
  if (!(q >= 0 && q <= 1)) throw new RangeError(`quantile must be in [0, 1], got ${q}`);
  if (buckets.length === 0) return undefined;
  const total = buckets[buckets.length - 1].count;
  if (!(total > 0)) return undefined;
  const rank = q * total;
  let index = buckets.findIndex((b) => b.count >= rank);
  if (index < 0) index = buckets.length - 1;
  const bucket = buckets[index];
  if (bucket.le === Number.POSITIVE_INFINITY) {
    return index > 0 ? buckets[index - 1].le : undefined;
  }
  const lowerBound = index === 0 ? Math.min(0, bucket.le) : buckets[index - 1].le;
  const lowerCount = index === 0 ? 0 : buckets[index - 1].count;
  const inBucket = bucket.count - lowerCount;
  if (inBucket <= 0) return bucket.le;
  return lowerBound + (bucket.le - lowerBound) * ((rank - lowerCount) / inBucket);
}
