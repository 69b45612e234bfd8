import { ZoneConverter, createRangeTimestampParser, createTimestampParser, detectDateFormat } from './timestamp-parser';

describe('timestamp parsing', () => {
  it('reads ISO dates as 00:00 UTC and ISO date-times with or without zone, T or space', () => {
    const iso = createTimestampParser('iso');
    expect(iso('2020-04-17')).toBe(Date.UTC(2020, 3, 17));
    expect(iso('2020-04-17T13:30:05.250Z')).toBe(Date.UTC(2020, 3, 17, 13, 30, 5, 250));
    expect(iso('2020-04-17 13:30:05')).toBe(Date.UTC(2020, 3, 17, 13, 30, 5));
    expect(iso('2020-04-17T13:30')).toBe(Date.UTC(2020, 3, 17, 13, 30));
    expect(iso('2020-04-17T13:30:00+02:00')).toBe(Date.UTC(2020, 3, 17, 11, 30));
    expect(iso('2020-04-17T13:30:00-0430')).toBe(Date.UTC(2020, 3, 17, 18, 0));
    expect(iso(' 2020-04-17T13:30:00.1234Z ')).toBe(Date.UTC(2020, 3, 17, 13, 30, 0, 123));
    expect(iso('2020-04-17T13:30:00.0005Z')).toBe(Date.UTC(2020, 3, 17, 13, 30, 0, 1));
  });

  it('agrees with Date.parse on every instant of a walk across days, months, years and a leap day', () => {
    // The fast path reuses the last day's start: moving forward, jumping back and revisiting days must not confuse it.
    const iso = createTimestampParser('iso');
    const range = createRangeTimestampParser('iso');
    const starts = [
      Date.UTC(2023, 11, 31, 22),
      Date.UTC(2024, 1, 28, 23, 59),
      Date.UTC(1999, 11, 31, 23),
      Date.UTC(2100, 1, 28, 23),
    ];
    let checked = 0;
    for (const start of starts) {
      for (let ts = start; ts < start + 3 * 3_600_000; ts += 59_999) {
        const text = new Date(ts).toISOString();
        expect(iso(text)).toBe(ts);
        const line = `x,${text},y`;
        expect(range(line, 2, 2 + text.length)).toBe(ts);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(700);
    // Same day of the month in another month, another year, then back.
    for (const text of [
      '2024-01-01T10:00:00Z',
      '2024-02-01T10:00:00Z',
      '2025-02-01T10:00:00Z',
      '2024-01-01T11:00:00Z',
    ]) {
      expect(iso(text)).toBe(Date.parse(text));
    }
  });

  it('returns NaN for impossible or malformed dates', () => {
    const iso = createTimestampParser('iso');
    for (const bad of ['2021-02-29', '2020-13-01', '2020-04-31', '2020-04-17T24:00:00Z', '17/04/2020', '', 'x', 42]) {
      expect(iso(bad)).toBeNaN();
    }
    expect(iso('2020-02-29')).toBe(Date.UTC(2020, 1, 29));
  });

  it('reads epoch seconds and milliseconds, from text or numbers', () => {
    expect(createTimestampParser('epoch-s')('1587081600')).toBe(1_587_081_600_000);
    expect(createTimestampParser('epoch-s')(1587081600.5)).toBe(1_587_081_600_500);
    expect(createTimestampParser('epoch-ms')('1587081600123')).toBe(1_587_081_600_123);
    expect(createTimestampParser('epoch-ms')('')).toBeNaN();
  });

  it('reads US and day-first slashed dates with optional 24h or AM/PM times', () => {
    const us = createTimestampParser('MM/DD/YYYY');
    expect(us('04/17/2020')).toBe(Date.UTC(2020, 3, 17));
    expect(us('4/7/2020 1:05 PM')).toBe(Date.UTC(2020, 3, 7, 13, 5));
    expect(us('4/7/2020 12:05:09 am')).toBe(Date.UTC(2020, 3, 7, 0, 5, 9));
    expect(us('17/04/2020')).toBeNaN();
    expect(createTimestampParser('DD/MM/YYYY')('17/04/2020 16:00')).toBe(Date.UTC(2020, 3, 17, 16));
  });

  it('applies the timezone to zone-less date-times only, across a DST change', () => {
    const ny = createTimestampParser('iso', 'America/New_York');
    expect(ny('2024-03-08T09:30:00')).toBe(Date.UTC(2024, 2, 8, 14, 30));
    expect(ny('2024-03-11T09:30:00')).toBe(Date.UTC(2024, 2, 11, 13, 30));
    expect(ny('2024-03-11T09:30:00Z')).toBe(Date.UTC(2024, 2, 11, 9, 30));
    expect(ny('2024-03-11')).toBe(Date.UTC(2024, 2, 11));
    expect(createTimestampParser('MM/DD/YYYY', '+05:30')('01/02/2024 05:30')).toBe(Date.UTC(2024, 0, 2));
  });

  it('refuses an unknown timezone, naming the option', () => {
    expect(() => new ZoneConverter('Mars/Olympus')).toThrow(
      'timezone: must be UTC, a fixed offset such as +05:30, or an IANA zone',
    );
  });

  it('detects the format from sample values', () => {
    expect(detectDateFormat(['', '2020-01-03'])).toBe('iso');
    expect(detectDateFormat(['2020-01-03T00:00:00Z'])).toBe('iso');
    expect(detectDateFormat(['1587081600'])).toBe('epoch-s');
    expect(detectDateFormat([1587081600123])).toBe('epoch-ms');
    expect(detectDateFormat(['01/02/2020', '12/03/2020'])).toBe('MM/DD/YYYY');
    expect(detectDateFormat(['01/02/2020', '13/03/2020'])).toBe('DD/MM/YYYY');
    expect(detectDateFormat(['yesterday'])).toBeUndefined();
  });
});
