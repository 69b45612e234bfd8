import type { MetricsRegistry } from '@rrr/core';

export type SeriesLabels = Record<string, string>;

export interface MetricSample {
  labels: SeriesLabels;
  value: number;
}

/** A histogram series: cumulative bucket counts by upper bound (the last is +Infinity). */
export interface HistogramSample {
  labels: SeriesLabels;
  buckets: { le: number; count: number }[];
}

interface RawValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
}

function stringLabels(labels: Record<string, string | number>, without?: string): SeriesLabels {
  const out: SeriesLabels = {};
  for (const [key, value] of Object.entries(labels)) if (key !== without) out[key] = String(value);
  return out;
}

/** A stable key of a label set: the same labels in any order give the same key. */
export function labelsKey(labels: SeriesLabels): string {
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${JSON.stringify(labels[key])}`)
    .join(',');
}

async function rawValues(
  registry: MetricsRegistry,
  name: string,
): Promise<{ type: string; values: RawValue[] } | undefined> {
  const metric = registry.registry.getSingleMetric(name);
  if (metric === undefined) return undefined;
  const data = await metric.get();
  return { type: String(data.type), values: data.values as RawValue[] };
}

/** Current series of a counter or gauge; undefined when the metric is not registered (yet). */
export async function readMetricSamples(registry: MetricsRegistry, name: string): Promise<MetricSample[] | undefined> {
  const raw = await rawValues(registry, name);
  if (raw === undefined) return undefined;
  if (raw.type === 'histogram' || raw.type === 'summary') {
    throw new RangeError(`metric "${name}" is a ${raw.type}: read it with a quantile source`);
  }
  return raw.values.map((v) => ({ labels: stringLabels(v.labels), value: v.value }));
}

/** Current series of a histogram with their buckets; undefined when the metric is not registered (yet). */
export async function readHistogramSamples(
  registry: MetricsRegistry,
  name: string,
): Promise<HistogramSample[] | undefined> {
  const raw = await rawValues(registry, name);
  if (raw === undefined) return undefined;
  if (raw.type !== 'histogram') throw new RangeError(`metric "${name}" is a ${raw.type}, not a histogram`);
  const series = new Map<string, HistogramSample>();
  for (const v of raw.values) {
    if (v.metricName !== `${name}_bucket`) continue;
    const labels = stringLabels(v.labels, 'le');
    const key = labelsKey(labels);
    let sample = series.get(key);
    if (sample === undefined) {
      sample = { labels, buckets: [] };
      series.set(key, sample);
    }
    const le = v.labels['le'] === '+Inf' ? Number.POSITIVE_INFINITY : Number(v.labels['le']);
    sample.buckets.push({ le, count: v.value });
  }
  for (const sample of series.values()) sample.buckets.sort((a, b) => a.le - b.le);
  return [...series.values()];
}
