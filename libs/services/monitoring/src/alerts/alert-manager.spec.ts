import { ConflictError, createLogger, createMetricsRegistry, ManualClock, ValidationError } from '@rrr/core';
import { Writable } from 'node:stream';
import { createMonitoringMetrics } from '../metrics/monitoring-metrics';
import type { AlertNotifier } from '../notifiers/alert-notifier';
import { ManualTimers } from '../testing/manual-timers';
import { AlertManager, DEFAULT_ALERT_COOLDOWN_MS } from './alert-manager';
import type { AlertNotification } from './alert-notification';
import { defaultAlertRules } from './default-alert-rules';

const MIN = 60_000;

class RecordingNotifier implements AlertNotifier {
  readonly received: AlertNotification[] = [];
  constructor(readonly name: string) {}
  async notify(n: AlertNotification): Promise<void> {
    this.received.push(n);
  }
  get summary(): string[] {
    return this.received.map((n) => `${n.key} ${n.kind}/${n.reason} ${n.severity} s=${n.suppressedCount}`);
  }
}

function setup(options: { ingestedCooldownMs?: number } = {}) {
  const registry = createMetricsRegistry();
  const metrics = createMonitoringMetrics(registry);
  const clock = new ManualClock(1_000_000);
  const all = new RecordingNotifier('all');
  const lines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  });
  const manager = new AlertManager({
    metrics: registry,
    rules: defaultAlertRules(),
    routes: [{ notifier: all }],
    clock,
    monitoringMetrics: metrics,
    logger,
    ...options,
  });
  return { registry, metrics, clock, all, manager, lines };
}

