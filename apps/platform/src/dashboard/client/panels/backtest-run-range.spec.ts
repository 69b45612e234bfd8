import { backtestRunRange } from './backtest-run-range';

describe('backtestRunRange', () => {
  it('ends a daily run on its last day, not on the day after it', () => {
    // As stored for `--from 2019-01-01 --to 2019-12-31`: to is where 2020 begins.
    expect(backtestRunRange({ from: Date.UTC(2019, 0, 1), to: Date.UTC(2020, 0, 1), interval: '1d' })).toEqual({
      first: '2019-01-01',
      last: '2019-12-31',
    });
    // A range narrowed to the data ends one bar after the last bar: that bar's day is shown.
    const lastBar = Date.UTC(2020, 3, 17);
    expect(backtestRunRange({ from: Date.UTC(2000, 0, 3), to: lastBar + 86_400_000, interval: '1d' }).last).toBe(
      '2020-04-17',
    );
  });

  it('ends an intraday run on the open of its last bar, to the minute', () => {
    // `--to 2026-11-25` on 1-minute bars: every bar opening that day, the last at 23:59.
    expect(backtestRunRange({ from: Date.UTC(2026, 10, 24), to: Date.UTC(2026, 10, 26), interval: '1m' })).toEqual({
      first: '2026-11-24 00:00',
      last: '2026-11-25 23:59',
    });
    expect(backtestRunRange({ from: Date.UTC(2026, 10, 24, 4), to: Date.UTC(2026, 10, 26), interval: '4h' }).last).toBe(
      '2026-11-25 20:00',
    );
    expect(backtestRunRange({ from: Date.UTC(2026, 10, 24), to: Date.UTC(2026, 10, 26), interval: '1h' }).last).toBe(
      '2026-11-25 23:00',
    );
  });

  it('takes a date-time end (its last instant + 1 ms) to the bar opening at or before it', () => {
    // `--to 2026-11-25T12:30:00Z` on 1-hour bars includes the 12:00 bar, and on 15-minute bars the 12:30 one.
    const to = Date.UTC(2026, 10, 25, 12, 30) + 1;
    expect(backtestRunRange({ from: Date.UTC(2026, 10, 25), to, interval: '1h' }).last).toBe('2026-11-25 12:00');
    expect(backtestRunRange({ from: Date.UTC(2026, 10, 25), to, interval: '15m' }).last).toBe('2026-11-25 12:30');
  });

  it('starts a range that begins between two bar opens at the next bar', () => {
    const from = Date.UTC(2026, 10, 25, 12, 30, 20);
    expect(backtestRunRange({ from, to: Date.UTC(2026, 10, 26), interval: '1h' }).first).toBe('2026-11-25 13:00');
    expect(backtestRunRange({ from, to: Date.UTC(2026, 10, 26), interval: '5m' }).first).toBe('2026-11-25 12:35');
  });

  it('shows the last instant included when the interval is unknown, and a dash for a missing bound', () => {
    expect(backtestRunRange({ from: Date.UTC(2019, 0, 1), to: Date.UTC(2020, 0, 1), interval: '2m' })).toEqual({
      first: '2019-01-01 00:00:00',
      last: '2019-12-31 23:59:59',
    });
    expect(backtestRunRange({ from: Date.UTC(2019, 0, 1), to: Date.UTC(2020, 0, 1) }).last).toBe('2019-12-31 23:59:59');
    expect(backtestRunRange({ from: null, to: null, interval: '1d' })).toEqual({ first: '—', last: '—' });
    expect(backtestRunRange({ from: null, to: null, interval: '1m' })).toEqual({ first: '—', last: '—' });
  });
});
