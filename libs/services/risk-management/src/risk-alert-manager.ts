import { ValidationError, type Clock } from '@rrr/core';
import { severityRank, type RiskAlert, type RiskAlertPublisher, type RiskAlertSeverity } from './risk-alert';
import type { RiskControlEvent, RiskControlEventType } from './risk-control-event';
import { DEFAULT_RISK_LIMITS, type RiskLimits } from './risk-limits';

export interface RiskAlertManagerDeps {
  publish: RiskAlertPublisher;
  clock: Clock;
  /** `criticalMultiplier` and `alertCooldownMs` are read from here (legacy 1.5× and 15 minutes by default). */
  limits?: Partial<Pick<RiskLimits, 'criticalMultiplier' | 'alertCooldownMs'>>;
  /** Prefix of alert ids (`<prefix>-<ts>-<seq>`), e.g. a process name when several publish to one bus. */
  idPrefix?: string;
}

/** A measured value against its limit. */
export interface RiskMeasurement {
  rule: string;
  value: number;
  limit: number;
  /** Level from which a warning is raised (default: the limit itself), e.g. dailyLossWarnPct for the daily loss. */
  warnAt?: number;
  symbol?: string;
  /** Replaces the generated message. */
  message?: string;
}

export type AlertDecision =
  | { action: 'published'; alert: RiskAlert }
  | { action: 'suppressed'; key: string; severity: RiskAlertSeverity; suppressedCount: number; cooldownEndsAt: number }
  | { action: 'none' };

interface KeyState {
  lastPublishedAt: number;
  lastSeverity: RiskAlertSeverity;
  suppressed: number;
  lastSuppressed: { value: number; limit: number; severity: RiskAlertSeverity } | null;
}

const CONTROL_SEVERITY: Record<RiskControlEventType, RiskAlertSeverity> = {
  'circuit-breaker.warning': 'warning',
  'circuit-breaker.halted': 'critical',
  'circuit-breaker.reset': 'info',
  'circuit-breaker.resumed': 'info',
  'kill-switch.engaged': 'critical',
  'kill-switch.released': 'info',
};

/**
 * Turns measurements into `risk.alert` events. Severity: CRITICAL when the value exceeds criticalMultiplier × limit,
 * WARNING from the warn level (default the limit) up to that, nothing below. Per alert key (rule + symbol) an alert
 * starts a cooldown (15 minutes by default) during which further alerts of the same or a lower severity are
 * suppressed and counted; a higher severity always goes out at once. The count is reported with the first alert
 * after the cooldown, or by `flush` as an info alert once the cooldown has ended. No timers: time is the clock's.
 */
export class RiskAlertManager {
  private readonly publish: RiskAlertPublisher;
  private readonly clock: Clock;
  private readonly criticalMultiplier: number;
  private readonly cooldownMs: number;
  private readonly idPrefix: string;
  private readonly keys = new Map<string, KeyState>();
  private seq = 0;

  constructor(deps: RiskAlertManagerDeps) {
    this.publish = deps.publish;
    this.clock = deps.clock;
    this.criticalMultiplier = deps.limits?.criticalMultiplier ?? DEFAULT_RISK_LIMITS.criticalMultiplier;
    this.cooldownMs = deps.limits?.alertCooldownMs ?? DEFAULT_RISK_LIMITS.alertCooldownMs;
    this.idPrefix = deps.idPrefix ?? 'risk-alert';
    if (!(this.criticalMultiplier > 1)) {
      throw new ValidationError('risk alerts', [
        { field: 'criticalMultiplier', message: 'must be > 1', value: this.criticalMultiplier },
      ]);
    }
    if (!(this.cooldownMs >= 0)) {
      throw new ValidationError('risk alerts', [
        { field: 'alertCooldownMs', message: 'must be >= 0', value: this.cooldownMs },
      ]);
    }
  }

  /** Severity of a measurement, or null when it does not warrant an alert. */
  severityOf(m: Pick<RiskMeasurement, 'value' | 'limit' | 'warnAt'>): RiskAlertSeverity | null {
    if (m.value > this.criticalMultiplier * m.limit) return 'critical';
    if (m.value >= (m.warnAt ?? m.limit)) return 'warning';
    return null;
  }

