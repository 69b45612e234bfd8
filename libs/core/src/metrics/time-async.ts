import type { Histogram, LabelValues } from 'prom-client';

/**
 * Runs `fn` and observes its duration in seconds on `histogram` with `labels`, whether it resolves or throws (a slow
 * failure is exactly what a latency histogram must show). Returns or rethrows what `fn` does.
 */
export async function timeAsync<T, L extends string>(
  histogram: Histogram<L>,
  labels: LabelValues<L>,
  fn: () => Promise<T> | T,
): Promise<T> {
  const end = histogram.startTimer(labels);
  try {
    return await fn();
  } finally {
    end();
  }
}
