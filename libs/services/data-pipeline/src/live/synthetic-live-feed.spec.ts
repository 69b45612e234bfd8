import { ManualClock, validateBar, validateTrade, type Bar, type Trade } from '@rrr/core';
import { ManualFeedTimer } from '../testing/manual-feed-timer';
import { SyntheticLiveFeed } from './synthetic-live-feed';

const T0 = Date.UTC(2024, 0, 1, 12);

function run(seconds: number, seed = 42) {
  const clock = new ManualClock(T0);
  const timer = new ManualFeedTimer();
  const trades: Trade[] = [];
  const bars: Bar[] = [];
  const feed = new SyntheticLiveFeed({
    symbols: ['BTC-USD', 'ETH-USD'],
    seed,
    clock,
    timer,
    tickMs: 1_000,
    onTrade: (t) => void trades.push(t),
    onBar: (b) => void bars.push(b),
  });
  feed.start();
  for (let s = 0; s < seconds; s++) timer.fire(clock);
  return { feed, trades, bars, timer, clock };
}

describe('SyntheticLiveFeed', () => {
  it('emits trades every tick and a bar per symbol as soon as the clock passes the end of its minute', () => {
    const { trades, bars } = run(59);
    expect(bars).toEqual([]);
    expect(new Set(trades.map((t) => t.symbol))).toEqual(new Set(['BTC-USD', 'ETH-USD']));
    expect(trades.every((t) => validateTrade(t).length === 0 && t.ts > T0 && t.ts <= T0 + 59_000)).toBe(true);

    const later = run(60);
    expect(later.bars.map((b) => [b.symbol, b.ts])).toEqual([
      ['BTC-USD', T0],
      ['ETH-USD', T0],
    ]);
    for (const bar of later.bars) expect(validateBar(bar)).toEqual([]);
    const btc = later.trades.filter((t) => t.symbol === 'BTC-USD' && t.ts < T0 + 60_000);
    expect(later.bars[0]).toMatchObject({ open: btc[0].price, close: btc[btc.length - 1].price, trades: btc.length });
    expect(later.bars[0].open).toBeGreaterThan(45_000);
    expect(later.bars[1].open).toBeLessThan(3_500);
  });

  it('is deterministic under a manual clock and timer', () => {
    expect(run(150).bars).toEqual(run(150).bars);
    expect(run(150, 1).bars).not.toEqual(run(150).bars);
  });

  it('stops: nothing more is scheduled', () => {
    const { feed, timer } = run(3);
    expect(feed.running).toBe(true);
    feed.stop();
    expect(feed.running).toBe(false);
    expect(timer.pending).toBeUndefined();
    expect(feed.stats.trades).toBeGreaterThanOrEqual(6);
  });

  it('paces itself with real timers too, and reports a failing consumer without stopping', async () => {
    const errors: unknown[] = [];
    let ticks = 0;
    const feed = new SyntheticLiveFeed({
      symbols: ['BTC-USD'],
      seed: 1,
      tickMs: 5,
      onTrade: () => {
        ticks++;
        throw new Error('consumer broke');
      },
      onError: (err) => errors.push(err),
    });
    feed.start();
    await new Promise((resolve) => setTimeout(resolve, 60));
    feed.stop();
    expect(ticks).toBeGreaterThan(2);
    expect(errors.length).toBe(ticks);
  });

  it('refuses an empty symbol list and a bad tick', () => {
    expect(() => new SyntheticLiveFeed({ symbols: [], seed: 1, tickMs: 0 })).toThrow(
      'synthetic live feed: symbols: must list at least one symbol; tickMs: must be an integer >= 1',
    );
  });
});
