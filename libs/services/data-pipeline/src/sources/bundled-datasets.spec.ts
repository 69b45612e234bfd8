import type { Bar } from '@rrr/core';
import { BUNDLED_DATASETS, createBundledSource } from './bundled-datasets';

async function allBars(symbol: string): Promise<Bar[]> {
  const bars: Bar[] = [];
  for await (const bar of createBundledSource(symbol)) bars.push(bar);
  return bars;
}

describe('bundled datasets', () => {
  it('loads the S&P 500 daily file from vega-datasets: 5,105 bars at 00:00 UTC, volume as given', async () => {
    const bars = await allBars('SPX');
    expect(bars).toHaveLength(BUNDLED_DATASETS.SPX.rows);
    expect(bars[0]).toEqual({
      symbol: 'SPX',
      interval: '1d',
      ts: Date.UTC(2000, 0, 3),
      open: 1469.25,
      high: 1478,
      low: 1438.359985,
      close: 1455.219971,
      volume: 931_800_000,
    });
    expect(bars[bars.length - 1]).toMatchObject({
      ts: Date.UTC(2020, 3, 17),
      close: 2874.560059,
      volume: 5_792_140_000,
    });
  });

  it('loads AAPL from @observablehq/sample-datasets, using Close (not Adj Close)', async () => {
    const bars = await allBars('AAPL');
    expect(bars).toHaveLength(BUNDLED_DATASETS.AAPL.rows);
    expect(bars[0]).toEqual({
      symbol: 'AAPL',
      interval: '1d',
      ts: Date.UTC(2013, 4, 13),
      open: 64.501427,
      high: 65.414284,
      low: 64.5,
      close: 64.96286,
      volume: 79_237_200,
    });
    expect(new Date(bars[bars.length - 1].ts).toISOString().slice(0, 10)).toBe(BUNDLED_DATASETS.AAPL.lastDate);
  });

  it('names itself bundled:<symbol> and refuses unknown datasets', () => {
    expect(createBundledSource('SPX').describe()).toMatchObject({ name: 'bundled:SPX', symbol: 'SPX', interval: '1d' });
    expect(() => createBundledSource('MSFT')).toThrow('bundled dataset "MSFT" not found');
  });
});
