import { register as globalRegistry } from 'prom-client';
import { ConflictError, ValidationError } from '../errors';
import { createMetricsRegistry } from './create-metrics-registry';

describe('createMetricsRegistry', () => {
  it('returns the same metric when asked twice, and exposes its values', async () => {
    const metrics = createMetricsRegistry();
    const orders = metrics.counter({
      name: 'rrr_orders_total',
      help: 'Orders submitted',
      labelNames: ['side', 'venue'],
    });
    expect(metrics.counter({ name: 'rrr_orders_total', help: 'Orders submitted', labelNames: ['venue', 'side'] })).toBe(
      orders,
    );
    orders.inc({ side: 'buy', venue: 'paper' }, 2);
    orders.inc({ side: 'buy', venue: 'paper' });
    orders.inc({ side: 'sell', venue: 'paper' });
    metrics.gauge({ name: 'rrr_equity_usd', help: 'Account equity' }).set(101_250.5);

    const text = await metrics.metrics();
    expect(text).toContain('# HELP rrr_orders_total Orders submitted\n# TYPE rrr_orders_total counter\n');
    expect(text).toContain('rrr_orders_total{side="buy",venue="paper"} 3\n');
    expect(text).toContain('rrr_orders_total{side="sell",venue="paper"} 1\n');
    expect(text).toContain('rrr_equity_usd 101250.5\n');
    expect(metrics.contentType).toBe('text/plain; version=0.0.4; charset=utf-8');
  });

  it('exposes histogram buckets and summary quantiles', async () => {
    const metrics = createMetricsRegistry();
    const latency = metrics.histogram({
      name: 'rrr_fill_latency_seconds',
      help: 'Fill latency',
      buckets: [0.01, 0.05, 0.1],
    });
    [0.004, 0.03, 0.07, 0.2].forEach((seconds) => latency.observe(seconds));
    const slippage = metrics.summary({ name: 'rrr_slippage_bps', help: 'Slippage', percentiles: [0.5] });
    [1, 2, 3, 4, 5].forEach((bps) => slippage.observe(bps));

    const text = await metrics.metrics();
    expect(text).toContain('rrr_fill_latency_seconds_bucket{le="0.01"} 1\n');
    expect(text).toContain('rrr_fill_latency_seconds_bucket{le="0.05"} 2\n');
    expect(text).toContain('rrr_fill_latency_seconds_bucket{le="0.1"} 3\n');
    expect(text).toContain('rrr_fill_latency_seconds_bucket{le="+Inf"} 4\n');
    expect(text).toContain(`rrr_fill_latency_seconds_sum ${0 + 0.004 + 0.03 + 0.07 + 0.2}\n`);
    expect(text).toContain('rrr_fill_latency_seconds_count 4\n');
    expect(text).toContain('rrr_slippage_bps{quantile="0.5"} 3\n');
    expect(text).toContain('rrr_slippage_bps_count 5\n');
  });

  it('refuses the same name with another kind, other labels or other buckets, naming the metric', () => {
    const metrics = createMetricsRegistry();
    metrics.counter({ name: 'rrr_fills_total', help: 'Fills', labelNames: ['venue'] });
    metrics.histogram({ name: 'rrr_tick_seconds', help: 'Tick', buckets: [0.1, 1] });

    expect(() => metrics.gauge({ name: 'rrr_fills_total', help: 'Fills', labelNames: ['venue'] })).toThrow(
      new ConflictError(
        'metric "rrr_fills_total" is registered as a counter with labels [venue]; asked for a gauge with labels [venue]',
      ),
    );
    expect(() => metrics.counter({ name: 'rrr_fills_total', help: 'Fills', labelNames: ['venue', 'side'] })).toThrow(
      'metric "rrr_fills_total" is registered as a counter with labels [venue]; asked for a counter with labels [side, venue]',
    );
    expect(() => metrics.histogram({ name: 'rrr_tick_seconds', help: 'Tick', buckets: [0.5] })).toThrow(
      'metric "rrr_tick_seconds" is registered as a histogram with labels [] buckets [0.1, 1]; ' +
        'asked for a histogram with labels [] buckets [0.5]',
    );
  });

  it('enforces the prefix and Prometheus naming', () => {
    const metrics = createMetricsRegistry();
    const message = (fn: () => unknown): string => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(ValidationError);
        return (error as Error).message;
      }
      throw new Error('expected a ValidationError');
    };
    expect(message(() => metrics.counter({ name: 'orders_total', help: 'x' }))).toBe(
      'metric "orders_total": name: must start with "rrr_"',
    );
    expect(message(() => metrics.gauge({ name: 'rrr_Equity-USD', help: 'x' }))).toBe(
      'metric "rrr_Equity-USD": name: must be snake_case: a-z, 0-9 and _, not starting with a digit',
    );
    expect(message(() => metrics.gauge({ name: 'rrr_latency_sum', help: ' ' }))).toBe(
      'metric "rrr_latency_sum": name: must not end with "_sum" (Prometheus derives those series); help: must describe the metric',
    );
    expect(message(() => metrics.histogram({ name: 'rrr_x_seconds', help: 'x', labelNames: ['le', '__meta'] }))).toBe(
      'metric "rrr_x_seconds": labelNames[0]: "le" is reserved in a histogram; ' +
        'labelNames[1]: must match [a-zA-Z_][a-zA-Z0-9_]* and not start with "__"',
    );
    expect(() => createMetricsRegistry({ prefix: 'RRR' })).toThrow(
      'metrics registry: prefix: must be lower-case snake_case ending with "_", e.g. "rrr_"',
    );
  });

  it('takes another prefix', async () => {
    const metrics = createMetricsRegistry({ prefix: 'bt_' });
    metrics.counter({ name: 'bt_runs_total', help: 'Runs' }).inc();
    expect(await metrics.metrics()).toContain('bt_runs_total 1\n');
    expect(() => metrics.counter({ name: 'rrr_runs_total', help: 'Runs' })).toThrow('name: must start with "bt_"');
  });

  it('keeps registries isolated from each other and from prom-client’s global registry', async () => {
    const a = createMetricsRegistry();
    const b = createMetricsRegistry();
    a.counter({ name: 'rrr_events_total', help: 'Events' }).inc(5);
    b.counter({ name: 'rrr_events_total', help: 'Events' }).inc(1);
    expect(await a.metrics()).toContain('rrr_events_total 5\n');
    expect(await b.metrics()).toContain('rrr_events_total 1\n');
    expect(globalRegistry.getSingleMetric('rrr_events_total')).toBeUndefined();
  });

  it('resets values but keeps the metrics', async () => {
    const metrics = createMetricsRegistry();
    const fills = metrics.counter({ name: 'rrr_fills_total', help: 'Fills' });
    fills.inc(7);
    metrics.reset();
    expect(metrics.counter({ name: 'rrr_fills_total', help: 'Fills' })).toBe(fills);
    expect(await metrics.metrics()).toContain('rrr_fills_total 0\n');
  });

  it('collects the process metrics under the prefix when asked, and refuses their names', async () => {
    const metrics = createMetricsRegistry({ collectDefault: true });
    const text = await metrics.metrics();
    expect(text).toMatch(/^rrr_process_cpu_user_seconds_total \d/m);
    expect(text).toMatch(/^rrr_nodejs_heap_size_used_bytes \d/m);
    expect(() => metrics.gauge({ name: 'rrr_nodejs_heap_size_used_bytes', help: 'Heap' })).toThrow(
      'metric "rrr_nodejs_heap_size_used_bytes" is already registered by the default process metrics',
    );
    expect(await createMetricsRegistry().metrics()).toBe('\n');
  });
});
