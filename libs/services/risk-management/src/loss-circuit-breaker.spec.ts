import { ConflictError, ManualClock } from '@rrr/core';
import { LossCircuitBreaker } from './loss-circuit-breaker';
import type { RiskControlEvent } from './risk-control-event';
import type { RiskLimits } from './risk-limits';

const t = (iso: string): number => Date.parse(iso);
const HOUR = 3_600_000;

function setup(start: string, limits: Partial<RiskLimits> = {}) {
  const clock = new ManualClock(t(start));
  const events: RiskControlEvent[] = [];
  const breaker = new LossCircuitBreaker(limits, { clock, onEvent: (e) => events.push(e) });
  return { clock, events, breaker };
}

// Equity 100 000 at the close of the previous day, week and month.
const history = [{ ts: t('2024-02-29T23:00:00Z'), equity: 100_000 }];

describe('LossCircuitBreaker', () => {
  it('stays armed and silent while the loss is below the warning level', () => {
    const { breaker, events } = setup('2024-03-13T10:00:00Z');
    expect(breaker.observe({ equity: 98_000, equityHistory: history }).state).toBe('armed');
    expect(events).toEqual([]);
    expect(breaker.haltStatus()).toEqual({ halted: false });
  });

  it('warns once per risk day at 3 %, halts at 5 %, and stays halted when equity recovers', () => {
    const { breaker, events, clock } = setup('2024-03-13T10:00:00Z');
    breaker.observe({ equity: 97_000, equityHistory: history });
    breaker.observe({ equity: 96_500, equityHistory: history });
    expect(events.map((e) => e.type)).toEqual(['circuit-breaker.warning']);
    expect(events[0]).toMatchObject({
      rule: 'daily-loss-limit',
      value: 0.03,
      limit: 0.03,
      ts: t('2024-03-13T10:00:00Z'),
    });

    clock.advance(HOUR);
    const status = breaker.observe({ equity: 95_000, equityHistory: history });
    expect(status.state).toBe('halted');
    expect(status.trip).toMatchObject({
      rule: 'daily-loss-limit',
      value: 0.05,
      limit: 0.05,
      at: t('2024-03-13T11:00:00Z'),
      resetsAt: t('2024-03-14T00:00:00Z'),
    });
    expect(events[1]).toMatchObject({
      type: 'circuit-breaker.halted',
      rule: 'daily-loss-limit',
      value: 0.05,
      limit: 0.05,
    });

    breaker.observe({ equity: 99_000, equityHistory: history });
    expect(breaker.status().state).toBe('halted');
    const halt = breaker.haltStatus();
    expect(halt).toMatchObject({ halted: true, value: 0.05, limit: 0.05 });
    expect(halt.halted && halt.reason).toMatch(/daily-loss-limit .* resets automatically at 2024-03-14T00:00:00.000Z/);
  });

  it('resets a daily halt by itself at the next reset time, stamped with that time', () => {
    const { breaker, events, clock } = setup('2024-03-13T10:00:00Z');
    breaker.observe({ equity: 94_000, equityHistory: history });
    clock.set(t('2024-03-13T23:59:59Z'));
    expect(breaker.status().state).toBe('halted');
    clock.set(t('2024-03-14T00:20:00Z'));
    expect(breaker.status().state).toBe('armed');
    expect(events.map((e) => [e.type, e.ts])).toEqual([
      ['circuit-breaker.halted', t('2024-03-13T10:00:00Z')],
      ['circuit-breaker.reset', t('2024-03-14T00:00:00Z')],
    ]);
  });

  it('uses the configured reset time of day for both the risk day and the reset', () => {
    const { breaker, clock } = setup('2024-03-13T14:00:00Z', { circuitBreakerResetUtc: '13:30' });
    // The risk day began at 13:30 with 100 000.
    const h = [{ ts: t('2024-03-13T13:29:00Z'), equity: 100_000 }];
    expect(breaker.observe({ equity: 95_000, equityHistory: h }).trip?.resetsAt).toBe(t('2024-03-14T13:30:00Z'));
    clock.set(t('2024-03-14T13:29:59Z'));
    expect(breaker.status().state).toBe('halted');
    clock.set(t('2024-03-14T13:30:00Z'));
    expect(breaker.status().state).toBe('armed');
  });

  it('refuses a manual resume while the loss is still at the limit, and accepts it after recovery', () => {
    const { breaker, events, clock } = setup('2024-03-13T10:00:00Z');
    breaker.observe({ equity: 95_000, equityHistory: history });
    expect(() => breaker.resume('alice')).toThrow(ConflictError);
    expect(() => breaker.resume('alice')).toThrow(
      /daily-loss-limit loss 5\.00% is still at or beyond the limit 5\.00%/,
    );

    clock.advance(HOUR);
    breaker.observe({ equity: 96_000, equityHistory: history });
    expect(breaker.resume('alice', 'loss recovered, strategy reviewed').state).toBe('armed');
    expect(events.at(-1)).toMatchObject({
      type: 'circuit-breaker.resumed',
      actor: 'alice',
      rule: 'daily-loss-limit',
      ts: t('2024-03-13T11:00:00Z'),
      details: { note: 'loss recovered, strategy reviewed' },
    });
    expect(() => breaker.resume('alice')).toThrow(/not halted/);
  });

  it('needs a manual resume for a weekly halt, even after the day rolls over', () => {
    const { breaker, clock, events } = setup('2024-03-13T10:00:00Z');
    const weekly = [
      { ts: t('2024-03-10T12:00:00Z'), equity: 100_000 },
      { ts: t('2024-03-12T23:00:00Z'), equity: 91_000 },
    ];
    const status = breaker.observe({ equity: 90_000, equityHistory: weekly });
    expect(status.trip).toMatchObject({ rule: 'weekly-loss-limit', value: 0.1, limit: 0.1, resetsAt: null });
    clock.set(t('2024-03-15T12:00:00Z'));
    expect(breaker.status().state).toBe('halted');
    expect(() => breaker.resume('bob')).toThrow(/weekly-loss-limit/);
    // A new week starts the weekly loss from zero: the standing breach is gone and the operator may resume.
    clock.set(t('2024-03-18T09:00:00Z'));
    expect(breaker.resume('bob').state).toBe('armed');
    expect(events.map((e) => e.type)).toEqual(['circuit-breaker.halted', 'circuit-breaker.resumed']);
  });

  it('escalates a daily halt to a weekly one, which then no longer resets by itself', () => {
    const { breaker, clock, events } = setup('2024-03-13T10:00:00Z');
    const h = [
      { ts: t('2024-03-10T12:00:00Z'), equity: 100_000 },
      { ts: t('2024-03-12T23:00:00Z'), equity: 96_000 },
    ];
    expect(breaker.observe({ equity: 91_000, equityHistory: h }).trip?.rule).toBe('daily-loss-limit');
    clock.advance(HOUR);
    expect(breaker.observe({ equity: 89_000, equityHistory: h }).trip).toMatchObject({
      rule: 'weekly-loss-limit',
      resetsAt: null,
    });
    expect(events.map((e) => e.details?.escalated)).toEqual([false, true]);
    clock.set(t('2024-03-14T01:00:00Z'));
    expect(breaker.status().state).toBe('halted');
  });

  it('gives the same transitions for the same inputs and clock', () => {
    const run = () => {
      const { breaker, clock, events } = setup('2024-03-13T10:00:00Z');
      for (const equity of [99_000, 96_800, 95_500, 94_000, 97_000, 97_000, 97_000, 97_000, 97_000]) {
        breaker.observe({ equity, equityHistory: history });
        clock.advance(HOUR * 5);
      }
      return events;
    };
    expect(run()).toEqual(run());
    // Warned on the 13th, halted at 01:00 on the 14th, reset at midnight, warned again on the 15th.
    expect(run().map((e) => [e.type, new Date(e.ts).toISOString()])).toEqual([
      ['circuit-breaker.warning', '2024-03-13T15:00:00.000Z'],
      ['circuit-breaker.halted', '2024-03-14T01:00:00.000Z'],
      ['circuit-breaker.reset', '2024-03-15T00:00:00.000Z'],
      ['circuit-breaker.warning', '2024-03-15T02:00:00.000Z'],
    ]);
  });
});
