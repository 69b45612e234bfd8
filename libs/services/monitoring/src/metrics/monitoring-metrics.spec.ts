import { ConflictError, createMetricsRegistry, RiskRejectedError } from '@rrr/core';
import { API_REQUEST_DURATION_METRIC, createMonitoringMetrics, MONITORING_METRIC_NAMES } from './monitoring-metrics';

describe('createMonitoringMetrics', () => {
  it('registers every legacy rrr_* metric with its labels', async () => {
    const registry = createMetricsRegistry();
    const m = createMonitoringMetrics(registry);
    m.orders.inc({ side: 'buy', type: 'market', status: 'filled' });
    m.recordIngestion('polygon', 120);
    m.recordIngestionError('polygon');
    m.observeInference('lstm@1', 0.004);
    m.observeApiRequest('GET', '/health', 200, 0.002);
    m.observeDbQuery('insert-bars', 0.02);
    m.recordError(new RiskRejectedError('max-position', 'too big'), 'trading-engine');
    m.recordError(new Error('plain'));
    const text = await registry.metrics();
    for (const name of MONITORING_METRIC_NAMES) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain('rrr_orders_total{side="buy",type="market",status="filled"} 1');
    expect(text).toContain('rrr_ingestion_records_total{source="polygon"} 120');
    expect(text).toContain('rrr_ingestion_errors_total{source="polygon"} 1');
    expect(text).toContain('rrr_model_inference_seconds_count{model="lstm@1"} 1');
    expect(text).toContain(
      'rrr_api_request_duration_seconds_bucket{le="0.005",method="GET",route="/health",status="200"} 1',
    );
    expect(text).toContain('rrr_db_query_duration_seconds_sum{operation="insert-bars"} 0.02');
    expect(text).toContain('rrr_errors_total{service="trading-engine",code="RISK_REJECTED"} 1');
    expect(text).toContain('rrr_errors_total{service="unknown",code="INTERNAL"} 1');
  });

  it('is get-or-create: a second call and the platform API histogram share the same series', async () => {
    const registry = createMetricsRegistry();
    const api = registry.histogram({
      ...API_REQUEST_DURATION_METRIC,
      labelNames: [...API_REQUEST_DURATION_METRIC.labelNames],
    });
    const a = createMonitoringMetrics(registry);
    const b = createMonitoringMetrics(registry);
    expect(b.orders).toBe(a.orders);
    expect(a.apiRequestDuration).toBe(api);
    const other = createMetricsRegistry();
    other.histogram({ name: 'rrr_api_request_duration_seconds', help: 'x', labelNames: ['route'] });
    expect(() => createMonitoringMetrics(other)).toThrow(ConflictError);
  });

  it('derives drawdown from the peak portfolio value unless one is given', async () => {
    const registry = createMetricsRegistry();
    const m = createMonitoringMetrics(registry);
    const gauge = async (name: string) => (await registry.registry.getSingleMetric(name)?.get())?.values[0].value;
    m.recordPortfolio({ value: 100_000 });
    m.recordPortfolio({ value: 120_000, realizedPnl: 15_000, unrealizedPnl: 5_000 });
    m.recordPortfolio({ value: 90_000 });
    expect(await gauge('rrr_portfolio_value')).toBe(90_000);
    expect(await gauge('rrr_drawdown_ratio')).toBeCloseTo(0.25, 12);
    expect(await gauge('rrr_realized_pnl')).toBe(15_000);
    expect(await gauge('rrr_unrealized_pnl')).toBe(5_000);
    m.recordPortfolio({ value: 95_000, drawdown: 0.2 });
    expect(await gauge('rrr_drawdown_ratio')).toBe(0.2);
    expect(() => m.recordPortfolio({ value: Number.NaN })).toThrow('portfolio value must be a finite number');
  });

  it('times a DB query into the histogram even when it fails', async () => {
    const registry = createMetricsRegistry();
    const m = createMonitoringMetrics(registry);
    await expect(m.timeDbQuery('select', async () => 7)).resolves.toBe(7);
    await expect(m.timeDbQuery('select', async () => Promise.reject(new Error('db down')))).rejects.toThrow('db down');
    expect(await registry.metrics()).toContain('rrr_db_query_duration_seconds_count{operation="select"} 2');
  });
});
