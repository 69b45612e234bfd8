import { dailySessionCalendar } from './session-calendar';

describe('dailySessionCalendar', () => {
  it('ends the crypto day at the next 00:00 UTC by default, strictly after the instant', () => {
    const cal = dailySessionCalendar();
    expect(cal.sessionEnd(Date.UTC(2024, 2, 5, 13, 7))).toBe(Date.UTC(2024, 2, 6));
    expect(cal.sessionEnd(Date.UTC(2024, 2, 6))).toBe(Date.UTC(2024, 2, 7));
    expect(cal.description).toBe('daily close 00:00 UTC');
  });

  it('uses a configured UTC close, rolling to the next day once it has passed', () => {
    const cal = dailySessionCalendar({ closeUtc: '21:00' });
    expect(cal.sessionEnd(Date.UTC(2024, 2, 5, 14, 30))).toBe(Date.UTC(2024, 2, 5, 21));
    expect(cal.sessionEnd(Date.UTC(2024, 2, 5, 21, 0, 0, 1))).toBe(Date.UTC(2024, 2, 6, 21));
  });

  it('skips weekends when asked: Friday after the close and Saturday run to Monday', () => {
    const cal = dailySessionCalendar({ closeUtc: '21:00', weekdaysOnly: true });
    // 2024-03-08 is a Friday.
    expect(cal.sessionEnd(Date.UTC(2024, 2, 8, 20))).toBe(Date.UTC(2024, 2, 8, 21));
    expect(cal.sessionEnd(Date.UTC(2024, 2, 8, 22))).toBe(Date.UTC(2024, 2, 11, 21));
    expect(cal.sessionEnd(Date.UTC(2024, 2, 9, 12))).toBe(Date.UTC(2024, 2, 11, 21));
  });

  it('refuses a malformed close time, naming the key', () => {
    expect(() => dailySessionCalendar({ closeUtc: '25:00' })).toThrow(
      /session\.closeUtc: must be a UTC time of day HH:MM/,
    );
  });
});
