import { isForgettable, newAlertKeyState, observeClear, observeFiring } from './alert-key-state';

const COOLDOWN = 15 * 60_000;

describe('alert key state', () => {
  it('notifies a new alert, suppresses repeats during the cooldown and repeats after it with the count', () => {
    const state = newAlertKeyState(0);
    expect(observeFiring(state, 'warning', 0, COOLDOWN)).toEqual({
      action: 'notify',
      reason: 'new',
      suppressedCount: 0,
    });
    expect(observeFiring(state, 'warning', 60_000, COOLDOWN)).toEqual({ action: 'suppress', suppressedCount: 1 });
    expect(observeFiring(state, 'info', 120_000, COOLDOWN)).toEqual({ action: 'suppress', suppressedCount: 2 });
    expect(observeFiring(state, 'warning', COOLDOWN, COOLDOWN)).toEqual({
      action: 'notify',
      reason: 'repeat',
      suppressedCount: 2,
    });
    expect(state.since).toBe(0);
  });

  it('lets an escalation through at once and restarts the cooldown from it', () => {
    const state = newAlertKeyState(0);
    observeFiring(state, 'warning', 0, COOLDOWN);
    observeFiring(state, 'warning', 1_000, COOLDOWN);
    expect(observeFiring(state, 'critical', 2_000, COOLDOWN)).toEqual({
      action: 'notify',
      reason: 'escalated',
      suppressedCount: 1,
    });
    expect(observeFiring(state, 'critical', COOLDOWN, COOLDOWN)).toEqual({ action: 'suppress', suppressedCount: 1 });
    expect(observeFiring(state, 'critical', COOLDOWN + 2_000, COOLDOWN).action).toBe('notify');
  });

  it('resolves an announced alert at once; a re-fire within the cooldown stays silent, and so does its clear', () => {
    const state = newAlertKeyState(0);
    observeFiring(state, 'warning', 0, COOLDOWN);
    expect(observeClear(state)).toEqual({ action: 'resolve', suppressedCount: 0 });
    expect(observeClear(state)).toEqual({ action: 'none' });
    expect(observeFiring(state, 'warning', 60_000, COOLDOWN)).toEqual({ action: 'suppress', suppressedCount: 1 });
    expect(state.since).toBe(60_000);
    expect(observeClear(state)).toEqual({ action: 'none' });
    expect(isForgettable(state, COOLDOWN - 1, COOLDOWN)).toBe(false);
    expect(observeFiring(state, 'warning', COOLDOWN, COOLDOWN)).toEqual({
      action: 'notify',
      reason: 'new',
      suppressedCount: 1,
    });
    observeClear(state);
    expect(isForgettable(state, 2 * COOLDOWN, COOLDOWN)).toBe(true);
  });
});
