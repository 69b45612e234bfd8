import { barFromRow, barToRow, type BarRow } from './bar-row';

describe('barFromRow', () => {
  const row = {
    symbol: 'BTC-USD',
    interval: '1m' as const,
    open: 1,
    high: 2,
    low: 0.5,
    close: 1.5,
    volume: 10,
  };

  it('leaves a NULL vwap and trade count absent, as they were when the bar was written', () => {
    const bar = barFromRow({ ...row, ts: 1_700_000_000_000, vwap: null, trades: null });
    expect(bar).toEqual({ ...row, ts: 1_700_000_000_000 });
    expect(Object.keys(bar)).not.toContain('vwap');
    expect(Object.keys(bar)).not.toContain('trades');
  });

  it('turns BIGINT text (a PostgreSQL driver without the platform parsers) into numbers', () => {
    expect(barFromRow({ ...row, ts: '1700000000000', vwap: 1.2, trades: '42' })).toEqual({
      ...row,
      ts: 1_700_000_000_000,
      vwap: 1.2,
      trades: 42,
    });
  });
});

describe('barToRow', () => {
  const bar = {
    symbol: 'ETH-USD',
    interval: '1h' as const,
    ts: 1_700_000_000_000,
    open: 1,
    high: 2,
    low: 0.5,
    close: 1.5,
    volume: 10,
  };

  it('stores an absent vwap and trade count as NULL, so an upsert clears stored ones', () => {
    expect(barToRow(bar)).toEqual({ ...bar, vwap: null, trades: null });
  });

  it('is undone by barFromRow, with or without the optional fields', () => {
    const full = { ...bar, vwap: 1.25, trades: 7 };
    expect(barFromRow(barToRow(full) as BarRow)).toEqual(full);
    expect(barFromRow(barToRow(bar) as BarRow)).toEqual(bar);
  });
});
