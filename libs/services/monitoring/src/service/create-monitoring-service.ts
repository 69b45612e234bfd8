import {
  errorMessage,
  systemClock,
  type BusSubscription,
  type Clock,
  type Database,
  type EventBus,
  type HealthReport,
  type MetricsRegistry,
  type PlatformTopics,
  type RrrLogger,
  type Service,
} from '@rrr/core';
import { AlertManager } from '../alerts/alert-manager';
import type { AlertNotification } from '../alerts/alert-notification';
import type { AlertRoute } from '../alerts/alert-route';
import { AuditTrail } from '../audit/audit-trail';
import { HealthMonitor } from '../health/health-monitor';
import type { HealthSourceReport } from '../health/health-snapshot';
import { MetricsBridge } from '../metrics/metrics-bridge';
import { createMonitoringMetrics, type MonitoringMetrics } from '../metrics/monitoring-metrics';
import { LogNotifier } from '../notifiers/log-notifier';
import { SmtpNotifier } from '../notifiers/smtp-notifier';
import { WebhookNotifier } from '../notifiers/webhook-notifier';
import type { MonitorTimers } from '../timers/monitor-timers';
import { resolveMonitoringConfig, type MonitoringConfig, type MonitoringConfigInput } from './monitoring-config';

export interface MonitoringServiceDeps {
  db: Database;
  bus: EventBus<PlatformTopics>;
  metrics: MetricsRegistry;
  /** The service registry (or anything with its `health()`); without it there is no health monitor. */
  registry?: { health(): Promise<HealthSourceReport> | HealthSourceReport };
  logger?: RrrLogger;
  clock?: Clock;
  timers?: MonitorTimers;
  /** Routes besides the configured log/webhook/SMTP ones (e.g. the platform's WebSocket alerts channel). */
  routes?: readonly AlertRoute[];
}

export interface MonitoringService extends Service {
  readonly config: MonitoringConfig;
  readonly metrics: MonitoringMetrics;
  readonly bridge: MetricsBridge;
  readonly auditTrail: AuditTrail;
  readonly alertManager: AlertManager;
  /** Undefined when no registry was given. */
  readonly healthMonitor: HealthMonitor | undefined;
  /** Synchronous: up once started, degraded while the audit trail cannot be written, down when stopped. */
  health(): HealthReport;
  /** Resolves once the audit writes and alert deliveries started so far have finished. */
  settle(): Promise<void>;
}

const ACTOR = 'monitoring';

/**
 * The monitoring service: the rrr_* metrics kept up to date from the bus, the health monitor over the registry, the
 * alert manager (its rules, risk.alert routing, log/webhook/SMTP notifiers) and the audit trail, into which it
 * records service.status and risk.alert events, health transitions and alert notifications.
 */
