import { ManualClock } from './clock';
import { parseIso, toIso } from './iso-time';

describe('ManualClock', () => {
  it('moves only forward, when told', () => {
    const clock = new ManualClock(1_000);
    clock.advance(500);
    expect(clock.now()).toBe(1_500);
    expect(() => clock.set(1_499)).toThrow('cannot move backwards');
  });
});

describe('ISO time at the edges', () => {
  it('reads zone-less dates and date-times as UTC', () => {
    expect(parseIso('2020-04-17')).toBe(Date.UTC(2020, 3, 17));
    expect(parseIso('2020-04-17T13:30')).toBe(Date.UTC(2020, 3, 17, 13, 30));
    expect(parseIso('2020-04-17T13:30:00+02:00')).toBe(Date.UTC(2020, 3, 17, 11, 30));
    expect(toIso(Date.UTC(2000, 0, 3))).toBe('2000-01-03T00:00:00.000Z');
  });

  it('returns NaN for text that is not a date', () => {
    expect(parseIso('yesterday')).toBeNaN();
  });
});
