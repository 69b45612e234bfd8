import fc from 'fast-check';
import type { Bar, Trade } from '@rrr/core';
import { TradeAggregator, aggregateTrades } from './trade-aggregator';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1, 12, 0);

function trade(offsetMs: number, price: number, quantity: number, symbol = 'BTC-USD'): Trade {
  return { symbol, ts: T0 + offsetMs, price, quantity };
}

function collect(interval: '1m' | '5m' | '15m' | '1h' | '1d', lateToleranceMs = 0) {
  const bars: Bar[] = [];
  const late: string[] = [];
  const aggregator = new TradeAggregator({
    interval,
    lateToleranceMs,
    onBar: (bar) => bars.push(bar),
    onLateTrade: (_, reason) => late.push(reason),
  });
  return { aggregator, bars, late };
}

describe('TradeAggregator', () => {
  it('builds OHLCV with exact VWAP and trade count, emitting a bar when its window closes', () => {
    const { aggregator, bars } = collect('1m');
    aggregator.add(trade(0, 100, 1));
    aggregator.add(trade(10_000, 104, 3));
    aggregator.add(trade(20_000, 98, 2));
    aggregator.add(trade(59_999, 101, 2));
    expect(bars).toEqual([]);
    aggregator.add(trade(MIN, 102, 4));
    // VWAP = (100·1 + 104·3 + 98·2 + 101·2) / 8 = 810 / 8 = 101.25, exactly representable.
    expect(bars).toEqual([
      {
        symbol: 'BTC-USD',
        interval: '1m',
        ts: T0,
        open: 100,
        high: 104,
        low: 98,
        close: 101,
        volume: 8,
        vwap: 101.25,
        trades: 4,
      },
    ]);
    aggregator.flush();
    expect(bars[1]).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
      ts: T0 + MIN,
      open: 102,
      high: 102,
      low: 102,
      close: 102,
      volume: 4,
      vwap: 102,
      trades: 1,
    });
  });

  it('buckets on the UTC grid for every interval', () => {
    const trades = [trade(-1, 10, 1), trade(0, 20, 1), trade(14 * MIN + 59_999, 30, 1), trade(15 * MIN, 40, 1)];
    expect(aggregateTrades(trades, '5m').map((b) => [b.ts - T0, b.trades])).toEqual([
      [-5 * MIN, 1],
      [0, 1],
      [10 * MIN, 1],
      [15 * MIN, 1],
    ]);
    expect(aggregateTrades(trades, '15m').map((b) => [b.ts - T0, b.trades])).toEqual([
      [-15 * MIN, 1],
      [0, 2],
      [15 * MIN, 1],
    ]);
    expect(aggregateTrades(trades, '1h').map((b) => [b.ts - T0, b.trades])).toEqual([
      [-60 * MIN, 1],
      [0, 3],
    ]);
    expect(aggregateTrades(trades, '1d').map((b) => [b.ts, b.volume])).toEqual([[Date.UTC(2024, 0, 1), 4]]);
  });

  it('takes open and close by timestamp, so trades reordered within the tolerance give the sorted result', () => {
    const sorted = [
      trade(1_000, 10, 1),
      trade(2_000, 12, 1),
      trade(3_000, 11, 1),
      trade(61_000, 13, 1),
      trade(62_000, 9, 1),
    ];
    const shuffled = [sorted[1], sorted[0], sorted[3], sorted[2], sorted[4]];
    const { aggregator, bars, late } = collect('1m', 5_000);
    for (const t of shuffled) aggregator.add(t);
    aggregator.flush();
    expect(late).toEqual([]);
    expect(bars).toEqual(aggregateTrades(sorted, '1m'));
    expect(bars[0]).toMatchObject({ open: 10, close: 11, high: 12, low: 10 });
  });

  it('reports trades for a window that has closed instead of folding them in silently', () => {
    const { aggregator, bars, late } = collect('1m', 1_000);
    aggregator.add(trade(30_000, 10, 1));
    aggregator.add(trade(61_500, 11, 1));
    expect(bars).toHaveLength(1);
    aggregator.add(trade(59_000, 12, 1));
    expect(aggregator.lateTrades).toBe(1);
    expect(late).toEqual([
      'trade at 2024-01-01T12:00:59.000Z arrived after its 1m bar (2024-01-01T12:00:00.000Z) had closed',
    ]);
    expect(bars[0]).toMatchObject({ close: 10, trades: 1 });
  });

  it('closes windows by wall time with advanceTo, and treats trades before that watermark as late', () => {
    const { aggregator, bars } = collect('1m');
    aggregator.add(trade(5_000, 10, 1));
    aggregator.advanceTo(T0 + 59_999);
    expect(bars).toHaveLength(0);
    aggregator.advanceTo(T0 + MIN);
    expect(bars.map((b) => b.ts)).toEqual([T0]);
    aggregator.advanceTo(T0 + 3 * MIN + 10);
    aggregator.add(trade(2 * MIN + 1, 10, 1));
    expect(aggregator.lateTrades).toBe(1);
  });

  it('keeps symbols apart', () => {
    const bars = aggregateTrades([trade(0, 10, 1), trade(1, 3000, 2, 'ETH-USD'), trade(2, 11, 1)], '1m');
    expect(bars.map((b) => [b.symbol, b.open, b.close, b.volume])).toEqual([
      ['BTC-USD', 10, 11, 2],
      ['ETH-USD', 3000, 3000, 2],
    ]);
  });

  it('equals a direct computation for any trades (property)', () => {
    const arbTrade = fc.record({
      offset: fc.integer({ min: 0, max: 10 * MIN }),
      price: fc.integer({ min: 1, max: 1000 }),
      quantity: fc.integer({ min: 1, max: 100 }),
    });
    fc.assert(
      fc.property(fc.array(arbTrade, { minLength: 1, maxLength: 200 }), (raw) => {
        const trades = raw.map((r) => trade(r.offset, r.price, r.quantity)).sort((a, b) => a.ts - b.ts);
        const bars = aggregateTrades(trades, '1m');
        const groups = new Map<number, Trade[]>();
        for (const t of trades) {
          const start = t.ts - (t.ts % MIN);
          groups.set(start, [...(groups.get(start) ?? []), t]);
        }
        expect(bars.map((b) => b.ts)).toEqual([...groups.keys()]);
        for (const b of bars) {
          const group = groups.get(b.ts) as Trade[];
          const volume = group.reduce((a, t) => a + t.quantity, 0);
          const notional = group.reduce((a, t) => a + t.price * t.quantity, 0);
          // Integer prices and quantities keep every sum exact, so the bar must match to the last bit.
          expect(b).toEqual({
            symbol: 'BTC-USD',
            interval: '1m',
            ts: b.ts,
            open: group[0].price,
            high: Math.max(...group.map((t) => t.price)),
            low: Math.min(...group.map((t) => t.price)),
            close: group[group.length - 1].price,
            volume,
            vwap: notional / volume,
            trades: group.length,
          });
        }
      }),
    );
  });

  it('refuses a negative tolerance', () => {
    expect(() => new TradeAggregator({ interval: '1m', lateToleranceMs: -1, onBar: () => undefined })).toThrow(
      'lateToleranceMs: must be a number >= 0',
    );
  });
});
