import { createMetricsRegistry } from '@rrr/core';
import { AlertSourceReader } from './alert-source-reader';
import type { AlertRule } from './alert-rule';

const MIN = 60_000;

function rule(source: AlertRule['source']): AlertRule {
  return { name: 'r', source, op: '>', thresholds: { warning: 0 } };
}

function values(map: Map<string, { labels: Record<string, string>; value: number }>) {
  return Object.fromEntries([...map.values()].map((g) => [JSON.stringify(g.labels), g.value]));
}

describe('AlertSourceReader', () => {
  it('reads gauges grouped by labels, filtered by match, with the chosen aggregate', async () => {
    const registry = createMetricsRegistry();
    const gauge = registry.gauge({ name: 'rrr_g', help: 'g', labelNames: ['service', 'zone'] });
    gauge.set({ service: 'a', zone: 'x' }, 1);
    gauge.set({ service: 'a', zone: 'y' }, 3);
    gauge.set({ service: 'b', zone: 'x' }, 0.5);
    const reader = new AlertSourceReader(registry);
    expect(values(await reader.read(rule({ kind: 'metric', metric: 'rrr_g', by: ['service'] }), 0))).toEqual({
      '{"service":"a"}': 3,
      '{"service":"b"}': 0.5,
    });
    expect(values(await reader.read(rule({ kind: 'metric', metric: 'rrr_g', aggregate: 'sum' }), 0))).toEqual({
      '{}': 4.5,
    });
    expect(
      values(await reader.read(rule({ kind: 'metric', metric: 'rrr_g', match: { zone: 'x' }, aggregate: 'min' }), 0)),
    ).toEqual({ '{}': 0.5 });
    expect((await reader.read(rule({ kind: 'metric', metric: 'rrr_missing' }), 0)).size).toBe(0);
  });

  it('measures a counter increase over a sliding window, new labelled series counting from zero', async () => {
    const registry = createMetricsRegistry();
    const errors = registry.counter({ name: 'rrr_e_total', help: 'e', labelNames: ['source'] });
    const reader = new AlertSourceReader(registry);
    const r = rule({ kind: 'increase', metric: 'rrr_e_total', by: ['source'], windowMs: 5 * MIN });
    errors.inc({ source: 'polygon' }, 100);
    // First evaluation: history starts here, so what happened before is the baseline.
    expect(values(await reader.read(r, 0))).toEqual({ '{"source":"polygon"}': 0 });
    errors.inc({ source: 'polygon' }, 7);
    errors.inc({ source: 'csv' }, 3);
    expect(values(await reader.read(r, MIN))).toEqual({ '{"source":"polygon"}': 7, '{"source":"csv"}': 3 });
    errors.inc({ source: 'polygon' }, 2);
    expect(values(await reader.read(r, 4 * MIN))).toEqual({ '{"source":"polygon"}': 9, '{"source":"csv"}': 3 });
    // Window (1 min, 6 min]: the baseline is the sample at 1 min.
    expect(values(await reader.read(r, 6 * MIN))).toEqual({ '{"source":"polygon"}': 2, '{"source":"csv"}': 0 });
    expect(values(await reader.read(r, 20 * MIN))).toEqual({ '{"source":"polygon"}': 0, '{"source":"csv"}': 0 });
  });

  it('turns the increase into a per-second rate over the span actually covered', async () => {
    const registry = createMetricsRegistry();
    const counter = registry.counter({ name: 'rrr_c_total', help: 'c' });
    const reader = new AlertSourceReader(registry);
    const r = rule({ kind: 'rate', metric: 'rrr_c_total', windowMs: 10 * MIN });
    expect((await reader.read(r, 0)).size).toBe(0);
    counter.inc(120);
    expect(values(await reader.read(r, MIN))).toEqual({ '{}': 2 });
    counter.inc(60);
    expect(values(await reader.read(r, 3 * MIN))).toEqual({ '{}': 1 });
  });

  it('computes a histogram quantile over the window only', async () => {
    const registry = createMetricsRegistry();
    const latency = registry.histogram({
      name: 'rrr_l_seconds',
      help: 'l',
      labelNames: ['route'],
      buckets: [0.1, 1, 5],
    });
    const reader = new AlertSourceReader(registry);
    const windowed = rule({ kind: 'quantile', metric: 'rrr_l_seconds', quantile: 0.5, windowMs: 5 * MIN });
    const cumulative = rule({ kind: 'quantile', metric: 'rrr_l_seconds', quantile: 0.5 });
    expect((await reader.read(windowed, 0)).size).toBe(0);
    for (let i = 0; i < 10; i++) latency.observe({ route: '/a' }, 3);
    expect(values(await reader.read(windowed, MIN))).toEqual({ '{}': 3 });
    for (let i = 0; i < 30; i++) latency.observe({ route: '/b' }, 0.05);
    expect(values(await reader.read(windowed, 7 * MIN))).toEqual({ '{}': 0.05 });
    expect(values(await reader.read(cumulative, 7 * MIN))).toEqual({ '{}': (0.1 * 20) / 30 });
    expect(values(await reader.read(windowed, 13 * MIN))).toEqual({});
  });

  it('reads value sources and rejects a histogram read as a plain metric', async () => {
    const registry = createMetricsRegistry();
    registry.histogram({ name: 'rrr_h_seconds', help: 'h' });
    const reader = new AlertSourceReader(registry);
    expect(values(await reader.read(rule({ kind: 'value', read: async () => 42 }), 0))).toEqual({ '{}': 42 });
    expect((await reader.read(rule({ kind: 'value', read: () => undefined }), 0)).size).toBe(0);
    await expect(reader.read(rule({ kind: 'metric', metric: 'rrr_h_seconds' }), 0)).rejects.toThrow(
      'metric "rrr_h_seconds" is a histogram: read it with a quantile source',
    );
  });
});
