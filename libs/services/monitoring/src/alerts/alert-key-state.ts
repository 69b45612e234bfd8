import { alertSeverityRank, type AlertSeverity } from './alert-severity';

/** Everything the cooldown logic remembers about one alert key. */
export interface AlertKeyState {
  /** The condition held at the latest evaluation. */
  active: boolean;
  /** When the current activation started. */
  since: number;
  /** The latest firing notification sent for this key. */
  lastNotified?: { severity: AlertSeverity; at: number };
  /** Receivers last heard "firing" for this key (so they are owed a "resolved"). */
  announced: boolean;
  /** Occurrences held back since the latest notification. */
  suppressed: number;
}

export type FiringDecision =
  | { action: 'notify'; reason: 'new' | 'escalated' | 'repeat'; suppressedCount: number }
  | { action: 'suppress'; suppressedCount: number };

export function newAlertKeyState(now: number): AlertKeyState {
  return { active: false, since: now, announced: false, suppressed: 0 };
}

/**
 * The condition holds at `now` with `severity`. A notification goes out when nothing was sent for this key yet, when
 * the cooldown since the latest one has passed, or when the severity is higher than the latest one sent (an
 * escalation never waits); otherwise the occurrence is counted as suppressed and reported with the next
 * notification of the key. Mutates `state`.
 */
export function observeFiring(
  state: AlertKeyState,
  severity: AlertSeverity,
  now: number,
  cooldownMs: number,
): FiringDecision {
  if (!state.active) {
    state.active = true;
    state.since = now;
  }
  const last = state.lastNotified;
  const cooled = last === undefined || now - last.at >= cooldownMs;
  const escalated = last !== undefined && alertSeverityRank(severity) > alertSeverityRank(last.severity);
  if (!cooled && !escalated) {
    state.suppressed++;
    return { action: 'suppress', suppressedCount: state.suppressed };
  }
  const reason = !state.announced ? 'new' : escalated ? 'escalated' : 'repeat';
  const suppressedCount = state.suppressed;
  state.suppressed = 0;
  state.lastNotified = { severity, at: now };
  state.announced = true;
  return { action: 'notify', reason, suppressedCount };
}

/**
 * The condition no longer holds. Receivers that heard "firing" get a "resolved" at once (no cooldown: a clear is
 * always news); an activation that was entirely held back resolves silently and its count waits for the next
 * notification. Mutates `state`.
 */
export function observeClear(
  state: AlertKeyState,
): { action: 'resolve'; suppressedCount: number } | { action: 'none' } {
  if (!state.active) return { action: 'none' };
  state.active = false;
  if (!state.announced) return { action: 'none' };
  state.announced = false;
  const suppressedCount = state.suppressed;
  state.suppressed = 0;
  return { action: 'resolve', suppressedCount };
}

/** An idle key whose cooldown has passed carries no information any more and can be forgotten. */
export function isForgettable(state: AlertKeyState, now: number, cooldownMs: number): boolean {
  return (
    !state.active && !state.announced && (state.lastNotified === undefined || now - state.lastNotified.at >= cooldownMs)
  );
}
