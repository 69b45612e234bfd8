import {
  ConflictError,
  errorMessage,
  NotFoundError,
  systemClock,
  ValidationError,
  type Clock,
  type MetricsRegistry,
  type RiskAlert,
  type RrrLogger,
} from '@rrr/core';
import type { MonitoringMetrics } from '../metrics/monitoring-metrics';
import type { AlertNotifier } from '../notifiers/alert-notifier';
import { systemTimers, type MonitorTimers } from '../timers/monitor-timers';
import { PeriodicTask } from '../timers/periodic-task';
import { isForgettable, newAlertKeyState, observeClear, observeFiring, type AlertKeyState } from './alert-key-state';
import type { ActiveAlert, AlertNotification, AlertNotificationReason } from './alert-notification';
import { routeAccepts, validateAlertRoute, type AlertRoute } from './alert-route';
import { crossedThreshold, validateAlertRule, type AlertRule } from './alert-rule';
import { ALERT_SEVERITIES, isAlertSeverity, type AlertSeverity } from './alert-severity';
import { AlertSourceReader } from './alert-source-reader';
import type { SeriesLabels } from './metric-series';

export const DEFAULT_ALERT_COOLDOWN_MS = 15 * 60 * 1000;

export interface AlertManagerOptions {
  /** Where metric-based rules read their values. */
  metrics: MetricsRegistry;
  rules?: readonly AlertRule[];
  routes?: readonly AlertRoute[];
  clock?: Clock;
  timers?: MonitorTimers;
  /** Per alert key, for rules that set none. Default 15 minutes (legacy). */
  cooldownMs?: number;
  /**
   * Cooldown for ingested alerts (risk.alert). Default 0: risk-management already applies the legacy cooldown per
   * rule and symbol before publishing, and a second one here would swallow its escalations' follow-ups.
   */
  ingestedCooldownMs?: number;
  /** Period of `start()`'s evaluation loop. Default 15,000 ms. */
  evaluationIntervalMs?: number;
  /** Notifications kept for `recent()`. Default 500. */
  historySize?: number;
  /** Counts notifications, suppressions, active keys and notifier failures. */
  monitoringMetrics?: MonitoringMetrics;
  logger?: RrrLogger;
}

/** An alert raised elsewhere (e.g. a risk.alert) and routed through the manager. */
export interface IngestedAlert {
  rule: string;
  severity: AlertSeverity;
  message: string;
  value?: number;
  /** The limit crossed; reported as the notification's threshold. */
  limit?: number;
  labels?: Record<string, string>;
  /** Occurrences the sender itself held back (risk-management's own cooldown). */
  suppressedCount?: number;
}

interface KeyEntry {
  key: string;
  rule: string;
  origin: string;
  labels: SeriesLabels;
  state: AlertKeyState;
  severity: AlertSeverity;
  value: number | null;
  threshold: number | null;
  message: string;
  cooldownMs: number;
}

function alertKey(rule: string, labels: SeriesLabels): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return rule;
  return `${rule}{${names.map((n) => `${n}=${JSON.stringify(labels[n])}`).join(',')}}`;
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

/**
 * Evaluates declarative alert rules over the metrics registry (periodically with `start()`, or on demand with
 * `evaluate()`), tracks each alert key's state with a cooldown (an escalation never waits, suppressed occurrences are
 * counted and reported with the next notification, a clear sends "resolved"), takes in alerts raised elsewhere
 * (`ingest`, `ingestRiskAlert`) and routes every notification to the notifiers whose route accepts it. Delivery is
 * asynchronous, ordered per notifier, and a failing notifier is logged and counted without disturbing the others.
 */
export class AlertManager {
  private readonly reader: AlertSourceReader;
  private readonly clock: Clock;
  private readonly cooldownMs: number;
  private readonly ingestedCooldownMs: number;
  private readonly historySize: number;
  private readonly monitoringMetrics: MonitoringMetrics | undefined;
  private readonly logger: RrrLogger | undefined;
  private readonly task: PeriodicTask;
  private readonly ruleList = new Map<string, AlertRule>();
  private readonly routeList: AlertRoute[] = [];
  private readonly entries = new Map<string, KeyEntry>();
  private readonly history: AlertNotification[] = [];
  private readonly queues = new Map<AlertNotifier, Promise<void>>();
  private readonly deliveries = new Set<Promise<void>>();
  private evaluation: Promise<unknown> = Promise.resolve();
  private counter = 0;

