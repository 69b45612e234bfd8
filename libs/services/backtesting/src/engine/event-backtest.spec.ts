import type { Bar } from '@rrr/core';
import { SmaCrossStrategy, allowAllPreTradeCheck, type PositionSizer } from '@rrr/trading-engine';
import fc from 'fast-check';
import { dailyBars, randomWalkBars, scriptedStrategy, T0 } from '../testing/scripted-strategy';
import { runEventBacktest, type EventBacktestConfig } from './event-backtest';

const DAY = 86_400_000;

/*
 *  i  open high low close      The script: long at the close of bar 1, flat at the close of bar 3, 10 units.
 *  0  100  101  99  100
 *  1  100  102  99  101        next-open: buy at bar 2's open 102, sell at bar 4's open 106
 *  2  102  105 101  104        close:     buy at bar 1's close 101, sell at bar 3's close 105
 *  3  104  106 103  105
 *  4  106  107 100  101
 *  5  101  102  99  100
 */
const rows = [
  [100, 101, 99, 100],
  [100, 102, 99, 101],
  [102, 105, 101, 104],
  [104, 106, 103, 105],
  [106, 107, 100, 101],
  [101, 102, 99, 100],
];
const bars = dailyBars('AAA', rows);
const tenUnits: PositionSizer = { name: 'ten', size: () => 10 };

function config(overrides: Partial<EventBacktestConfig> = {}): EventBacktestConfig {
  return {
    symbols: ['AAA'],
    interval: '1d',
    feeds: [bars],
    strategies: [scriptedStrategy({ AAA: { 1: 'long', 3: 'flat' } })],
    initialCapital: 100_000,
    sizer: tenUnits,
    ...overrides,
  };
}

describe('runEventBacktest: fills', () => {
  it('fills a signal of bar t at bar t+1 open by default, with 5 bps slippage and 0.1 % fees', async () => {
    const run = await runEventBacktest(config());
    expect(run.fills.map((f) => [f.side, f.ts, f.price, f.fee])).toEqual([
      ['buy', bars[2].ts, 102 * 1.0005, 102 * 1.0005 * 10 * 0.001],
      ['sell', bars[4].ts, 106 * 0.9995, 106 * 0.9995 * 10 * 0.001],
    ]);
    expect(run.fills[0].price).toBeCloseTo(102.051, 9);
    const [trade] = run.trades;
    // 10 × (105.947 − 102.051) − (1.02051 + 1.05947) = 36.88002
    expect(trade).toMatchObject({ direction: 'long', quantity: 10, entryTs: bars[2].ts, exitTs: bars[4].ts });
    expect(trade.pnl).toBeCloseTo(36.88002, 9);
    expect(trade.fees).toBeCloseTo(2.07998, 9);
    expect(trade.returnFraction).toBeCloseTo(36.88002 / 1020.51, 9);
    expect(trade.exitReason).toBe('signal');
  });

  it('records one equity point per close, starting with the capital at the first open', async () => {
    const run = await runEventBacktest(config());
    expect(run.curve.ts).toEqual([T0, ...bars.map((b) => b.ts + DAY)]);
    const cashAfterBuy = 100_000 - 1020.51 - 1.02051;
    const expected = [
      100_000,
      100_000,
      100_000,
      cashAfterBuy + 1040,
      cashAfterBuy + 1050,
      100_036.88002,
      100_036.88002,
    ];
    run.curve.equity.forEach((e, i) => expect(e).toBeCloseTo(expected[i], 8));
    expect(run.curve.grossExposure.map((g) => g > 0)).toEqual([false, false, false, true, true, false, false]);
    // Buy and hold of AAA from its first open (100): equity tracks the close.
    run.curve.benchmark.forEach((b, i) => expect(b).toBeCloseTo(i === 0 ? 100_000 : rows[i - 1][3] * 1_000, 8));
  });

  it('fills at the signal bar close when asked, for comparison', async () => {
    const run = await runEventBacktest(config({ fillTiming: 'close' }));
    expect(run.fills.map((f) => [f.side, f.ts, f.price])).toEqual([
      ['buy', bars[1].ts + DAY, 101 * 1.0005],
      ['sell', bars[3].ts + DAY, 105 * 0.9995],
    ]);
    // 10 × (104.9475 − 101.0505) − (1.010505 + 1.049475) = 36.91002
    expect(run.trades[0].pnl).toBeCloseTo(36.91002, 9);
  });

  it('hands a strategy each bar at its close and never a later one', async () => {
    const strategy = scriptedStrategy({});
    let pulled = 0;
    async function* feed(): AsyncGenerator<Bar> {
      for (const bar of bars) {
        pulled += 1;
        yield bar;
      }
    }
    const observed: number[] = [];
    const watching = {
      ...strategy,
      onBar: (bar: Bar, context: Parameters<typeof strategy.onBar>[1]) => {
        observed.push(pulled);
        return strategy.onBar(bar, context);
      },
    };
    await runEventBacktest(config({ feeds: [feed()], strategies: [watching] }));
    // When it decides on bar i, exactly i + 1 bars have been read from the source: bar i + 1 does not exist yet.
    expect(observed).toEqual([1, 2, 3, 4, 5, 6]);
    expect(strategy.seen.map((s) => s.now)).toEqual(bars.map((b) => b.ts + DAY));
  });

  it('makes the same decisions up to bar k whether or not the bars after k exist (property)', async () => {
    const series = randomWalkBars('AAA', 160, 7);
    const run = (n: number, fillTiming: 'next-open' | 'close') =>
      runEventBacktest({
        ...config({ strategies: [new SmaCrossStrategy({ fast: 3, slow: 8 })], fillTiming }),
        feeds: [series.slice(0, n)],
        risk: allowAllPreTradeCheck,
      });
    const full = { 'next-open': await run(160, 'next-open'), close: await run(160, 'close') };
    expect(full['next-open'].fills.length).toBeGreaterThan(10);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 10, max: 159 }), fc.constantFrom('next-open', 'close'), async (k, timing) => {
        const cut = await run(k + 1, timing as 'next-open' | 'close');
        // Bar k closes at `close`: a close fill there is in both runs, a fill at the next open (same instant) is not.
        const close = series[k].ts + DAY;
        const seen = full[timing as 'next-open' | 'close'].fills.filter((f) =>
          timing === 'close' ? f.ts <= close : f.ts < close,
        );
        expect(cut.fills).toEqual(seen);
      }),
      { numRuns: 15 },
    );
  });
});

