import { errorMessage, systemClock, TimeoutError, type Clock, type HealthStatus, type RrrLogger } from '@rrr/core';
import type { MonitoringMetrics } from '../metrics/monitoring-metrics';
import { systemTimers, type MonitorTimers } from '../timers/monitor-timers';
import { PeriodicTask } from '../timers/periodic-task';
import { diffHealth } from './diff-health';
import {
  healthScore,
  type HealthSnapshot,
  type HealthSource,
  type HealthTransition,
  type ObservedHealth,
  type ServiceHealthSample,
} from './health-snapshot';

/** Called once per poll that changed something, with that poll's transitions (platform first) and its snapshot. */
export type HealthTransitionListener = (
  transitions: readonly HealthTransition[],
  snapshot: HealthSnapshot,
) => void | Promise<void>;

export interface HealthMonitorOptions {
  /** e.g. `() => registry.health()`. */
  source: HealthSource;
  clock?: Clock;
  timers?: MonitorTimers;
  /** Default 10,000 ms. */
  intervalMs?: number;
  /** A poll taking longer counts as the platform down. Default 5,000 ms. */
  timeoutMs?: number;
  /** Snapshots kept (default 360: one hour at the default interval). */
  historySize?: number;
  /** Transitions kept (default 500). */
  transitionHistorySize?: number;
  /** rrr_service_health{service} is kept in step with every successful poll. */
  metrics?: MonitoringMetrics;
  logger?: RrrLogger;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) throw new RangeError(`health monitor ${name} must be an integer ≥ 1`);
  return value;
}

/**
 * Polls a health source (the service registry) on an interval, keeps the recent snapshots and transitions, and tells
 * listeners about every transition (a service going down, the platform recovering). Deterministic under an injected
 * clock and timers; `poll()` runs one check on demand.
 */
export class HealthMonitor {
  private readonly source: HealthSource;
  private readonly clock: Clock;
  private readonly timeoutMs: number;
  private readonly historySize: number;
  private readonly transitionHistorySize: number;
  private readonly metrics: MonitoringMetrics | undefined;
  private readonly logger: RrrLogger | undefined;
  private readonly timers: MonitorTimers;
  private readonly task: PeriodicTask;
  private readonly snapshots: HealthSnapshot[] = [];
  private readonly changes: HealthTransition[] = [];
  private readonly listeners = new Set<HealthTransitionListener>();
  private lastServices: Record<string, ServiceHealthSample> = {};
  private polling: Promise<HealthSnapshot> = Promise.resolve({ ts: 0, status: 'down', services: {} });