  constructor(options: AlertManagerOptions) {
    const cooldownMs = options.cooldownMs ?? DEFAULT_ALERT_COOLDOWN_MS;
    const ingestedCooldownMs = options.ingestedCooldownMs ?? 0;
    const intervalMs = options.evaluationIntervalMs ?? 15_000;
    const historySize = options.historySize ?? 500;
    const problems = [
      { field: 'cooldownMs', value: cooldownMs, ok: Number.isInteger(cooldownMs) && cooldownMs >= 0 },
      {
        field: 'ingestedCooldownMs',
        value: ingestedCooldownMs,
        ok: Number.isInteger(ingestedCooldownMs) && ingestedCooldownMs >= 0,
      },
      { field: 'evaluationIntervalMs', value: intervalMs, ok: Number.isInteger(intervalMs) && intervalMs > 0 },
      { field: 'historySize', value: historySize, ok: Number.isInteger(historySize) && historySize > 0 },
    ]
      .filter((c) => !c.ok)
      .map((c) => ({
        field: c.field,
        message: 'must be a non-negative integer (interval and history > 0)',
        value: c.value,
      }));
    if (problems.length > 0) throw new ValidationError('alert manager options', problems);
    this.reader = new AlertSourceReader(options.metrics);
    this.clock = options.clock ?? systemClock;
    this.cooldownMs = cooldownMs;
    this.ingestedCooldownMs = ingestedCooldownMs;
    this.historySize = historySize;
    this.monitoringMetrics = options.monitoringMetrics;
    this.logger = options.logger;
    this.task = new PeriodicTask(
      async () => {
        await this.evaluate();
      },
      intervalMs,
      options.timers ?? systemTimers,
      (error) => this.logger?.error({ err: error }, 'alert evaluation failed'),
    );
    for (const rule of options.rules ?? []) this.addRule(rule);
    for (const route of options.routes ?? []) this.addRoute(route);
  }

  /** Adds a rule; throws a ValidationError naming every problem, or a ConflictError for a duplicate name. */
  addRule(rule: AlertRule): void {
    const problems = validateAlertRule(rule);
    if (problems.length > 0) throw new ValidationError(`alert rule "${String(rule.name)}"`, problems);
    if (this.ruleList.has(rule.name)) throw new ConflictError(`alert rule "${rule.name}" already exists`);
    this.ruleList.set(rule.name, rule);
  }

  /** Removes a rule; its firing keys resolve (receivers are told) and its state is dropped. */
  removeRule(name: string): AlertNotification[] {
    if (!this.ruleList.delete(name)) throw new NotFoundError('alert rule', name);
    this.reader.forget(name);
    const now = this.clock.now();
    const sent: AlertNotification[] = [];
    for (const entry of [...this.entries.values()]) {
      if (entry.rule !== name || entry.origin !== 'rule') continue;
      const n = this.clear(entry, now, null);
      if (n !== undefined) sent.push(n);
      this.entries.delete(entry.key);
    }
    this.updateActiveGauge(name);
    return sent;
  }

  rules(): AlertRule[] {
    return [...this.ruleList.values()];
  }

  addRoute(route: AlertRoute): void {
    const problems = validateAlertRoute(route, this.routeList.length);
    if (problems.length > 0) throw new ValidationError('alert route', problems);
    this.routeList.push(route);
  }

  /** Starts the periodic evaluation (first run after one interval). */
  start(): Promise<void> {
    return this.task.start();
  }

  /** Stops the loop, waits for an evaluation in progress and for every queued delivery. */
  async stop(): Promise<void> {
    await this.task.stop();
    await this.evaluation.catch(() => undefined);
    await this.drain();
  }

  /**
   * Evaluates the named rules (all without names) now and returns the notifications it sent. Evaluations run one at
   * a time, so a periodic run and one triggered by an event never interleave on the same keys.
   */
  evaluate(ruleNames?: readonly string[]): Promise<AlertNotification[]> {
    const run = this.evaluation.catch(() => undefined).then(() => this.evaluateNow(ruleNames));
    this.evaluation = run;
    return run;
  }

