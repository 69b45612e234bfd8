import http from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createMetricsRegistry,
  InProcessEventBus,
  ManualClock,
  openDatabase,
  ServiceRegistry,
  type Database,
  type HealthStatus,
  type Order,
} from '@rrr/core';
import type { AlertNotification } from '../alerts/alert-notification';
import { ManualTimers } from '../testing/manual-timers';
import { createMonitoringService } from './create-monitoring-service';

async function webhookReceiver() {
  const bodies: AlertNotification[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      bodies.push(JSON.parse(body) as AlertNotification);
      res.writeHead(200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    bodies,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alerts`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('createMonitoringService', () => {
  let dir: string;
  let db: Database;
  let receiver: Awaited<ReturnType<typeof webhookReceiver>>;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-monitoring-'));
    db = await openDatabase({ sqlitePath: join(dir, 'platform.sqlite') });
    receiver = await webhookReceiver();
  });

  afterEach(async () => {
    await db.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('audits status changes and risk alerts, alerts on a service going down, and keeps metrics from the bus', async () => {
    const timers = new ManualTimers(new ManualClock(1_700_000_000_000));
    const clock = timers.clock;
    const handlerErrors: unknown[] = [];
    const bus = new InProcessEventBus({ clock, onHandlerError: (e) => handlerErrors.push(e) });
    const metricsRegistry = createMetricsRegistry();
    const statuses: Record<string, HealthStatus> = { 'data-pipeline': 'up', 'trading-engine': 'up' };
    const registry = new ServiceRegistry({ bus, clock });
    for (const name of Object.keys(statuses)) {
      registry.register(name, () => ({
        start: async () => undefined,
        stop: async () => undefined,
        health: () => ({ status: statuses[name] }),
      }));
    }
    const monitoring = createMonitoringService(
      { db, bus, metrics: metricsRegistry, registry, clock, timers },
      { webhook: { url: receiver.url, minSeverity: 'warning' }, health: { intervalMs: 10_000 } },
    );
    expect(monitoring.health().status).toBe('down');
    await monitoring.start();
    await registry.startAll();
    await monitoring.settle();
    expect(monitoring.health()).toEqual({
      status: 'up',
      details: { activeAlerts: 0, criticalAlerts: 0, platform: 'unknown' },
    });

    await bus.publish('risk.alert', {
      id: 'r1',
      ts: clock.now(),
      rule: 'daily-loss-limit',
      severity: 'warning',
      message: 'daily loss 3.4 % ≥ warn 3 %',
      value: 3.4,
      limit: 3,
    });
    const order = {
      id: 'o1',
      clientOrderId: 'c1',
      symbol: 'BTC-USD',
      side: 'buy',
      type: 'market',
      quantity: 1,
      timeInForce: 'GTC',
      status: 'pending-new',
      filledQuantity: 0,
      averageFillPrice: null,
      createdAt: clock.now(),
      updatedAt: clock.now(),
    } satisfies Order;
    await bus.publish('order.submitted', order);

    await timers.advance(10_000);
    expect(monitoring.healthMonitor?.status()).toBe('up');
    statuses['trading-engine'] = 'down';
    await timers.advance(10_000);
    await monitoring.settle();

    expect(receiver.bodies.map((b) => `${b.key} ${b.kind} ${b.severity}`)).toEqual([
      'risk:daily-loss-limit firing warning',
      'service-down{service="trading-engine"} firing critical',
    ]);
    expect(monitoring.alertManager.active().map((a) => a.key)).toEqual(['service-down{service="trading-engine"}']);
    expect(monitoring.health().details).toMatchObject({ activeAlerts: 1, criticalAlerts: 1, platform: 'down' });

    const records = await monitoring.auditTrail.list({ limit: 100 });
    const actions = records.map((r) => `${r.actor}:${r.action}`);
    expect(actions.filter((a) => a === 'registry:service.status')).toHaveLength(4);
    expect(actions.slice(4)).toEqual([
      'risk-management:risk.alert',
      // First poll: platform, data-pipeline and trading-engine from unknown to up.
      'monitoring:health.transition',
      'monitoring:health.transition',
      'monitoring:health.transition',
      // Second poll: platform and trading-engine down, then the alert that raised.
      'monitoring:health.transition',
      'monitoring:health.transition',
      'monitoring:alert.firing',
    ]);
    expect(records.at(-1)?.payload).toMatchObject({
      key: 'service-down{service="trading-engine"}',
      severity: 'critical',
    });
    expect(records[0].payload).toMatchObject({ service: expect.any(String), status: 'starting' });
    expect(await monitoring.auditTrail.verify()).toMatchObject({ ok: true, records: records.length });

    const text = await metricsRegistry.metrics();
    expect(text).toContain('rrr_orders_total{side="buy",type="market",status="submitted"} 1');
    expect(text).toContain('rrr_risk_alerts_total{rule="daily-loss-limit",severity="warning"} 1');
    expect(text).toContain('rrr_service_health{service="trading-engine"} 0');
    expect(text).toContain('rrr_audit_records_total{action="service.status"} 4');
    expect(text).toContain('rrr_service_status_changes_total{service="data-pipeline",status="running"} 1');

    // Periodic evaluation keeps running on the timers: the alert is in cooldown, so nothing new goes out.
    await timers.advance(15_000);
    await monitoring.settle();
    expect(receiver.bodies).toHaveLength(2);

    await monitoring.stop();
    expect(monitoring.health().status).toBe('down');
    expect(timers.size).toBe(0);
    await registry.stopAll();
    expect(handlerErrors).toEqual([]);
  });

  it('reports itself degraded when the audit trail cannot be written, and recovers', async () => {
    const clock = new ManualClock(5_000);
    const handlerErrors: unknown[] = [];
    const bus = new InProcessEventBus({ clock, onHandlerError: (e) => handlerErrors.push(e) });
    const monitoring = createMonitoringService({
      db,
      bus,
      metrics: createMetricsRegistry(),
      clock,
      timers: new ManualTimers(clock),
    });
    await monitoring.start();
    expect(monitoring.healthMonitor).toBeUndefined();
    await db.execute('DROP TABLE audit_log');
    await bus.publish('service.status', { service: 'api', status: 'failed', ts: 5_000, error: 'port in use' });
    await monitoring.settle();
    expect(monitoring.health()).toMatchObject({
      status: 'degraded',
      details: { lastAuditError: expect.stringContaining('audit_log') },
    });
    // The handler failed, so a durable bus (JetStream) would redeliver the event.
    expect(handlerErrors).toHaveLength(1);
    await db.execute(
      'CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, ts INTEGER NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, payload TEXT NOT NULL, prev_hash TEXT, hash TEXT NOT NULL UNIQUE)',
    );
    await bus.publish('service.status', { service: 'api', status: 'running', ts: 6_000 });
    await monitoring.settle();
    expect(monitoring.health().status).toBe('up');
    await monitoring.stop();
  });
});