export function createMonitoringService(
  deps: MonitoringServiceDeps,
  configInput: MonitoringConfigInput = {},
): MonitoringService {
  const config = resolveMonitoringConfig(configInput);
  const clock = deps.clock ?? systemClock;
  const logger = deps.logger;
  const metrics = createMonitoringMetrics(deps.metrics);
  const bridge = new MetricsBridge({ metrics });
  const auditTrail = new AuditTrail(deps.db, {
    clock,
    onAppend: (r) => metrics.auditRecords.inc({ action: r.action }),
  });
  const pending = new Set<Promise<unknown>>();
  let lastAuditError: string | undefined;
  let subscriptions: BusSubscription[] = [];
  let running = false;

  function track<T>(work: Promise<T>): Promise<T> {
    pending.add(work);
    void work.then(
      () => pending.delete(work),
      () => pending.delete(work),
    );
    return work;
  }

  /** Appends to the audit trail; a failure is logged, counted and shown in health(), then rethrown to the caller. */
  function audit(actor: string, action: string, payload: unknown): Promise<void> {
    return track(
      auditTrail.append({ actor, action, payload }).then(
        () => {
          lastAuditError = undefined;
        },
        (error: unknown) => {
          lastAuditError = errorMessage(error);
          metrics.recordError(error, ACTOR);
          logger?.error({ err: error, action }, `audit append of ${action} failed`);
          throw error;
        },
      ),
    );
  }

  const routes: AlertRoute[] = [];
  if (logger !== undefined) {
    routes.push({ notifier: new LogNotifier(logger), minSeverity: config.alerts.logMinSeverity });
  }
  if (config.webhook !== undefined) {
    const { minSeverity, ...options } = config.webhook;
    routes.push({ notifier: new WebhookNotifier({ ...options, logger }), minSeverity });
  }
  if (config.smtp !== undefined) {
    const { minSeverity, ...options } = config.smtp;
    routes.push({ notifier: new SmtpNotifier({ ...options, clock }), minSeverity });
  }
  if (config.audit.alertNotifications) {
    routes.push({
      notifier: {
        name: 'audit',
        // Ingested alerts are recorded from their own event (risk.alert), once.
        notify: async (n: AlertNotification) => {
          if (n.origin === 'rule') await audit(ACTOR, `alert.${n.kind}`, n);
        },
      },
    });
  }
  routes.push(...(deps.routes ?? []));

  const alertManager = new AlertManager({
    metrics: deps.metrics,
    rules: config.alerts.rules,
    routes,
    clock,
    timers: deps.timers,
    cooldownMs: config.alerts.cooldownMs,
    ingestedCooldownMs: config.alerts.ingestedCooldownMs,
    evaluationIntervalMs: config.alerts.evaluationIntervalMs,
    monitoringMetrics: metrics,
    logger,
  });

  const registry = deps.registry;
  const healthMonitor =
    registry === undefined
      ? undefined
      : new HealthMonitor({
          source: () => registry.health(),
          clock,
          timers: deps.timers,
          intervalMs: config.health.intervalMs,
          timeoutMs: config.health.timeoutMs,
          historySize: config.health.historySize,
          metrics,
          logger,
        });
  const healthRules = () =>
    alertManager
      .rules()
      .filter((r) => r.source.kind !== 'value' && r.source.metric === 'rrr_service_health')
      .map((r) => r.name);
  healthMonitor?.onTransitions(async (transitions) => {
    if (config.audit.healthTransitions) {
      for (const transition of transitions) await audit(ACTOR, 'health.transition', transition).catch(() => undefined);
    }
    // A service going down should not wait for the next periodic evaluation to alert.
    await alertManager.evaluate(healthRules());
  });

  async function settle(): Promise<void> {
    while (pending.size > 0) await Promise.allSettled([...pending]);
    await alertManager.drain();
    while (pending.size > 0) await Promise.allSettled([...pending]);
  }

  async function stop(): Promise<void> {
    running = false;
    await healthMonitor?.stop();
    await alertManager.stop();
    const subs = subscriptions;
    subscriptions = [];
    await Promise.all(subs.map((s) => s.unsubscribe()));
    await bridge.detach();
    await settle();
  }

  async function start(): Promise<void> {
    if (running) return;
    try {
      await bridge.attach(deps.bus);
      subscriptions = await Promise.all([
        deps.bus.subscribe(
          'service.status',
          async (event) => {
            if (config.audit.serviceStatus) await audit('registry', 'service.status', event);
          },
          { durable: 'monitoring-service-status' },
        ),
        deps.bus.subscribe(
          'risk.alert',
          async (alert) => {
            alertManager.ingestRiskAlert(alert);
            if (config.audit.riskAlerts) await audit('risk-management', 'risk.alert', alert);
          },
          { durable: 'monitoring-risk-alert' },
        ),
      ]);
      // The first poll waits one interval: at start-up the other services are still booting and would read as down.
      await healthMonitor?.start({ immediate: false });
      await alertManager.start();
      running = true;
    } catch (error) {
      await stop().catch(() => undefined);
      throw error;
    }
  }

  return {
    config,
    metrics,
    bridge,
    auditTrail,
    alertManager,
    healthMonitor,
    start,
    stop,
    settle,

    health(): HealthReport {
      const active = alertManager.active();
      const details: Record<string, unknown> = {
        activeAlerts: active.length,
        criticalAlerts: active.filter((a) => a.severity === 'critical').length,
        ...(healthMonitor === undefined ? {} : { platform: healthMonitor.status() }),
        ...(lastAuditError === undefined ? {} : { lastAuditError }),
      };
      const status = !running ? 'down' : lastAuditError !== undefined ? 'degraded' : 'up';
      return { status, details };
    },
  };
}