  /**
   * Routes an alert raised elsewhere. Its key is `<origin>:<rule>` plus labels, with the ingested cooldown. Returns
   * the notification, or undefined when the cooldown held it back.
   */
  ingest(alert: IngestedAlert, origin: string): AlertNotification | undefined {
    if (!isAlertSeverity(alert.severity)) {
      throw new ValidationError('ingested alert', [
        { field: 'severity', message: 'must be info, warning or critical', value: alert.severity },
      ]);
    }
    const now = this.clock.now();
    const rule = `${origin}:${alert.rule}`;
    const labels = { ...(alert.labels ?? {}) };
    const entry = this.entryFor(rule, labels, origin, this.ingestedCooldownMs, now);
    Object.assign(entry, {
      severity: alert.severity,
      value: alert.value ?? null,
      threshold: alert.limit ?? null,
      message: alert.message,
    });
    const decision = observeFiring(entry.state, alert.severity, now, entry.cooldownMs);
    // Ingested alerts have no "clear" event: the key is firing only for the instant of the alert.
    entry.state.active = false;
    entry.state.announced = false;
    if (decision.action === 'suppress') {
      this.monitoringMetrics?.alertsSuppressed.inc({ rule });
      return undefined;
    }
    return this.send(entry, 'firing', decision.reason, now, decision.suppressedCount + (alert.suppressedCount ?? 0));
  }

  /** Routes a `risk.alert` event: origin `risk`, labelled by symbol when it has one. */
  ingestRiskAlert(alert: RiskAlert & { symbol?: string; suppressedCount?: number }): AlertNotification | undefined {
    return this.ingest(
      {
        rule: alert.rule,
        severity: alert.severity,
        message: alert.message,
        value: alert.value,
        limit: alert.limit,
        labels: alert.symbol === undefined ? {} : { symbol: alert.symbol },
        suppressedCount: alert.suppressedCount,
      },
      'risk',
    );
  }

  /** Keys of the manager's rules whose condition holds now, most severe first. */
  active(): ActiveAlert[] {
    const rank = (s: AlertSeverity) => ALERT_SEVERITIES.indexOf(s);
    return [...this.entries.values()]
      .filter((e) => e.origin === 'rule' && e.state.active)
      .map((e) => ({
        key: e.key,
        rule: e.rule,
        labels: { ...e.labels },
        severity: e.severity,
        value: e.value ?? Number.NaN,
        threshold: e.threshold ?? Number.NaN,
        message: e.message,
        since: e.state.since,
        ...(e.state.lastNotified === undefined || !e.state.announced ? {} : { notifiedAt: e.state.lastNotified.at }),
        suppressedCount: e.state.suppressed,
      }))
      .sort((a, b) => rank(b.severity) - rank(a.severity) || a.key.localeCompare(b.key));
  }

  /** Notifications sent, newest first. */
  recent(limit = 50): AlertNotification[] {
    return this.history.slice(-limit).reverse();
  }

  /** Resolves once every delivery queued so far has finished (succeeded or failed). */
  async drain(): Promise<void> {
    while (this.deliveries.size > 0) await Promise.all([...this.deliveries]);
  }

  private async evaluateNow(ruleNames: readonly string[] | undefined): Promise<AlertNotification[]> {
    const now = this.clock.now();
    const sent: AlertNotification[] = [];
    const rules = ruleNames === undefined ? [...this.ruleList.values()] : ruleNames.map((n) => this.ruleList.get(n));
    for (const rule of rules) {
      if (rule === undefined) continue;
      let groups;
      try {
        groups = await this.reader.read(rule, now);
      } catch (error) {
        this.logger?.error({ err: error, rule: rule.name }, `alert rule ${rule.name}: reading its source failed`);
        this.monitoringMetrics?.recordError(error, 'monitoring');
        continue;
      }
      const seen = new Set<string>();
      for (const group of groups.values()) {
        const crossed = crossedThreshold(rule, group.value);
        const cooldownMs = rule.cooldownMs ?? this.cooldownMs;
        const key = alertKey(rule.name, group.labels);
        seen.add(key);
        if (crossed === undefined) {
          const entry = this.entries.get(key);
          if (entry === undefined) continue;
          entry.value = group.value;
          const n = this.clear(entry, now, group.value);
          if (n !== undefined) sent.push(n);
          continue;
        }
        const entry = this.entryFor(rule.name, group.labels, 'rule', cooldownMs, now);
        entry.severity = crossed.severity;
        entry.value = group.value;
        entry.threshold = crossed.threshold;
        entry.message = this.firingMessage(rule, entry, crossed.severity);
        const decision = observeFiring(entry.state, crossed.severity, now, cooldownMs);
        if (decision.action === 'notify') {
          sent.push(this.send(entry, 'firing', decision.reason, now, decision.suppressedCount));
        } else {
          this.monitoringMetrics?.alertsSuppressed.inc({ rule: rule.name });
        }
      }
      // Keys whose series disappeared have no data any more: their condition no longer holds.
      for (const entry of this.entries.values()) {
        if (entry.origin !== 'rule' || entry.rule !== rule.name || seen.has(entry.key)) continue;
        const n = this.clear(entry, now, null);
        if (n !== undefined) sent.push(n);
      }
      this.forgetIdle(rule.name, now);
      this.updateActiveGauge(rule.name);
    }
    return sent;
  }

