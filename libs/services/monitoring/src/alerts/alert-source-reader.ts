import type { MetricsRegistry } from '@rrr/core';
import type { AlertRule, MetricSelector } from './alert-rule';
import { histogramQuantile } from './histogram-quantile';
import { labelsKey, readHistogramSamples, readMetricSamples, type SeriesLabels } from './metric-series';
import { SampleHistory } from './sample-history';

/** One alert key's measured value in one evaluation. */
export interface AlertGroupValue {
  labels: SeriesLabels;
  value: number;
}

type Buckets = { le: number; count: number }[];

interface RuleHistory {
  lastEvaluatedAt: number;
  groups: Map<string, SampleHistory<number> | SampleHistory<Buckets>>;
}

function matches(labels: SeriesLabels, match: Readonly<Record<string, string>> | undefined): boolean {
  if (match === undefined) return true;
  return Object.entries(match).every(([key, value]) => labels[key] === value);
}

function groupLabels(labels: SeriesLabels, by: readonly string[] | undefined): SeriesLabels {
  const out: SeriesLabels = {};
  for (const key of by ?? []) out[key] = labels[key] ?? '';
  return out;
}

function grouped<T extends { labels: SeriesLabels }>(
  samples: readonly T[],
  selector: MetricSelector,
): Map<string, { labels: SeriesLabels; members: T[] }> {
  const groups = new Map<string, { labels: SeriesLabels; members: T[] }>();
  for (const sample of samples) {
    if (!matches(sample.labels, selector.match)) continue;
    const labels = groupLabels(sample.labels, selector.by);
    const key = labelsKey(labels);
    const group = groups.get(key) ?? { labels, members: [] };
    group.members.push(sample);
    groups.set(key, group);
  }
  return groups;
}

function aggregate(values: readonly number[], how: 'sum' | 'max' | 'min' | 'avg'): number {
  switch (how) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

function sumBuckets(members: readonly { buckets: Buckets }[]): Buckets {
  const byBound = new Map<number, number>();
  for (const member of members) {
    for (const b of member.buckets) byBound.set(b.le, (byBound.get(b.le) ?? 0) + b.count);
  }
  return [...byBound.entries()].sort((a, b) => a[0] - b[0]).map(([le, count]) => ({ le, count }));
}

function bucketDelta(now: Buckets, then: Buckets): Buckets {
  const before = new Map(then.map((b) => [b.le, b.count]));
  const delta = now.map((b) => ({ le: b.le, count: b.count - (before.get(b.le) ?? 0) }));
  // Counts only grow; a drop means the histogram was reset, and then everything in it is new.
  return delta.some((b) => b.count < 0) ? now : delta;
}

/**
 * Reads the value of every alert key of a rule from the metrics registry. Windowed sources (increase, rate, windowed
 * quantile) keep the per-group samples of past evaluations; a group that appears after the rule's first evaluation
 * counts from zero at the previous evaluation (a labelled counter only shows up once incremented), while at the very
 * first evaluation the current values are the baseline. A group without data has no entry: its alert resolves.
 */
export class AlertSourceReader {
  private readonly histories = new Map<string, RuleHistory>();

  constructor(private readonly registry: MetricsRegistry) {}

  /** Drops the history of a rule (removed or replaced). */
  forget(ruleName: string): void {
    this.histories.delete(ruleName);
  }

  async read(rule: AlertRule, now: number): Promise<Map<string, AlertGroupValue>> {
    const source = rule.source;
    const out = new Map<string, AlertGroupValue>();
    switch (source.kind) {
      case 'value': {
        const value = await source.read();
        if (value !== undefined && Number.isFinite(value)) out.set('', { labels: {}, value });
        return out;
      }
      case 'metric': {
        const samples = (await readMetricSamples(this.registry, source.metric)) ?? [];
        for (const [key, group] of grouped(samples, source)) {
          out.set(key, {
            labels: group.labels,
            value: aggregate(
              group.members.map((m) => m.value),
              source.aggregate ?? 'max',
            ),
          });
        }
        return out;
      }
      case 'increase':
      case 'rate': {
        const samples = (await readMetricSamples(this.registry, source.metric)) ?? [];
        const history = this.historyOf(rule.name);
        for (const [key, group] of grouped(samples, source)) {
          const total = aggregate(
            group.members.map((m) => m.value),
            'sum',
          );
          const series = this.seriesOf<number>(history, key, now, 0);
          series.push(now, total);
          const base = series.baseline(now, source.windowMs);
          series.prune(now, source.windowMs);
          if (base === undefined) continue;
          const increase = total >= base.value ? total - base.value : total;
          if (source.kind === 'increase') out.set(key, { labels: group.labels, value: increase });
          else if (now > base.ts) out.set(key, { labels: group.labels, value: increase / ((now - base.ts) / 1000) });
        }
        history.lastEvaluatedAt = now;
        return out;
      }
      case 'quantile': {
        const samples = (await readHistogramSamples(this.registry, source.metric)) ?? [];
        const history = this.historyOf(rule.name);
        for (const [key, group] of grouped(samples, source)) {
          const buckets = sumBuckets(group.members);
          let window = buckets;
          if (source.windowMs !== undefined) {
            const zero = buckets.map((b) => ({ le: b.le, count: 0 }));
            const series = this.seriesOf<Buckets>(history, key, now, zero);
            series.push(now, buckets);
            const base = series.baseline(now, source.windowMs);
            series.prune(now, source.windowMs);
            window = base === undefined ? buckets : bucketDelta(buckets, base.value);
          }
          const value = histogramQuantile(source.quantile, window);
          if (value !== undefined) out.set(key, { labels: group.labels, value });
        }
        history.lastEvaluatedAt = now;
        return out;
      }
    }
  }

  private historyOf(ruleName: string): RuleHistory {
    let history = this.histories.get(ruleName);
    if (history === undefined) {
      // NaN marks "never evaluated": the first evaluation takes current values as its baseline.
      history = { lastEvaluatedAt: Number.NaN, groups: new Map() };
      this.histories.set(ruleName, history);
    }
    return history;
  }

  private seriesOf<T extends number | Buckets>(
    history: RuleHistory,
    key: string,
    now: number,
    zero: T,
  ): SampleHistory<T> {
    let series = history.groups.get(key) as SampleHistory<T> | undefined;
    if (series === undefined) {
      series = new SampleHistory<T>();
      if (!Number.isNaN(history.lastEvaluatedAt) && history.lastEvaluatedAt < now)
        series.push(history.lastEvaluatedAt, zero);
      history.groups.set(key, series as SampleHistory<number> | SampleHistory<Buckets>);
    }
    return series;
  }
}