  constructor(options: HealthMonitorOptions) {
    this.source = options.source;
    this.clock = options.clock ?? systemClock;
    this.timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? 5_000);
    this.historySize = positiveInteger('historySize', options.historySize ?? 360);
    this.transitionHistorySize = positiveInteger('transitionHistorySize', options.transitionHistorySize ?? 500);
    this.metrics = options.metrics;
    this.logger = options.logger;
    this.timers = options.timers ?? systemTimers;
    this.task = new PeriodicTask(
      async () => {
        await this.poll();
      },
      positiveInteger('intervalMs', options.intervalMs ?? 10_000),
      this.timers,
      (error) => this.logger?.error({ err: error }, 'health poll failed'),
    );
  }

  /** Polls once now (or, with `immediate: false`, one interval from now), then every interval. */
  start(options: { immediate?: boolean } = {}): Promise<void> {
    return this.task.start({ immediate: options.immediate ?? true });
  }

  stop(): Promise<void> {
    return this.task.stop();
  }

  /** Registers a transitions listener; returns its removal. A throwing listener is logged, never propagated. */
  onTransitions(listener: HealthTransitionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs one health check now (after any check in progress) and returns its snapshot. */
  poll(): Promise<HealthSnapshot> {
    const run = this.polling.catch(() => undefined).then(() => this.check());
    this.polling = run;
    return run;
  }

  /** The latest snapshot, or undefined before the first poll. */
  current(): HealthSnapshot | undefined {
    return this.snapshots.at(-1);
  }

  /** Latest status of one service (or of the platform without an argument); `unknown` when never observed. */
  status(service?: string): ObservedHealth {
    const latest = this.current();
    if (latest === undefined) return 'unknown';
    if (service === undefined) return latest.status;
    return this.lastServices[service]?.status ?? 'unknown';
  }

  /** Snapshots, oldest first; `sinceTs` keeps those taken at or after it. */
  history(sinceTs = Number.NEGATIVE_INFINITY): HealthSnapshot[] {
    return this.snapshots.filter((s) => s.ts >= sinceTs);
  }

  /** Transitions, oldest first; `service` filters on one service (null: the platform's overall status). */
  transitions(service?: string | null): HealthTransition[] {
    return service === undefined ? [...this.changes] : this.changes.filter((t) => t.service === service);
  }

  /**
   * Share of the snapshots taken in the last `windowMs` in which the service (or the platform) was up, 0..1;
   * undefined when no snapshot falls in the window.
   */
  availability(windowMs: number, service?: string): number | undefined {
    const since = this.clock.now() - windowMs;
    const inWindow = this.snapshots.filter((s) => s.ts >= since);
    if (inWindow.length === 0) return undefined;
    const up = inWindow.filter((s) => (service === undefined ? s.status : s.services[service]?.status) === 'up');
    return up.length / inWindow.length;
  }

  private async check(): Promise<HealthSnapshot> {
    let snapshot: HealthSnapshot;
    try {
      const report = await this.askSource();
      snapshot = { ts: this.clock.now(), status: report.status, services: { ...report.services } };
    } catch (error) {
      snapshot = { ts: this.clock.now(), status: 'down', services: {}, error: errorMessage(error) };
    }
    const previousStatus = this.current()?.status ?? 'unknown';
    const transitions = diffHealth(previousStatus, this.lastServices, snapshot);
    this.snapshots.push(snapshot);
    if (this.snapshots.length > this.historySize) this.snapshots.splice(0, this.snapshots.length - this.historySize);
    if (snapshot.error === undefined) {
      this.updateGauges(snapshot.services);
      this.lastServices = snapshot.services;
    }
    if (transitions.length > 0) await this.announce(transitions, snapshot);
    return snapshot;
  }

  /** The source's report, or a TimeoutError once timeoutMs has passed on the injected timers. */
  private askSource(): Promise<{ status: HealthStatus; services: Record<string, ServiceHealthSample> }> {
    return new Promise((resolve, reject) => {
      const timer = this.timers.setTimeout(
        () => reject(new TimeoutError('health source', this.timeoutMs)),
        this.timeoutMs,
      );
      Promise.resolve()
        .then(() => this.source())
        .then(resolve, reject)
        .finally(() => this.timers.clearTimeout(timer));
    });
  }

  private updateGauges(services: Record<string, ServiceHealthSample>): void {
    if (this.metrics === undefined) return;
    for (const name of Object.keys(this.lastServices)) {
      if (!(name in services)) this.metrics.serviceHealth.remove({ service: name });
    }
    for (const [name, sample] of Object.entries(services)) {
      this.metrics.serviceHealth.set({ service: name }, healthScore(sample.status as HealthStatus));
    }
  }

  private async announce(transitions: HealthTransition[], snapshot: HealthSnapshot): Promise<void> {
    for (const transition of transitions) {
      this.changes.push(transition);
      const level = transition.to === 'up' ? 'info' : 'warn';
      const { service, ...change } = transition;
      // `subject`, not `service`: the logger's own `service` binding names the emitter, and a second key of the
      // same name in one JSON line leaves readers to pick one of the two.
      this.logger?.[level](
        { ...change, subject: service ?? 'platform' },
        `health: ${service ?? 'platform'} ${transition.from} → ${transition.to}`,
      );
    }
    if (this.changes.length > this.transitionHistorySize) {
      this.changes.splice(0, this.changes.length - this.transitionHistorySize);
    }
    for (const listener of this.listeners) {
      try {
        await listener(transitions, snapshot);
      } catch (error) {
        this.logger?.error({ err: error }, 'health transitions listener failed');
      }
    }
  }
}