describe('AlertManager', () => {
  it('fires on the legacy drawdown thresholds, suppresses within the 15-minute cooldown, escalates at once, resolves', async () => {
    const { metrics, clock, all, manager, registry } = setup();
    expect(DEFAULT_ALERT_COOLDOWN_MS).toBe(15 * MIN);
    metrics.drawdown.set(0.12);
    const [first] = await manager.evaluate(['drawdown']);
    expect(first).toMatchObject({
      kind: 'firing',
      reason: 'new',
      rule: 'drawdown',
      key: 'drawdown',
      severity: 'warning',
      value: 0.12,
      threshold: 0.1,
      message: 'portfolio drawdown: 0.12 > 0.1 (warning)',
      since: 1_000_000,
      origin: 'rule',
    });
    clock.advance(MIN);
    expect(await manager.evaluate(['drawdown'])).toEqual([]);
    metrics.drawdown.set(0.16);
    clock.advance(MIN);
    await manager.evaluate(['drawdown']);
    clock.advance(MIN);
    await manager.evaluate(['drawdown']);
    clock.advance(15 * MIN);
    await manager.evaluate(['drawdown']);
    expect(manager.active()).toMatchObject([
      { key: 'drawdown', severity: 'critical', suppressedCount: 0, since: 1_000_000 },
    ]);
    metrics.drawdown.set(0.04);
    clock.advance(MIN);
    const [resolved] = await manager.evaluate(['drawdown']);
    expect(resolved).toMatchObject({
      kind: 'resolved',
      severity: 'critical',
      value: 0.04,
      message: 'portfolio drawdown resolved: 0.04',
    });
    await manager.drain();
    expect(all.summary).toEqual([
      'drawdown firing/new warning s=0',
      'drawdown firing/escalated critical s=1',
      'drawdown firing/repeat critical s=1',
      'drawdown resolved/resolved critical s=0',
    ]);
    expect(manager.active()).toEqual([]);
    const text = await registry.metrics();
    expect(text).toContain('rrr_alerts_suppressed_total{rule="drawdown"} 2');
    expect(text).toContain('rrr_alert_notifications_total{rule="drawdown",severity="critical",kind="firing"} 2');
    expect(text).toContain('rrr_alerts_active{rule="drawdown",severity="critical"} 0');
    expect(manager.recent(2).map((n) => n.kind)).toEqual(['resolved', 'firing']);
  });

  it('damps a flapping alert: a re-fire inside the cooldown is counted, not sent, and reported later', async () => {
    const { metrics, clock, all, manager } = setup();
    metrics.drawdown.set(0.11);
    await manager.evaluate(['drawdown']);
    metrics.drawdown.set(0.02);
    clock.advance(MIN);
    await manager.evaluate(['drawdown']);
    metrics.drawdown.set(0.11);
    clock.advance(MIN);
    await manager.evaluate(['drawdown']);
    metrics.drawdown.set(0.02);
    clock.advance(MIN);
    await manager.evaluate(['drawdown']);
    metrics.drawdown.set(0.11);
    clock.advance(15 * MIN);
    await manager.evaluate(['drawdown']);
    await manager.drain();
    expect(all.summary).toEqual([
      'drawdown firing/new warning s=0',
      'drawdown resolved/resolved warning s=0',
      'drawdown firing/new warning s=1',
    ]);
  });

  it('keys grouped rules by label and resolves a key whose series disappears', async () => {
    const { metrics, all, manager } = setup();
    metrics.serviceHealth.set({ service: 'data-pipeline' }, 0);
    metrics.serviceHealth.set({ service: 'trading-engine' }, 0.5);
    metrics.serviceHealth.set({ service: 'api' }, 1);
    await manager.evaluate(['service-down']);
    expect(manager.active().map((a) => `${a.key}:${a.severity}`)).toEqual([
      'service-down{service="data-pipeline"}:critical',
      'service-down{service="trading-engine"}:warning',
    ]);
    metrics.serviceHealth.remove({ service: 'data-pipeline' });
    await manager.evaluate(['service-down']);
    await manager.drain();
    expect(all.received.at(-1)).toMatchObject({
      kind: 'resolved',
      key: 'service-down{service="data-pipeline"}',
      labels: { service: 'data-pipeline' },
      value: null,
      message: 'service health{service=data-pipeline} resolved: no longer reported',
    });
  });

  it('routes by severity, rule and kind, and a failing notifier neither blocks the others nor later alerts', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMonitoringMetrics(registry);
    const clock = new ManualClock(0);
    const critical = new RecordingNotifier('critical-only');
    const risk = new RecordingNotifier('risk-only');
    const firingOnly = new RecordingNotifier('firing-only');
    let calls = 0;
    const broken: AlertNotifier = {
      name: 'broken',
      notify: async () => {
        calls++;
        throw new Error('smtp relay down');
      },
    };
    const manager = new AlertManager({
      metrics: registry,
      rules: defaultAlertRules(),
      routes: [
        { notifier: broken },
        { notifier: critical, minSeverity: 'critical' },
        { notifier: risk, rules: ['risk:*'] },
        { notifier: firingOnly, resolved: false, rules: ['drawdown'] },
      ],
      clock,
      monitoringMetrics: metrics,
    });
    metrics.drawdown.set(0.2);
    await manager.evaluate();
    manager.ingestRiskAlert({
      id: 'r1',
      ts: 0,
      rule: 'daily-loss-limit',
      severity: 'warning',
      message: 'daily loss 3.2 % ≥ 3 %',
      value: 3.2,
      limit: 3,
      symbol: 'BTC-USD',
    });
    metrics.drawdown.set(0);
    clock.advance(MIN);
    await manager.evaluate();
    await manager.drain();
    expect(calls).toBe(3);
    expect(critical.summary).toEqual(['drawdown firing/new critical s=0', 'drawdown resolved/resolved critical s=0']);
    expect(risk.received).toMatchObject([
      {
        rule: 'risk:daily-loss-limit',
        key: 'risk:daily-loss-limit{symbol="BTC-USD"}',
        severity: 'warning',
        value: 3.2,
        threshold: 3,
        message: 'daily loss 3.2 % ≥ 3 %',
        origin: 'risk',
      },
    ]);
    expect(firingOnly.summary).toEqual(['drawdown firing/new critical s=0']);
    expect(await registry.metrics()).toContain('rrr_alert_notifier_failures_total{notifier="broken"} 3');
  });

  it('passes every risk alert by default and applies an ingested cooldown when configured', async () => {
    const plain = setup();
    const alert = {
      id: 'x',
      ts: 0,
      rule: 'max-drawdown',
      severity: 'warning' as const,
      message: 'm',
      value: 1,
      limit: 1,
    };
    expect(plain.manager.ingestRiskAlert(alert)).toBeDefined();
    expect(plain.manager.ingestRiskAlert(alert)).toBeDefined();
    const damped = setup({ ingestedCooldownMs: 5 * MIN });
    expect(damped.manager.ingestRiskAlert({ ...alert, suppressedCount: 4 })?.suppressedCount).toBe(4);
    expect(damped.manager.ingestRiskAlert(alert)).toBeUndefined();
    // An escalation goes through at once and carries the count of what was held back before it.
    expect(damped.manager.ingestRiskAlert({ ...alert, severity: 'critical' })).toMatchObject({
      severity: 'critical',
      suppressedCount: 1,
    });
    damped.clock.advance(5 * MIN - 1);
    expect(damped.manager.ingestRiskAlert(alert)).toBeUndefined();
    damped.clock.advance(1);
    expect(damped.manager.ingestRiskAlert(alert)?.suppressedCount).toBe(1);
    expect(() => damped.manager.ingest({ ...alert, severity: 'fatal' as never }, 'risk')).toThrow(ValidationError);
  });

  it('evaluates periodically on the injected timers and stops cleanly', async () => {
    const registry = createMetricsRegistry();
    const metrics = createMonitoringMetrics(registry);
    const timers = new ManualTimers(new ManualClock(0));
    const all = new RecordingNotifier('all');
    const manager = new AlertManager({
      metrics: registry,
      rules: defaultAlertRules(),
      routes: [{ notifier: all }],
      clock: timers.clock,
      timers,
      evaluationIntervalMs: 15_000,
    });
    await manager.start();
    metrics.drawdown.set(0.3);
    await timers.advance(14_999);
    expect(all.received).toHaveLength(0);
    await timers.advance(1);
    await manager.drain();
    expect(all.summary).toEqual(['drawdown firing/new critical s=0']);
    expect(all.received[0].ts).toBe(15_000);
    await manager.stop();
    expect(timers.size).toBe(0);
  });

  it('validates rules and keeps evaluating the others when one source fails', async () => {
    const { manager, lines, all } = setup();
    expect(() => manager.addRule({ ...defaultAlertRules()[0] })).toThrow(ConflictError);
    expect(() =>
      manager.addRule({ name: 'x', source: { kind: 'metric', metric: 'rrr_x' }, op: '>', thresholds: {} }),
    ).toThrow('alert rule "x": thresholds: must set at least one of info, warning, critical');
    manager.addRule({
      name: 'broken-source',
      source: {
        kind: 'value',
        read: () => {
          throw new Error('source exploded');
        },
      },
      op: '>',
      thresholds: { warning: 1 },
    });
    manager.addRule({
      name: 'queue-depth',
      source: { kind: 'value', read: () => 12 },
      op: '>=',
      thresholds: { info: 10 },
    });
    const sent = await manager.evaluate();
    expect(sent.map((n) => n.key)).toEqual(['queue-depth']);
    expect(lines.some((l) => l.includes('alert rule broken-source: reading its source failed'))).toBe(true);
    const [resolved] = manager.removeRule('queue-depth');
    expect(resolved).toMatchObject({ kind: 'resolved', key: 'queue-depth' });
    await manager.drain();
    expect(all.summary).toEqual(['queue-depth firing/new info s=0', 'queue-depth resolved/resolved info s=0']);
  });
});
