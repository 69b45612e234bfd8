import type { Bar } from '@rrr/core';
import { SmaCrossStrategy, allowAllPreTradeCheck, fixedFractionSizer, type Strategy } from '@rrr/trading-engine';
import type { ITrade } from 'grademark';
import { SMA } from 'trading-signals';
import { runEventBacktest } from '../engine/event-backtest';
import type { RoundTrip } from '../engine/round-trip-ledger';
import { readBundledBars } from './bundled-bars';
import { grademarkCadence } from './grademark-cadence';
import { grademarkSmaCross, smaColumn } from './grademark-sma-cross';

interface TradeKey {
  entry: string;
  entryPrice: number;
  exit: string;
  exitPrice: number;
}

const day = (ts: number): string => new Date(ts).toISOString().slice(0, 10);

function fromGrademark(trades: ITrade[]): TradeKey[] {
  return trades.map((t) => ({
    entry: day(t.entryTime.getTime()),
    entryPrice: t.entryPrice,
    exit: day(t.exitTime.getTime()),
    exitPrice: t.exitPrice,
  }));
}

/** Ours, with a trip still open at the end reported as grademark does: closed at the last bar's close. */
function fromOurs(trades: RoundTrip[], last: Bar): TradeKey[] {
  return trades.map((t) => ({
    entry: day(t.entryTs),
    entryPrice: t.entryPrice,
    exit: day(t.exitTs ?? last.ts),
    exitPrice: t.exitPrice ?? (t.markPrice as number),
  }));
}

/** SMA cross 20/50 through the trading engine: next-bar-open fills, no fees, no slippage, long only, no risk limits. */
async function ours(bars: Bar[], strategy: Strategy): Promise<TradeKey[]> {
  const run = await runEventBacktest({
    symbols: ['SPX'],
    interval: '1d',
    feeds: [bars],
    strategies: [strategy],
    initialCapital: 100_000,
    fees: { makerRate: 0, takerRate: 0 },
    slippage: { model: 'fixed', bps: 0 },
    risk: allowAllPreTradeCheck,
    // Half the equity per entry: a whole-equity order could not pay a gap up at the next open.
    sizer: fixedFractionSizer({ fraction: 0.5, maxFraction: 1 }),
    barVolumeShare: null,
  });
  return fromOurs(run.trades, bars[bars.length - 1]);
}

describe('cross-check against grademark 0.3.0: SMA 20/50 on the bundled S&P 500 (5,105 daily bars)', () => {
  const bars = readBundledBars('SPX');
  const peer = fromGrademark(grademarkSmaCross(bars, 20, 50));

  it('computes the averages bit-for-bit as trading-signals does', () => {
    const sma = new SMA(20);
    const column = smaColumn(
      bars.map((b) => b.close),
      20,
    );
    bars.forEach((b, i) => expect(sma.add(b.close) ?? undefined).toBe(column[i]));
  });

  it('gives the identical trade list (entry/exit days and prices) on grademark’s decision cadence', async () => {
    const trades = await ours(bars, grademarkCadence(new SmaCrossStrategy({ fast: 20, slow: 50 })));
    expect(peer).toHaveLength(57);
    expect(trades).toEqual(peer);
    expect(peer[0]).toEqual({
      entry: '2000-03-24',
      entryPrice: 1527.349976,
      exit: '2000-05-09',
      exitPrice: 1424.170044,
    });
  });

  it('differs from the plain regime strategy only where grademark skips a rule on its fill bar (two whipsaws)', async () => {
    const trades = await ours(bars, new SmaCrossStrategy({ fast: 20, slow: 50 }));
    expect(trades).toHaveLength(peer.length);
    const differing = trades.flatMap((t, i) => (JSON.stringify(t) !== JSON.stringify(peer[i]) ? [i] : []));
    expect(differing).toEqual([17, 42]);
    const nextDay = (d: string) => day(bars[bars.findIndex((b) => day(b.ts) === d) + 1].ts);
    // 2005-10-03 turned long for one day: we exit at the next open, grademark (not checking its exit rule on the
    // entry bar) one bar later. 2015-01-12 turned flat for one day: we re-enter one bar before grademark does.
    expect(trades[17]).toMatchObject({ entry: '2005-10-04', exit: '2005-10-05' });
    expect(peer[17]).toMatchObject({ entry: '2005-10-04', exit: nextDay('2005-10-05') });
    expect(trades[42]).toMatchObject({ entry: '2015-01-14', exit: '2015-01-22' });
    expect(peer[42]).toMatchObject({ entry: nextDay('2015-01-14'), exit: '2015-01-22' });
  });
});
