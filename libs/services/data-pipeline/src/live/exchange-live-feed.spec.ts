import { waitUntil, type ExchangeClient, type FakeBinanceServer } from '@rrr/api-integration';
import { ManualClock, validateBar, type Bar, type Trade } from '@rrr/core';
import { connectToFakeBinance, type FakeBinanceConnection } from '../testing/fake-binance-connection';
import { ManualFeedTimer } from '../testing/manual-feed-timer';
import { ExchangeLiveFeed } from './exchange-live-feed';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 2, 14, 30);

/** Real market data through the exchange client (ccxt, REST and WebSocket) from a local server speaking Binance's API. */
describe('ExchangeLiveFeed (Binance through ccxt)', () => {
  let binance: FakeBinanceConnection;
  let fake: FakeBinanceServer;
  let client: ExchangeClient;

  beforeEach(async () => {
    binance = await connectToFakeBinance();
    ({ fake, client } = binance);
  });

  afterEach(() => binance.close());

  function feed(clock: ManualClock, timer: ManualFeedTimer, bars: Bar[] = [], trades: Trade[] = []) {
    return new ExchangeLiveFeed({
      client,
      symbols: ['BTC-USDT'],
      clock,
      timer,
      lateToleranceMs: 2_000,
      onBar: (bar) => void bars.push(bar),
      onTrade: (trade) => void trades.push(trade),
    });
  }

  it("reads the venue's candles before live time as history, only those after a stored last bar", async () => {
    fake.setKlines(
      'BTCUSDT',
      '1m',
      Array.from({ length: 30 }, (_, i) => ({
        openTime: T0 - (30 - i) * MIN,
        open: 60_000 + i,
        high: 60_010 + i,
        low: 59_990 + i,
        close: 60_005 + i,
        volume: 1 + i,
        trades: 3,
      })),
    );
    const live = feed(new ManualClock(T0 + 20_000), new ManualFeedTimer());
    const history = await live.history(10);
    expect(history.map((b) => b.ts)).toEqual(Array.from({ length: 10 }, (_, i) => T0 - (10 - i) * MIN));
    expect(history[9]).toMatchObject({ symbol: 'BTC-USDT', interval: '1m', open: 60_029, close: 60_034, volume: 30 });
    for (const bar of history) expect(validateBar(bar)).toEqual([]);

    const after = await live.history(10, new Map([['BTC-USDT', history[7]]]));
    expect(after.map((b) => b.ts)).toEqual([T0 - 2 * MIN, T0 - MIN]);
    expect(await live.history(0)).toEqual([]);
  });

  it('builds bars from the live trade stream and closes each once the clock is past it by the tolerance', async () => {
    const clock = new ManualClock(T0 + 5_000);
    const timer = new ManualFeedTimer();
    const bars: Bar[] = [];
    const trades: Trade[] = [];
    const live = feed(clock, timer, bars, trades);
    live.start();
    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length > 0, 'the trade subscription');
    const prints = [
      { id: 1, price: 60_000, quantity: 0.5, time: T0 + 1_000 },
      { id: 2, price: 60_100, quantity: 0.25, time: T0 + 20_000 },
      { id: 3, price: 59_900, quantity: 0.25, time: T0 + 59_000 },
    ];
    for (const p of prints) fake.publishTrade({ symbol: 'BTCUSDT', buyerIsMaker: false, ...p });
    await waitUntil(() => trades.length === 3, 'three trades');
    expect(trades.map((t) => [t.symbol, t.price, t.quantity])).toEqual(
      prints.map((p) => ['BTC-USDT', p.price, p.quantity]),
    );

    // Each tick runs a second later: at T0 + 1 min + 1 s the window is within the tolerance (a trade of its last
    // second may still be on its way), at + 2 s it closes.
    clock.set(T0 + MIN);
    timer.fire(clock);
    expect(bars).toEqual([]);
    timer.fire(clock);
    expect(bars).toEqual([
      {
        symbol: 'BTC-USDT',
        interval: '1m',
        ts: T0,
        open: 60_000,
        high: 60_100,
        low: 59_900,
        close: 59_900,
        volume: 1,
        vwap: (60_000 * 0.5 + 60_100 * 0.25 + 59_900 * 0.25) / 1,
        trades: 3,
      },
    ]);
    expect(live.stats).toMatchObject({
      source: 'binance',
      trades: 3,
      lateTrades: 0,
      bars: 1,
      streamErrors: 0,
      lastBarAt: T0,
    });
    await live.stop();
    expect(live.running).toBe(false);
    expect(timer.pending).toBeUndefined();
  });

  it("keeps a bar open for a print of its last seconds that arrives after the next window's first", async () => {
    const clock = new ManualClock(T0 + 30_000);
    const timer = new ManualFeedTimer();
    const bars: Bar[] = [];
    const trades: Trade[] = [];
    const live = feed(clock, timer, bars, trades);
    live.start();
    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length > 0, 'the trade subscription');
    // Out of order by 300 ms, within the 2 s tolerance: the 59.9 s print still joins its bar.
    fake.publishTrade({ symbol: 'BTCUSDT', id: 1, price: 60_000, quantity: 1, time: T0 + 10_000, buyerIsMaker: false });
    fake.publishTrade({
      symbol: 'BTCUSDT',
      id: 2,
      price: 60_500,
      quantity: 1,
      time: T0 + MIN + 200,
      buyerIsMaker: false,
    });
    fake.publishTrade({ symbol: 'BTCUSDT', id: 3, price: 59_500, quantity: 1, time: T0 + 59_900, buyerIsMaker: false });
    await waitUntil(() => trades.length === 3, 'three trades');
    clock.set(T0 + MIN + 1_000);
    timer.fire(clock);
    expect(bars).toEqual([expect.objectContaining({ ts: T0, open: 60_000, close: 59_500, low: 59_500, trades: 2 })]);
    expect(live.stats).toMatchObject({ trades: 3, lateTrades: 0, bars: 1 });
    await live.stop();
  });

  it('keeps its subscription through a dropped connection', async () => {
    const clock = new ManualClock(T0);
    const trades: Trade[] = [];
    const live = feed(clock, new ManualFeedTimer(), [], trades);
    live.start();
    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length > 0, 'the trade subscription');
    fake.dropConnections();
    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length >= 2, 'a resubscribe on a new connection');
    let id = 7;
    await waitUntil(
      () => {
        fake.publishTrade({
          symbol: 'BTCUSDT',
          id: id++,
          price: 61_000,
          quantity: 1,
          time: T0 + 1,
          buyerIsMaker: true,
        });
        return trades.length > 0;
      },
      'a trade on the resubscribed stream',
      3_000,
    );
    expect(trades[0]).toMatchObject({ symbol: 'BTC-USDT', price: 61_000 });
    await live.stop();
  });

  it('refuses bad settings, naming each', () => {
    expect(() => new ExchangeLiveFeed({ client, symbols: [], tickMs: 0, retryMs: 1.5, lateToleranceMs: -1 })).toThrow(
      /symbols: must list at least one symbol.*tickMs: must be an integer >= 1.*retryMs.*lateToleranceMs/s,
    );
  });
});
