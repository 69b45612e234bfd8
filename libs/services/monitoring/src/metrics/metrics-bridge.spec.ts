import { createMetricsRegistry, InProcessEventBus, type Order, type OrderStatus } from '@rrr/core';
import { MetricsBridge } from './metrics-bridge';
import { createMonitoringMetrics } from './monitoring-metrics';

function order(id: string, status: OrderStatus, extra: Partial<Order> = {}): Order {
  return {
    id,
    clientOrderId: `c-${id}`,
    symbol: 'BTC-USD',
    side: 'buy',
    type: 'market',
    quantity: 2,
    timeInForce: 'GTC',
    status,
    filledQuantity: 0,
    averageFillPrice: null,
    createdAt: 1_000,
    updatedAt: 1_000,
    ...extra,
  };
}

async function setup() {
  const registry = createMetricsRegistry();
  const metrics = createMonitoringMetrics(registry);
  const bus = new InProcessEventBus();
  const bridge = new MetricsBridge({ metrics, maxTrackedOrders: 3 });
  await bridge.attach(bus);
  const value = async (name: string, labels: Record<string, string> = {}) => {
    const metric = registry.registry.getSingleMetric(name);
    if (metric === undefined) throw new Error(`metric ${name} is not registered`);
    const data = await metric.get();
    const found = data.values.find((v) => Object.entries(labels).every(([k, l]) => String(v.labels[k]) === l));
    return found?.value;
  };
  return { registry, bus, bridge, value };
}

describe('MetricsBridge', () => {
  it('counts order events by side, type and status, and rejections by reason code', async () => {
    const { registry, bus, bridge } = await setup();
    await bus.publish('order.submitted', order('o1', 'pending-new'));
    await bus.publish('order.accepted', order('o1', 'accepted'));
    await bus.publish('order.submitted', order('o2', 'pending-new', { side: 'sell', type: 'limit', price: 10 }));
    await bus.publish(
      'order.rejected',
      order('o2', 'rejected', { side: 'sell', type: 'limit', price: 10, rejectReason: 'max-position-size: too big' }),
    );
    await bus.publish('order.rejected', order('o3', 'rejected', { rejectReason: 'venue down, try later' }));
    const text = await registry.metrics();
    expect(text).toContain('rrr_orders_total{side="buy",type="market",status="submitted"} 1');
    expect(text).toContain('rrr_orders_total{side="buy",type="market",status="accepted"} 1');
    expect(text).toContain('rrr_orders_total{side="sell",type="limit",status="rejected"} 1');
    expect(text).toContain('rrr_order_rejections_total{reason="max-position-size"} 1');
    expect(text).toContain('rrr_order_rejections_total{reason="other"} 1');
    // o1 is still working; o2 and o3 were rejected and are no longer tracked.
    expect(bridge.trackedOrders).toBe(1);
    await bridge.detach();
  });

  it('observes fill latency from the order creation time and forgets fully filled orders', async () => {
    const { registry, bus, bridge, value } = await setup();
    await bus.publish('order.submitted', order('o1', 'pending-new', { createdAt: 10_000 }));
    const fill = {
      orderId: 'o1',
      symbol: 'BTC-USD',
      side: 'buy' as const,
      price: 100,
      fee: 0,
      feeCurrency: 'USD',
      liquidity: 'taker' as const,
    };
    await bus.publish('fill', { ...fill, id: 'f1', quantity: 1.5, ts: 10_040 });
    expect(bridge.trackedOrders).toBe(1);
    await bus.publish('fill', { ...fill, id: 'f2', quantity: 0.5, ts: 12_000 });
    expect(bridge.trackedOrders).toBe(0);
    expect(await value('rrr_fill_latency_seconds', { type: 'market', le: '0.05' })).toBe(1);
    expect(await value('rrr_fill_latency_seconds', { type: 'market', le: '2.5' })).toBe(2);
    expect(await registry.metrics()).toContain('rrr_fill_latency_seconds_sum{type="market"} 2.04');
    // A fill of an order never seen has no start time: nothing is observed.
    await bus.publish('fill', { ...fill, orderId: 'unknown', id: 'f3', quantity: 1, ts: 13_000 });
    expect(await value('rrr_fill_latency_seconds', { type: 'market', le: '+Inf' })).toBe(2);
    await bridge.detach();
  });

  it('keeps at most maxTrackedOrders, forgetting the oldest', async () => {
    const { bus, bridge } = await setup();
    for (const id of ['a', 'b', 'c', 'd']) await bus.publish('order.submitted', order(id, 'pending-new'));
    expect(bridge.trackedOrders).toBe(3);
    await bridge.detach();
  });

  it('derives open positions, realized PnL and unrealized PnL at the last bar close', async () => {
    const { bus, bridge, value } = await setup();
    const base = { openedAt: 1, updatedAt: 2 };
    await bus.publish('position', { symbol: 'BTC-USD', quantity: 2, averagePrice: 100, realizedPnl: 30, ...base });
    await bus.publish('position', { symbol: 'ETH-USD', quantity: -4, averagePrice: 50, realizedPnl: -5, ...base });
    expect(await value('rrr_open_positions')).toBe(2);
    expect(await value('rrr_realized_pnl')).toBe(25);
    expect(await value('rrr_unrealized_pnl')).toBe(0);
    const bar = { interval: '1m' as const, ts: 60_000, open: 1, high: 200, low: 1, volume: 1 };
    await bus.publish('bar', { ...bar, symbol: 'BTC-USD', close: 110 });
    await bus.publish('bar', { ...bar, symbol: 'ETH-USD', close: 45 });
    // 2 × (110 − 100) + (−4) × (45 − 50) = 20 + 20
    expect(await value('rrr_unrealized_pnl')).toBe(40);
    await bus.publish('position', { symbol: 'BTC-USD', quantity: 0, averagePrice: 0, realizedPnl: 50, ...base });
    expect(await value('rrr_open_positions')).toBe(1);
    expect(await value('rrr_realized_pnl')).toBe(45);
    expect(await value('rrr_unrealized_pnl')).toBe(20);
    await bridge.detach();
  });

  it('counts risk alerts and service status changes, and stops counting once detached', async () => {
    const { registry, bus, bridge } = await setup();
    const alert = {
      id: 'a1',
      ts: 1,
      rule: 'daily-loss-limit',
      severity: 'critical' as const,
      message: 'x',
      value: 6,
      limit: 5,
    };
    await bus.publish('risk.alert', alert);
    await bus.publish('service.status', { service: 'data-pipeline', status: 'failed', ts: 5, error: 'boom' });
    await bridge.detach();
    await bus.publish('risk.alert', alert);
    const text = await registry.metrics();
    expect(text).toContain('rrr_risk_alerts_total{rule="daily-loss-limit",severity="critical"} 1');
    expect(text).toContain('rrr_service_status_changes_total{service="data-pipeline",status="failed"} 1');
  });
});