  private entryFor(rule: string, labels: SeriesLabels, origin: string, cooldownMs: number, now: number): KeyEntry {
    const key = alertKey(rule, labels);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = {
        key,
        rule,
        origin,
        labels: { ...labels },
        state: newAlertKeyState(now),
        severity: 'info',
        value: null,
        threshold: null,
        message: '',
        cooldownMs,
      };
      this.entries.set(key, entry);
    }
    entry.cooldownMs = cooldownMs;
    return entry;
  }

  private clear(entry: KeyEntry, now: number, value: number | null): AlertNotification | undefined {
    const decision = observeClear(entry.state);
    if (decision.action === 'none') return undefined;
    entry.value = value;
    const rule = this.ruleList.get(entry.rule);
    const subject = `${rule?.description ?? entry.rule}${labelText(entry.labels)}`;
    entry.message =
      value === null ? `${subject} resolved: no longer reported` : `${subject} resolved: ${formatNumber(value)}`;
    return this.send(entry, 'resolved', 'resolved', now, decision.suppressedCount);
  }

  private firingMessage(rule: AlertRule, entry: KeyEntry, severity: AlertSeverity): string {
    const subject = `${rule.description ?? rule.name}${labelText(entry.labels)}`;
    return `${subject}: ${formatNumber(entry.value ?? Number.NaN)} ${rule.op} ${formatNumber(entry.threshold ?? Number.NaN)} (${severity})`;
  }

  private send(
    entry: KeyEntry,
    kind: 'firing' | 'resolved',
    reason: AlertNotificationReason,
    now: number,
    suppressedCount: number,
  ): AlertNotification {
    const notification: AlertNotification = {
      id: `${now}-${++this.counter}`,
      kind,
      reason,
      rule: entry.rule,
      key: entry.key,
      severity: kind === 'resolved' ? (entry.state.lastNotified?.severity ?? entry.severity) : entry.severity,
      labels: { ...entry.labels },
      value: entry.value,
      threshold: entry.threshold,
      message: entry.message,
      ts: now,
      since: entry.state.since,
      suppressedCount,
      origin: entry.origin,
    };
    this.history.push(notification);
    if (this.history.length > this.historySize) this.history.splice(0, this.history.length - this.historySize);
    this.monitoringMetrics?.alertNotifications.inc({ rule: entry.rule, severity: notification.severity, kind });
    for (const route of this.routeList)
      if (routeAccepts(route, notification)) this.enqueue(route.notifier, notification);
    return notification;
  }

  private enqueue(notifier: AlertNotifier, notification: AlertNotification): void {
    const previous = this.queues.get(notifier) ?? Promise.resolve();
    const delivery = previous.then(async () => {
      try {
        await notifier.notify(notification);
      } catch (error) {
        this.monitoringMetrics?.notifierFailures.inc({ notifier: notifier.name });
        this.logger?.warn(
          { err: error, notifier: notifier.name, alert: notification.key },
          `alert notifier ${notifier.name} failed: ${errorMessage(error)}`,
        );
      }
    });
    this.queues.set(notifier, delivery);
    this.deliveries.add(delivery);
    void delivery.finally(() => {
      this.deliveries.delete(delivery);
      if (this.queues.get(notifier) === delivery) this.queues.delete(notifier);
    });
  }

  private forgetIdle(rule: string, now: number): void {
    for (const entry of [...this.entries.values()]) {
      if (entry.rule === rule && isForgettable(entry.state, now, entry.cooldownMs)) this.entries.delete(entry.key);
    }
  }

  private updateActiveGauge(rule: string): void {
    const gauge = this.monitoringMetrics?.alertsActive;
    if (gauge === undefined) return;
    for (const severity of ALERT_SEVERITIES) {
      let count = 0;
      for (const e of this.entries.values()) if (e.rule === rule && e.state.active && e.severity === severity) count++;
      gauge.set({ rule, severity }, count);
    }
  }
}

function labelText(labels: SeriesLabels): string {
  const names = Object.keys(labels).sort();
  return names.length === 0 ? '' : `{${names.map((n) => `${n}=${labels[n]}`).join(', ')}}`;
}