describe('runEventBacktest: slippage models', () => {
  it('volume-based: 5 bps + 100 bps × 10 / 1,000 of the bar = 6 bps', async () => {
    const run = await runEventBacktest(config({ slippage: { model: 'volume', baseBps: 5, impactBps: 100 } }));
    expect(run.fills[0].price).toBeCloseTo(102 * 1.0006, 9);
    expect(run.fills[1].price).toBeCloseTo(106 * 0.9994, 9);
  });

  it('volatility-based: 0.1 × (high − low) / open of the fill bar, at the open and at the close', async () => {
    const volatility = { model: 'volatility', baseBps: 0, rangeFraction: 0.1 } as const;
    const open = await runEventBacktest(config({ slippage: volatility }));
    // bar 2: 102 × (1 + 0.1 × 4 / 102) = 102.4; bar 4: 106 × (1 − 0.1 × 7 / 106) = 105.3
    expect(open.fills.map((f) => f.price)).toEqual([expect.closeTo(102.4, 9), expect.closeTo(105.3, 9)]);
    const close = await runEventBacktest(config({ slippage: volatility, fillTiming: 'close' }));
    // bar 1: 101 × (1 + 0.1 × 3 / 100) = 101.303; bar 3: 105 × (1 − 0.1 × 3 / 104)
    expect(close.fills[0].price).toBeCloseTo(101.303, 9);
    expect(close.fills[1].price).toBeCloseTo(105 * (1 - 0.3 / 104), 9);
  });

  it('no costs: fills at the raw open, no fees', async () => {
    const run = await runEventBacktest(
      config({ slippage: { model: 'fixed', bps: 0 }, fees: { makerRate: 0, takerRate: 0 } }),
    );
    expect(run.fills.map((f) => [f.price, f.fee])).toEqual([
      [102, 0],
      [106, 0],
    ]);
    expect(run.trades[0].pnl).toBe(40);
  });
});

