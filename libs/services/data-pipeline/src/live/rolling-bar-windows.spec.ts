import type { Bar } from '@rrr/core';
import { RollingBarWindows } from './rolling-bar-windows';

const bar = (symbol: string, i: number): Bar => ({
  symbol,
  interval: '1m',
  ts: i * 60_000,
  open: i,
  high: i,
  low: i,
  close: i,
  volume: 1,
});

describe('RollingBarWindows', () => {
  it('keeps the newest `capacity` bars per series and returns the newest n, oldest first', () => {
    const windows = new RollingBarWindows(3);
    for (let i = 1; i <= 5; i++) windows.push(bar('BTC-USD', i));
    windows.push(bar('ETH-USD', 9));
    expect(windows.latest('BTC-USD', 2, '1m').map((b) => b.close)).toEqual([4, 5]);
    expect(windows.latest('BTC-USD', 10, '1m').map((b) => b.close)).toEqual([3, 4, 5]);
    expect(windows.latest('ETH-USD', 10, '1m').map((b) => b.close)).toEqual([9]);
    expect(windows.latest('BTC-USD', 2, '5m')).toEqual([]);
    expect(windows.latest('SOL-USD', 2, '1m')).toEqual([]);
    expect(windows.latest('BTC-USD', 0, '1m')).toEqual([]);
    expect(windows.series()).toEqual([
      { symbol: 'BTC-USD', interval: '1m', bars: 3 },
      { symbol: 'ETH-USD', interval: '1m', bars: 1 },
    ]);
  });

  it('refuses a capacity below one', () => {
    expect(() => new RollingBarWindows(0)).toThrow('capacity: must be an integer >= 1');
  });
});
