import { ValidationError } from '@rrr/core';
import { measurePeriodLosses } from './period-losses';
import { parseUtcTimeOfDay, riskPeriodStarts } from './risk-period';

const t = (iso: string): number => Date.parse(iso);

describe('riskPeriodStarts', () => {
  it('gives the UTC day, ISO week (Monday) and month of an instant', () => {
    expect(riskPeriodStarts(t('2024-03-13T15:00:00Z'), 0)).toEqual({
      day: t('2024-03-13T00:00:00Z'),
      week: t('2024-03-11T00:00:00Z'),
      month: t('2024-03-01T00:00:00Z'),
    });
    // Sunday still belongs to the week that started on Monday; Monday midnight starts a new one.
    expect(riskPeriodStarts(t('2024-03-17T23:59:59Z'), 0).week).toBe(t('2024-03-11T00:00:00Z'));
    expect(riskPeriodStarts(t('2024-03-18T00:00:00Z'), 0).week).toBe(t('2024-03-18T00:00:00Z'));
  });

  it('starts the risk day at the configured reset time of day', () => {
    const offset = parseUtcTimeOfDay('13:30');
    expect(offset).toBe(48_600_000);
    expect(riskPeriodStarts(t('2024-03-13T15:00:00Z'), offset).day).toBe(t('2024-03-13T13:30:00Z'));
    expect(riskPeriodStarts(t('2024-03-13T10:00:00Z'), offset).day).toBe(t('2024-03-12T13:30:00Z'));
  });

  it('rejects a malformed time of day', () => {
    expect(() => parseUtcTimeOfDay('7:30')).toThrow(ValidationError);
  });
});

describe('measurePeriodLosses', () => {
  const now = t('2024-03-13T15:00:00Z');
  const history = [
    { ts: t('2024-02-29T20:00:00Z'), equity: 100_000 }, // last before the month start
    { ts: t('2024-03-10T12:00:00Z'), equity: 110_000 }, // last before the week start (Mon 11th)
    { ts: t('2024-03-12T22:00:00Z'), equity: 105_000 }, // last before the day start
    { ts: t('2024-03-13T09:00:00Z'), equity: 103_000 },
    { ts: t('2024-03-13T16:00:00Z'), equity: 1 }, // after now: a replay must not see it
  ];

  it('measures each loss from the equity at the period start', () => {
    const losses = measurePeriodLosses(history, 99_750, now, 0);
    expect(losses.day.startEquity).toBe(105_000);
    expect(losses.day.lossPct).toBeCloseTo(0.05, 12);
    expect(losses.week.startEquity).toBe(110_000);
    expect(losses.week.lossPct).toBeCloseTo(10_250 / 110_000, 12);
    expect(losses.month.startEquity).toBe(100_000);
    expect(losses.month.lossPct).toBeCloseTo(0.0025, 12);
  });

  it('falls back to the first point inside the period, then to no loss', () => {
    const inside = [{ ts: t('2024-03-13T09:00:00Z'), equity: 120_000 }];
    expect(measurePeriodLosses(inside, 108_000, now, 0).day.lossPct).toBeCloseTo(0.1, 12);
    expect(measurePeriodLosses([], 108_000, now, 0).month.lossPct).toBe(0);
    expect(measurePeriodLosses(undefined, 108_000, now, 0).week.startEquity).toBe(108_000);
  });

  it('reports a gain as a negative loss', () => {
    expect(measurePeriodLosses(history, 110_250, now, 0).day.lossPct).toBeCloseTo(-0.05, 12);
  });
});