describe('runEventBacktest: positions and cash', () => {
  it('sells short when allowed: 10 × (101.949 − 106.053) − 2.08002 = −43.12002', async () => {
    const script = { AAA: { 1: 'short', 3: 'flat' } } as const;
    const run = await runEventBacktest(config({ strategies: [scriptedStrategy(script)], allowShort: true }));
    expect(run.trades).toHaveLength(1);
    expect(run.trades[0]).toMatchObject({ direction: 'short', entryPrice: 102 * 0.9995, exitPrice: 106 * 1.0005 });
    expect(run.trades[0].pnl).toBeCloseTo(-43.12002, 9);
    expect(run.curve.equity[run.curve.equity.length - 1]).toBeCloseTo(100_000 - 43.12002, 8);
  });

  it('treats a short signal as flat when shorting is not allowed', async () => {
    const run = await runEventBacktest(config({ strategies: [scriptedStrategy({ AAA: { 1: 'short' } })] }));
    expect(run.fills).toEqual([]);
    expect(run.signals).toBe(1);
  });

  it('holds several positions at once and values each at its own close', async () => {
    const other = dailyBars(
      'BBB',
      rows.map(([o, h, l, c]) => [o * 2, h * 2, l * 2, c * 2]),
    );
    const run = await runEventBacktest(
      config({
        symbols: ['AAA', 'BBB'],
        feeds: [bars, other],
        strategies: [scriptedStrategy({ AAA: { 1: 'long' }, BBB: { 2: 'long' } })],
        slippage: { model: 'fixed', bps: 0 },
        fees: { makerRate: 0, takerRate: 0 },
      }),
    );
    expect(run.fills.map((f) => [f.symbol, f.ts, f.price])).toEqual([
      ['AAA', bars[2].ts, 102],
      ['BBB', bars[3].ts, 208],
    ]);
    // One equity point per distinct close (both symbols' bars close together), not per bar.
    expect(run.curve.ts).toEqual([T0, ...bars.map((b) => b.ts + DAY)]);
    expect(run.positions.map((p) => [p.symbol, p.quantity])).toEqual([
      ['AAA', 10],
      ['BBB', 10],
    ]);
    // At the last close: AAA 10 × (100 − 102), BBB 10 × (200 − 208).
    expect(run.curve.equity[run.curve.equity.length - 1]).toBeCloseTo(100_000 - 20 - 80, 9);
    expect(run.trades.map((t) => [t.symbol, t.exitReason, t.unrealizedPnl])).toEqual([
      ['AAA', 'open', -20],
      ['BBB', 'open', -80],
    ]);
  });

  it('refuses an entry beyond the 20 % position limit (pre-trade risk) and one the cash cannot pay (venue)', async () => {
    const huge: PositionSizer = { name: 'huge', size: () => 1_500 };
    const risked = await runEventBacktest(config({ sizer: huge }));
    expect(risked.fills).toEqual([]);
    expect(risked.refusals).toEqual([
      expect.objectContaining({
        symbol: 'AAA',
        code: 'RISK_REJECTED',
        reason: expect.stringContaining('max-position'),
      }),
    ]);
    const unlimited = await runEventBacktest(
      config({ sizer: huge, risk: allowAllPreTradeCheck, barVolumeShare: null }),
    );
    expect(unlimited.fills).toEqual([]);
    expect(unlimited.venueRejections).toEqual([
      expect.objectContaining({
        symbol: 'AAA',
        code: 'VENUE_REJECTED',
        reason: expect.stringContaining('insufficient USD'),
      }),
    ]);
  });

  it('caps fills at the bar volume share, leaving the rest working for the next bar', async () => {
    const run = await runEventBacktest(config({ barVolumeShare: 0.004 }));
    // 0.4 % of 1,000 = 4 units per bar: 4 at bar 2, 4 at bar 3, 2 at bar 4. The flat signal at bar 3's close is
    // skipped because the entry is still working then, so the position stays open.
    expect(run.fills.map((f) => [f.ts, f.quantity])).toEqual([
      [bars[2].ts, 4],
      [bars[3].ts, 4],
      [bars[4].ts, 2],
    ]);
  });

  it('rejects bars out of order, naming the field', async () => {
    await expect(runEventBacktest(config({ feeds: [[bars[1], bars[0]]] }))).rejects.toThrow(
      'bars: AAA bars must be in strictly increasing time order',
    );
  });
});
