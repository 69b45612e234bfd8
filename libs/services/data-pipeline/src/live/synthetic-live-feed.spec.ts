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

describe('SyntheticLiveFeed.history', () => {
  const MIN = 60_000;
  // Mid-minute: the window the clock is in is live, history ends before it.
  const NOW = T0 + 30_000;

  function feedAt(now: number, onTrade?: (trade: Trade) => void) {
    const clock = new ManualClock(now);
    const timer = new ManualFeedTimer();
    const feed = new SyntheticLiveFeed({ symbols: ['BTC-USD', 'ETH-USD'], seed: 42, clock, timer, onTrade });
    return { feed, clock, timer };
  }

  it('gives each symbol the complete bars before the live window, valid and chained open to previous close', () => {
    const history = feedAt(NOW).feed.history(120);
    expect(history).toHaveLength(240);
    const btc = history.filter((b) => b.symbol === 'BTC-USD');
    expect(btc.map((b) => b.ts)).toEqual(Array.from({ length: 120 }, (_, i) => T0 - (120 - i) * MIN));
    for (const bar of history) expect(validateBar(bar)).toEqual([]);
    for (let i = 1; i < btc.length; i++) expect(btc[i].open).toBe(btc[i - 1].close);
    expect(btc[0].open).toBe(50_000);
    expect(history.find((b) => b.symbol === 'ETH-USD')?.open).toBe(3_000);
  });

  it('continues live from the close the history ends on', () => {
    const trades: Trade[] = [];
    const { feed, clock, timer } = feedAt(NOW, (t) => void trades.push(t));
    const last = feed
      .history(60)
      .filter((b) => b.symbol === 'BTC-USD')
      .at(-1) as Bar;
    feed.start();
    timer.fire(clock);
    const first = trades.find((t) => t.symbol === 'BTC-USD') as Trade;
    // One second of a 2 %-a-day process: far within 1 % of where the history ended.
    expect(Math.abs(first.price / last.close - 1)).toBeLessThan(0.01);
    feed.stop();
  });

  it('continues a stored series from its last close with only the bars after it', () => {
    const stored: Bar = {
      symbol: 'BTC-USD',
      interval: '1m',
      ts: T0 - 3 * MIN,
      open: 41_000,
      high: 41_500,
      low: 40_900,
      close: 41_234.5,
      volume: 3,
    };
    const history = feedAt(NOW).feed.history(120, new Map([['BTC-USD', stored]]));
    const btc = history.filter((b) => b.symbol === 'BTC-USD');
    expect(btc.map((b) => b.ts)).toEqual([T0 - 2 * MIN, T0 - MIN]);
    expect(btc[0].open).toBe(41_234.5);
    // A symbol with nothing stored still gets the whole history.
    expect(history.filter((b) => b.symbol === 'ETH-USD')).toHaveLength(120);
    // A series stored up to the live window gets none.
    const upToDate = feedAt(NOW).feed.history(120, new Map([['BTC-USD', { ...stored, ts: T0 - MIN }]]));
    expect(upToDate.filter((b) => b.symbol === 'BTC-USD')).toEqual([]);
  });

  it('refuses a negative or fractional bar count, naming historyBars', () => {
    const { feed } = feedAt(NOW);
    expect(() => feed.history(-1)).toThrow(/historyBars: must be an integer >= 0/);
    expect(() => feed.history(1.5)).toThrow(/historyBars/);
  });
});