  /** Alerts on a measurement if its severity calls for one and the key is not cooling down. */
  async raise(m: RiskMeasurement): Promise<AlertDecision> {
    // An infinite value (exposure against zero equity) is allowed: it is simply critical.
    if (Number.isNaN(m.value))
      throw new ValidationError('risk alert', [{ field: 'value', message: 'must be a number', value: m.value }]);
    if (!Number.isFinite(m.limit)) {
      throw new ValidationError('risk alert', [{ field: 'limit', message: 'must be a finite number', value: m.limit }]);
    }
    const severity = this.severityOf(m);
    if (severity === null) return { action: 'none' };
    const message =
      m.message ??
      `${m.rule}${m.symbol ? ` ${m.symbol}` : ''}: ${describe(m.value)} ${severity === 'critical' ? `is above ${this.criticalMultiplier}× the limit` : 'is at or beyond the warning level of the limit'} ${describe(m.limit)}`;
    return this.emit({ rule: m.rule, symbol: m.symbol, severity, message, value: m.value, limit: m.limit }, true);
  }

  /** Publishes a breaker or kill-switch transition at once: the audit trail must see every one, so no cooldown. */
  async raiseControlEvent(event: RiskControlEvent): Promise<AlertDecision> {
    return this.emit(
      {
        rule: event.rule,
        severity: CONTROL_SEVERITY[event.type],
        message: `${event.type}: ${event.message}`,
        value: event.value ?? 0,
        limit: event.limit ?? 0,
      },
      false,
    );
  }

  /** Reports, as info alerts, the suppressed counts of keys whose cooldown has ended since their last alert. */
  async flush(): Promise<RiskAlert[]> {
    const now = this.clock.now();
    const published: RiskAlert[] = [];
    for (const [key, state] of this.keys) {
      if (state.suppressed === 0 || now < state.lastPublishedAt + this.cooldownMs || state.lastSuppressed === null)
        continue;
      const [rule, symbol] = splitKey(key);
      const alert = this.build({
        rule,
        symbol,
        severity: 'info',
        message: `${key}: ${state.suppressed} alert(s) suppressed during the ${Math.round(this.cooldownMs / 60_000)}-minute cooldown (last: ${state.lastSuppressed.severity} at ${describe(state.lastSuppressed.value)} against ${describe(state.lastSuppressed.limit)})`,
        value: state.lastSuppressed.value,
        limit: state.lastSuppressed.limit,
        suppressedCount: state.suppressed,
      });
      state.suppressed = 0;
      state.lastSuppressed = null;
      await this.publish('risk.alert', alert);
      published.push(alert);
    }
    return published;
  }

  private async emit(input: Omit<RiskAlert, 'id' | 'ts'>, cooldown: boolean): Promise<AlertDecision> {
    const now = this.clock.now();
    const key = alertKey(input.rule, input.symbol);
    const state = this.keys.get(key);
    if (cooldown && state !== undefined) {
      const endsAt = state.lastPublishedAt + this.cooldownMs;
      if (now < endsAt && severityRank(input.severity) <= severityRank(state.lastSeverity)) {
        state.suppressed += 1;
        state.lastSuppressed = { value: input.value, limit: input.limit, severity: input.severity };
        return {
          action: 'suppressed',
          key,
          severity: input.severity,
          suppressedCount: state.suppressed,
          cooldownEndsAt: endsAt,
        };
      }
    }
    const suppressed = cooldown ? (state?.suppressed ?? 0) : 0;
    const alert = this.build({
      ...input,
      message:
        suppressed > 0
          ? `${input.message} (${suppressed} similar alert(s) suppressed since the last one)`
          : input.message,
      ...(suppressed > 0 ? { suppressedCount: suppressed } : {}),
    });
    if (cooldown)
      this.keys.set(key, { lastPublishedAt: now, lastSeverity: input.severity, suppressed: 0, lastSuppressed: null });
    await this.publish('risk.alert', alert);
    return { action: 'published', alert };
  }

  private build(input: Omit<RiskAlert, 'id' | 'ts'>): RiskAlert {
    const ts = this.clock.now();
    this.seq += 1;
    const alert: RiskAlert = { id: `${this.idPrefix}-${ts}-${this.seq}`, ts, ...input };
    if (alert.symbol === undefined) delete alert.symbol;
    return alert;
  }
}

function alertKey(rule: string, symbol: string | undefined): string {
  return symbol === undefined ? rule : `${rule}:${symbol}`;
}

function splitKey(key: string): [string, string | undefined] {
  const i = key.indexOf(':');
  return i < 0 ? [key, undefined] : [key.slice(0, i), key.slice(i + 1)];
}

function describe(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(6))) : String(value);
}
