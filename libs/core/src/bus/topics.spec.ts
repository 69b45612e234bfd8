import type { Order } from '../domain';
import { ServiceRegistry, type ServiceStatusEvent } from '../registry';
import type { EventBus } from './event-bus';
import { InProcessEventBus } from './in-process-event-bus';
import type { RiskAlert } from './topics';

/** Compile-time only: each line must be a type error, or tsc fails on the unused @ts-expect-error. */
export function platformTopicMisuse(bus: EventBus, alert: RiskAlert): void {
  // @ts-expect-error a risk alert is not an order
  void bus.publish('order.filled', alert);
  // @ts-expect-error no platform topic lives under 'orders.'
  void bus.subscribe('orders.*', () => undefined);
  // @ts-expect-error 'bars' is not a platform topic
  void bus.publish('bars', alert);
}

describe('PlatformTopics', () => {
  it('types every platform topic on the default bus, wildcards included', async () => {
    const bus: EventBus = new InProcessEventBus();
    const orders: Array<[string, Order['status']]> = [];
    const alerts: RiskAlert[] = [];
    await bus.subscribe('order.*', (order, meta) => void orders.push([meta.topic, order.status]));
    await bus.subscribe('risk.alert', (alert) => void alerts.push(alert));

    const alert: RiskAlert = {
      id: 'a-1',
      ts: 1_700_000_000_000,
      rule: 'daily-loss-limit',
      severity: 'critical',
      message: 'daily loss 7.6% exceeds 1.5× the 5% limit',
      value: 0.076,
      limit: 0.05,
    };
    await bus.publish('risk.alert', alert);
    await bus.publish('order.rejected', { id: 'o-1', status: 'rejected' } as Order);

    expect(alerts).toEqual([alert]);
    expect(orders).toEqual([['order.rejected', 'rejected']]);
    await bus.close();
  });

  it('carries the registry status events on the platform bus', async () => {
    const bus = new InProcessEventBus();
    const events: ServiceStatusEvent[] = [];
    await bus.subscribe('service.status', (event) => void events.push(event));
    const registry = new ServiceRegistry({
      bus,
      logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    });
    registry.register('monitoring', () => ({
      start: async () => undefined,
      stop: async () => undefined,
      health: () => ({ status: 'up' as const }),
    }));
    await registry.startAll();
    await registry.stopAll();
    expect(events.map((e) => `${e.service} ${e.status}`)).toEqual([
      'monitoring starting',
      'monitoring running',
      'monitoring stopping',
      'monitoring stopped',
    ]);
    await bus.close();
  });
});
