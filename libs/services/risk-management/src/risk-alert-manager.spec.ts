import { ManualClock } from '@rrr/core';
import type { RiskAlert } from './risk-alert';
import { RiskAlertManager } from './risk-alert-manager';

const T0 = Date.parse('2024-03-13T15:00:00Z');
const MIN = 60_000;

function setup() {
  const clock = new ManualClock(T0);
  const published: RiskAlert[] = [];
  const manager = new RiskAlertManager({
    clock,
    publish: (topic, alert) => {
      expect(topic).toBe('risk.alert');
      published.push(alert);
    },
  });
  return { clock, published, manager };
}

const dailyLoss = (value: number) => ({ rule: 'daily-loss-limit', value, limit: 0.05, warnAt: 0.03 });

describe('RiskAlertManager severity', () => {
  const { manager } = setup();

  it('warns from the warn level, goes CRITICAL above 1.5 × the limit, and says nothing below', () => {
    expect(manager.severityOf(dailyLoss(0.02))).toBeNull();
    expect(manager.severityOf(dailyLoss(0.03))).toBe('warning');
    expect(manager.severityOf(dailyLoss(0.05))).toBe('warning');
    expect(manager.severityOf(dailyLoss(0.075))).toBe('warning');
    expect(manager.severityOf(dailyLoss(0.0751))).toBe('critical');
    // Without a warn level the limit itself is the warning threshold.
    expect(manager.severityOf({ value: 1.9, limit: 2 })).toBeNull();
    expect(manager.severityOf({ value: 2, limit: 2 })).toBe('warning');
    expect(manager.severityOf({ value: 3.5, limit: 2 })).toBe('critical');
  });
});

describe('RiskAlertManager cooldown', () => {
  it('publishes, suppresses the same key for 15 minutes, then reports the suppressed count', async () => {
    const { manager, published, clock } = setup();
    expect(await manager.raise(dailyLoss(0.02))).toEqual({ action: 'none' });
    const first = await manager.raise(dailyLoss(0.035));
    expect(first.action).toBe('published');
    expect(published[0]).toEqual({
      id: `risk-alert-${T0}-1`,
      ts: T0,
      rule: 'daily-loss-limit',
      severity: 'warning',
      message: 'daily-loss-limit: 0.035 is at or beyond the warning level of the limit 0.05',
      value: 0.035,
      limit: 0.05,
    });
    for (const minutes of [1, 5, 14]) {
      clock.set(T0 + minutes * MIN);
      expect(await manager.raise(dailyLoss(0.04))).toMatchObject({
        action: 'suppressed',
        cooldownEndsAt: T0 + 15 * MIN,
      });
    }
    clock.set(T0 + 15 * MIN - 1);
    expect(await manager.raise(dailyLoss(0.04))).toMatchObject({ action: 'suppressed', suppressedCount: 4 });
    clock.set(T0 + 15 * MIN);
    const after = await manager.raise(dailyLoss(0.045));
    expect(after.action).toBe('published');
    expect(published).toHaveLength(2);
    expect(published[1]).toMatchObject({ ts: T0 + 15 * MIN, value: 0.045, suppressedCount: 4 });
    expect(published[1].message).toMatch(/4 similar alert\(s\) suppressed/);
  });

  it('keys the cooldown by rule and symbol', async () => {
    const { manager, published } = setup();
    await manager.raise({ rule: 'max-position', symbol: 'BTC-USD', value: 0.25, limit: 0.2 });
    await manager.raise({ rule: 'max-position', symbol: 'ETH-USD', value: 0.25, limit: 0.2 });
    await manager.raise({ rule: 'max-position', symbol: 'BTC-USD', value: 0.26, limit: 0.2 });
    expect(published.map((a) => a.symbol)).toEqual(['BTC-USD', 'ETH-USD']);
  });

  it('lets an escalation to CRITICAL through the cooldown, but not a step back down', async () => {
    const { manager, published, clock } = setup();
    await manager.raise(dailyLoss(0.04));
    clock.advance(MIN);
    expect((await manager.raise(dailyLoss(0.08))).action).toBe('published');
    clock.advance(MIN);
    expect((await manager.raise(dailyLoss(0.05))).action).toBe('suppressed');
    clock.advance(MIN);
    expect((await manager.raise(dailyLoss(0.09))).action).toBe('suppressed');
    expect(published.map((a) => a.severity)).toEqual(['warning', 'critical']);
  });

  it('flushes the suppressed count as an info alert once the cooldown has ended, and only once', async () => {
    const { manager, published, clock } = setup();
    await manager.raise(dailyLoss(0.04));
    clock.advance(2 * MIN);
    await manager.raise(dailyLoss(0.041));
    await manager.raise(dailyLoss(0.042));
    clock.set(T0 + 10 * MIN);
    expect(await manager.flush()).toEqual([]);
    clock.set(T0 + 15 * MIN);
    const flushed = await manager.flush();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toMatchObject({
      severity: 'info',
      rule: 'daily-loss-limit',
      suppressedCount: 2,
      value: 0.042,
      limit: 0.05,
    });
    expect(flushed[0].message).toMatch(/2 alert\(s\) suppressed during the 15-minute cooldown/);
    expect(await manager.flush()).toEqual([]);
    expect(published).toHaveLength(2);
  });

  it('publishes breaker and kill-switch transitions at once, every time', async () => {
    const { manager, published } = setup();
    const halted = {
      type: 'circuit-breaker.halted' as const,
      ts: T0,
      rule: 'daily-loss-limit',
      value: 0.05,
      limit: 0.05,
      message: 'halted',
    };
    await manager.raiseControlEvent(halted);
    await manager.raiseControlEvent(halted);
    await manager.raiseControlEvent({ type: 'kill-switch.released', ts: T0, rule: 'kill-switch', message: 'released' });
    expect(published.map((a) => [a.severity, a.rule])).toEqual([
      ['critical', 'daily-loss-limit'],
      ['critical', 'daily-loss-limit'],
      ['info', 'kill-switch'],
    ]);
  });

  it('passes a publish failure to the caller', async () => {
    const manager = new RiskAlertManager({
      clock: new ManualClock(T0),
      publish: () => Promise.reject(new Error('bus down')),
    });
    await expect(manager.raise(dailyLoss(0.06))).rejects.toThrow('bus down');
  });

  it('reads the multiplier and the cooldown from the limits', async () => {
    const clock = new ManualClock(T0);
    const published: RiskAlert[] = [];
    const manager = new RiskAlertManager({
      clock,
      publish: (_t, a) => void published.push(a),
      limits: { criticalMultiplier: 2, alertCooldownMs: MIN },
    });
    expect(manager.severityOf({ value: 0.09, limit: 0.05 })).toBe('warning');
    await manager.raise(dailyLoss(0.04));
    clock.advance(MIN);
    await manager.raise(dailyLoss(0.04));
    expect(published).toHaveLength(2);
  });
});
