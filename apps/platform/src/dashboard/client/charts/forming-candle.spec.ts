import { candleWithTrade } from './forming-candle';
import { barOpen, intervalMs } from './interval-ms';

const T0 = Date.UTC(2026, 10, 25, 19, 40);

describe('candleWithTrade', () => {
  it('opens a candle at the first trade of a window, then moves high, low and close', () => {
    let candle = candleWithTrade(undefined, { price: 100, quantity: 0.5, ts: T0 + 5_000 }, '1m');
    expect(candle).toEqual({ ts: T0, open: 100, high: 100, low: 100, close: 100, volume: 0.5 });
    candle = candleWithTrade(candle, { price: 103, quantity: 0.25, ts: T0 + 20_000 }, '1m');
    candle = candleWithTrade(candle, { price: 98.5, quantity: 1, ts: T0 + 40_000 }, '1m');
    candle = candleWithTrade(candle, { price: 101, quantity: 0.25, ts: T0 + 59_999 }, '1m');
    expect(candle).toEqual({ ts: T0, open: 100, high: 103, low: 98.5, close: 101, volume: 2 });
  });

  it('starts the next candle at the window boundary', () => {
    const first = candleWithTrade(undefined, { price: 100, quantity: 1, ts: T0 + 1_000 }, '1m');
    expect(candleWithTrade(first, { price: 99, quantity: 2, ts: T0 + 60_000 }, '1m')).toEqual({
      ts: T0 + 60_000,
      open: 99,
      high: 99,
      low: 99,
      close: 99,
      volume: 2,
    });
  });
});

describe('bar intervals', () => {
  it('floors to the bar open of every platform interval and refuses others', () => {
    expect(barOpen(T0 + 59_999, '1m')).toBe(T0);
    expect(barOpen(Date.UTC(2026, 10, 25, 23, 59), '1d')).toBe(Date.UTC(2026, 10, 25));
    expect(barOpen(Date.UTC(2026, 10, 25, 7, 30), '4h')).toBe(Date.UTC(2026, 10, 25, 4));
    expect(['1m', '5m', '15m', '1h', '4h', '1d'].map(intervalMs)).toEqual([
      60_000, 300_000, 900_000, 3_600_000, 14_400_000, 86_400_000,
    ]);
    expect(() => intervalMs('2m')).toThrow('unknown bar interval "2m"');
  });
});
