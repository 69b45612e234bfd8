import type { Bar, Trade } from '@rrr/core';
import { BarResampler, resampleBars } from './bar-resampler';
import { aggregateTrades } from './trade-aggregator';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);

function minuteBar(
  minute: number,
  o: number,
  h: number,
  l: number,
  c: number,
  volume: number,
  extra: Partial<Bar> = {},
): Bar {
  return {
    symbol: 'BTC-USD',
    interval: '1m',
    ts: T0 + minute * MIN,
    open: o,
    high: h,
    low: l,
    close: c,
    volume,
    ...extra,
  };
}

describe('BarResampler', () => {
  it('rolls 1m bars into 5m: first open, extremes, last close, summed volume and trades, volume-weighted vwap', () => {
    const bars = [
      minuteBar(0, 10, 12, 9, 11, 2, { vwap: 10.5, trades: 3 }),
      minuteBar(1, 11, 15, 11, 14, 6, { vwap: 13, trades: 5 }),
      minuteBar(4, 14, 14, 8, 9, 0, { vwap: 9, trades: 0 }),
      minuteBar(5, 9, 10, 9, 10, 4, { vwap: 9.5, trades: 1 }),
    ];
    expect(resampleBars(bars, '1m', '5m')).toEqual([
      // vwap = (10.5·2 + 13·6 + 9·0) / 8 = 99 / 8 = 12.375
      {
        symbol: 'BTC-USD',
        interval: '5m',
        ts: T0,
        open: 10,
        high: 15,
        low: 8,
        close: 9,
        volume: 8,
        vwap: 12.375,
        trades: 8,
      },
      {
        symbol: 'BTC-USD',
        interval: '5m',
        ts: T0 + 5 * MIN,
        open: 9,
        high: 10,
        low: 9,
        close: 10,
        volume: 4,
        vwap: 9.5,
        trades: 1,
      },
    ]);
  });

  it('omits vwap and trades when any input bar lacks them', () => {
    const [bar] = resampleBars(
      [minuteBar(0, 1, 2, 1, 2, 1, { vwap: 1.5, trades: 1 }), minuteBar(1, 2, 3, 2, 3, 1)],
      '1m',
      '1h',
    );
    expect(bar).toEqual({ symbol: 'BTC-USD', interval: '1h', ts: T0, open: 1, high: 3, low: 1, close: 3, volume: 2 });
  });

  it('gives the same bars as aggregating the trades directly at the higher interval', () => {
    const trades: Trade[] = Array.from({ length: 600 }, (_, i) => ({
      symbol: 'ETH-USD',
      ts: T0 + i * 7_000,
      price: 3000 + ((i * 37) % 101),
      quantity: 1 + (i % 4),
    }));
    const viaMinutes = resampleBars(aggregateTrades(trades, '1m'), '1m', '15m');
    const direct = aggregateTrades(trades, '15m');
    const withoutVwap = ({ vwap: _vwap, ...rest }: Bar) => rest;
    expect(viaMinutes.map(withoutVwap)).toEqual(direct.map(withoutVwap));
    viaMinutes.forEach((bar, i) => expect(bar.vwap).toBeCloseTo(direct[i].vwap as number, 9));
  });

  it('reports bars older than the window being built', () => {
    const late: string[] = [];
    const out: Bar[] = [];
    const resampler = new BarResampler({
      from: '1m',
      to: '5m',
      onBar: (b) => out.push(b),
      onLateBar: (_, r) => late.push(r),
    });
    resampler.add(minuteBar(5, 1, 1, 1, 1, 1));
    resampler.add(minuteBar(4, 1, 1, 1, 1, 1));
    resampler.add(minuteBar(10, 1, 1, 1, 1, 1));
    resampler.flush();
    resampler.add(minuteBar(6, 1, 1, 1, 1, 1));
    expect(out.map((b) => b.ts - T0)).toEqual([5 * MIN, 10 * MIN]);
    expect(late).toEqual([
      'bar at 2024-01-01T00:04:00.000Z is older than the 5m window being built',
      'bar at 2024-01-01T00:06:00.000Z arrived after its 5m window had closed',
    ]);
    expect(resampler.lateBars).toBe(2);
  });

  it('refuses a target that is not a whole multiple of the source, and bars of another interval', () => {
    expect(() => new BarResampler({ from: '5m', to: '1m', onBar: () => undefined })).toThrow(
      'must be a whole multiple of 5m',
    );
    const resampler = new BarResampler({ from: '1m', to: '1h', onBar: () => undefined });
    expect(() => resampler.add({ ...minuteBar(0, 1, 1, 1, 1, 1), interval: '5m' })).toThrow(
      'expected 1m bars (got 5m)',
    );
  });
});
