import { ConflictError, toIso, type Clock } from '@rrr/core';
import { measurePeriodLosses, type EquityPoint, type LossPeriod, type PeriodLosses } from './period-losses';
import { formatPct, reachesLimit } from './pre-trade-rule';
import { DAY_MS, parseUtcTimeOfDay, riskDayStart, riskPeriodStarts } from './risk-period';
import { resolveRiskLimits, type RiskLimits } from './risk-limits';
import type { HaltStatus, RiskControlEvent, RiskControlListener, TradingHalt } from './risk-control-event';

export type CircuitBreakerState = 'armed' | 'halted';

export type LossLimitRuleName = 'daily-loss-limit' | 'weekly-loss-limit' | 'monthly-loss-limit';

export interface LossBreach {
  rule: LossLimitRuleName;
  period: LossPeriod;
  periodStart: number;
  /** Loss fraction of the period. */
  value: number;
  limit: number;
}

export interface CircuitBreakerTrip extends LossBreach {
  /** When the breaker halted (or escalated to this limit). */
  at: number;
  /** When a daily halt lifts by itself; null for weekly and monthly halts, which need a manual resume. */
  resetsAt: number | null;
}

export interface CircuitBreakerStatus {
  state: CircuitBreakerState;
  trip: CircuitBreakerTrip | null;
  lastObservation: { ts: number; equity: number; losses: PeriodLosses } | null;
}

export interface LossCircuitBreakerDeps {
  clock: Clock;
  onEvent?: RiskControlListener;
}

/** Most persistent first: a monthly halt outranks a weekly one, which outranks a daily one. */
const LIMITS_BY_PERSISTENCE: readonly { rule: LossLimitRuleName; period: LossPeriod; key: keyof RiskLimits }[] = [
  { rule: 'monthly-loss-limit', period: 'month', key: 'monthlyLossLimitPct' },
  { rule: 'weekly-loss-limit', period: 'week', key: 'weeklyLossLimitPct' },
  { rule: 'daily-loss-limit', period: 'day', key: 'dailyLossLimitPct' },
];

const PERSISTENCE: Record<LossPeriod, number> = { month: 3, week: 2, day: 1 };

/**
 * The latch on the loss limits. armed → halted when a daily, weekly or monthly loss reaches its limit; a halt holds
 * even if equity recovers, until a manual `resume`, or — for a daily halt only — the next reset time of day
 * (`circuitBreakerResetUtc`), when the risk day rolls over. A warning is emitted once per risk day when the daily
 * loss reaches `dailyLossWarnPct`. Time comes only from the injected clock, so a replay gives the same transitions.
 * Feed it with `observe` on every equity update; the pre-trade engine reads it through `haltStatus`.
 */
export class LossCircuitBreaker implements TradingHalt {
  private readonly limits: RiskLimits;
  private readonly dayOffsetMs: number;
  private readonly clock: Clock;
  private readonly onEvent: RiskControlListener;
  private state: CircuitBreakerState = 'armed';
  private trip: CircuitBreakerTrip | null = null;
  private lastObservation: CircuitBreakerStatus['lastObservation'] = null;
  private warnedDayStart: number | null = null;

  constructor(limits: Partial<RiskLimits>, deps: LossCircuitBreakerDeps) {
    this.limits = resolveRiskLimits(limits);
    this.dayOffsetMs = parseUtcTimeOfDay(this.limits.circuitBreakerResetUtc);
    this.clock = deps.clock;
    this.onEvent = deps.onEvent ?? (() => undefined);
  }

  /** Measures the period losses at the clock's now and trips, escalates or warns as they require. */
  observe(input: { equity: number; equityHistory?: readonly EquityPoint[] }): CircuitBreakerStatus {
    const now = this.clock.now();
    this.applyAutomaticReset(now);
    const losses = measurePeriodLosses(input.equityHistory, input.equity, now, this.dayOffsetMs);
    this.lastObservation = { ts: now, equity: input.equity, losses };
    const breaches = this.breachesOf(losses);
    const worst = breaches[0];
    if (worst !== undefined) {
      if (this.state === 'armed') {
        this.halt(worst, breaches, now, 'halted');
      } else if (this.trip !== null && PERSISTENCE[worst.period] > PERSISTENCE[this.trip.period]) {
        this.halt(worst, breaches, now, 'escalated');
      }
    }
    const day = losses.day;
    if (
      this.state === 'armed' &&
      reachesLimit(day.lossPct, this.limits.dailyLossWarnPct) &&
      this.warnedDayStart !== day.periodStart
    ) {
      this.warnedDayStart = day.periodStart;
      this.emit({
        type: 'circuit-breaker.warning',
        ts: now,
        rule: 'daily-loss-limit',
        value: day.lossPct,
        limit: this.limits.dailyLossWarnPct,
        message: `daily loss ${formatPct(day.lossPct)} reached the warning level ${formatPct(this.limits.dailyLossWarnPct)} (halt at ${formatPct(this.limits.dailyLossLimitPct)})`,
        details: { haltLimit: this.limits.dailyLossLimitPct, startEquity: day.startEquity, equity: input.equity },
      });
    }
    return this.status();
  }

  status(): CircuitBreakerStatus {
    this.applyAutomaticReset(this.clock.now());
    return {
      state: this.state,
      trip: this.trip === null ? null : { ...this.trip },
      lastObservation: this.lastObservation,
    };
  }

  haltStatus(): HaltStatus {
    this.applyAutomaticReset(this.clock.now());
    const trip = this.trip;
    if (this.state === 'armed' || trip === null) return { halted: false };
    const lifts =
      trip.resetsAt === null ? 'a manual resume is required' : `it resets automatically at ${toIso(trip.resetsAt)}`;
    return {
      halted: true,
      value: trip.value,
      limit: trip.limit,
      reason: `trading halted by ${trip.rule} since ${toIso(trip.at)}: loss ${formatPct(trip.value)} reached the limit ${formatPct(trip.limit)}; only orders that reduce exposure are accepted, ${lifts}`,
    };
  }

  /**
   * Manual resume by an operator. Refused while the last observed loss of a period is still at or beyond its limit
   * in that same period: the breaker would trip again on the next observation, and the loss-limit rules would
   * still reject new exposure.
   */
  resume(by: string, note?: string): CircuitBreakerStatus {
    const now = this.clock.now();
    this.applyAutomaticReset(now);
    const trip = this.trip;
    if (this.state === 'armed' || trip === null) {
      throw new ConflictError('circuit breaker is not halted: nothing to resume', { state: this.state });
    }
    const standing = this.standingBreach(now);
    if (standing !== undefined) {
      throw new ConflictError(
        `circuit breaker cannot resume: ${standing.rule} loss ${formatPct(standing.value)} is still at or beyond the limit ${formatPct(standing.limit)} in the current period; resume once it recovers below the limit or the period ends`,
        { rule: standing.rule, value: standing.value, limit: standing.limit },
      );
    }
    this.state = 'armed';
    this.trip = null;
    this.emit({
      type: 'circuit-breaker.resumed',
      ts: now,
      rule: trip.rule,
      value: trip.value,
      limit: trip.limit,
      actor: by,
      message: `circuit breaker resumed by ${by} after ${trip.rule} halt of ${toIso(trip.at)}${note ? `: ${note}` : ''}`,
      details: note === undefined ? undefined : { note },
    });
    return this.status();
  }

  private breachesOf(losses: PeriodLosses): LossBreach[] {
    const breaches: LossBreach[] = [];
    for (const { rule, period, key } of LIMITS_BY_PERSISTENCE) {
      const limit = this.limits[key] as number;
      const loss = losses[period];
      if (reachesLimit(loss.lossPct, limit)) {
        breaches.push({ rule, period, periodStart: loss.periodStart, value: loss.lossPct, limit });
      }
    }
    return breaches;
  }

  private standingBreach(now: number): LossBreach | undefined {
    if (this.lastObservation === null) return undefined;
    const starts = riskPeriodStarts(now, this.dayOffsetMs);
    return this.breachesOf(this.lastObservation.losses).find((b) => b.periodStart === starts[b.period]);
  }

  private halt(worst: LossBreach, breaches: readonly LossBreach[], now: number, how: 'halted' | 'escalated'): void {
    const resetsAt = worst.period === 'day' ? riskDayStart(now, this.dayOffsetMs) + DAY_MS : null;
    this.state = 'halted';
    this.trip = { ...worst, at: now, resetsAt };
    this.emit({
      type: 'circuit-breaker.halted',
      ts: now,
      rule: worst.rule,
      value: worst.value,
      limit: worst.limit,
      message: `circuit breaker ${how}: ${worst.rule} loss ${formatPct(worst.value)} reached the limit ${formatPct(worst.limit)}; ${
        resetsAt === null ? 'manual resume required' : `resets automatically at ${toIso(resetsAt)}`
      }`,
      details: { breaches: breaches.map((b) => ({ ...b })), resetsAt, escalated: how === 'escalated' },
    });
  }

  private applyAutomaticReset(now: number): void {
    const trip = this.trip;
    if (this.state !== 'halted' || trip === null || trip.resetsAt === null || now < trip.resetsAt) return;
    this.state = 'armed';
    this.trip = null;
    this.emit({
      type: 'circuit-breaker.reset',
      ts: trip.resetsAt,
      rule: trip.rule,
      value: trip.value,
      limit: trip.limit,
      message: `circuit breaker reset at ${toIso(trip.resetsAt)}: the risk day rolled over after the ${trip.rule} halt of ${toIso(trip.at)}`,
    });
  }

  private emit(event: RiskControlEvent): void {
    if (event.details === undefined) delete event.details;
    this.onEvent(event);
  }
}
