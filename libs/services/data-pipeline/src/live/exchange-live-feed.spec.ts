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

  const running: ExchangeLiveFeed[] = [];
  afterEach(async () => {
    // A failed expectation must not leave a feed retrying its stream after the fake has closed.
    await Promise.all(running.splice(0).map((live) => live.stop()));
    await binance.close();
  });

  /** A BTC-USDT feed with a 2 s tolerance on a manual clock and timer, recording what it emits; not started. */
  function feed(now: number, retryMs?: number) {
    const clock = new ManualClock(now);
    const timer = new ManualFeedTimer();
    const bars: Bar[] = [];
    const trades: Trade[] = [];
    const errors: Error[] = [];
    const live = new ExchangeLiveFeed({
      client,
      retryMs,
      symbols: ['BTC-USDT'],
      clock,
      timer,
      lateToleranceMs: 2_000,
      onBar: (bar) => void bars.push(bar),
      onTrade: (trade) => void trades.push(trade),
      onError: (error) => void errors.push(error as Error),
    });
    running.push(live);
    return { live, clock, timer, bars, trades, errors };
  }

  /** `feed`, started and subscribed to the venue's trade stream. */
  async function started(now: number, retryMs?: number) {
    const harness = feed(now, retryMs);
    harness.live.start();
    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length > 0, 'the trade subscription');
    return harness;
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
    const { live } = feed(T0 + 20_000);
    const history = await live.history(10);
    expect(history.map((b) => b.ts)).toEqual(Array.from({ length: 10 }, (_, i) => T0 - (10 - i) * MIN));
    expect(history[9]).toMatchObject({ symbol: 'BTC-USDT', interval: '1m', open: 60_029, close: 60_034, volume: 30 });
    for (const bar of history) expect(validateBar(bar)).toEqual([]);

    const after = await live.history(10, new Map([['BTC-USDT', history[7]]]));
    expect(after.map((b) => b.ts)).toEqual([T0 - 2 * MIN, T0 - MIN]);
    expect(await live.history(0)).toEqual([]);
  });

  it('builds bars from the live trade stream and closes each once the clock is past it by the tolerance', async () => {
    const { live, clock, timer, bars, trades } = await started(T0 + 5_000);
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
    const { live, clock, timer, bars, trades } = await started(T0 + 30_000);
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
  });

  it('keeps its subscription through a dropped connection', async () => {
    const { trades } = await started(T0);
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
  });

  describe('repairing the bars of windows whose trades the stream lost', () => {
    const print = (id: number, price: number, time: number) =>
      fake.publishTrade({ symbol: 'BTCUSDT', id, price, quantity: 0.5, time, buyerIsMaker: false });
    const kline = (openTime: number, base: number) => ({
      openTime,
      open: base,
      high: base + 300,
      low: base - 300,
      close: base + 50,
      volume: 4.25,
      trades: 9,
    });
    const candleOf = (k: ReturnType<typeof kline>): Bar => ({
      symbol: 'BTC-USDT',
      interval: '1m',
      ts: k.openTime,
      open: k.open,
      high: k.high,
      low: k.low,
      close: k.close,
      volume: k.volume,
    });

    it("emits the venue's candle for a window with a jump in trade ids, and holds the next bar until it is out", async () => {
      fake.setKlines('BTCUSDT', '1m', [kline(T0, 60_000)]);
      // The candle arrives late, so the next window closes while the repair is under way.
      fake.injectFaults([{ delayMs: 200 }], '/api/v3/klines');
      const { live, clock, timer, bars, trades, errors } = await started(T0 + 5_000);
      print(1, 60_000, T0 + 1_000);
      print(2, 60_100, T0 + 10_000);
      // Trades 3 and 4 never reach the feed.
      print(5, 60_200, T0 + 40_000);
      print(6, 60_150, T0 + MIN + 5_000);
      await waitUntil(() => trades.length === 4, 'four trades');
      expect(live.stats).toMatchObject({ gaps: 1, repairedBars: 0 });

      clock.set(T0 + 2 * MIN + 1_000);
      timer.fire(clock);
      // Both windows closed; the built bar of the second waits behind the first's repair.
      expect(bars).toEqual([]);
      await waitUntil(() => bars.length === 2, 'the repaired bar and the one after it');
      expect(bars).toEqual([
        candleOf(kline(T0, 60_000)),
        expect.objectContaining({ ts: T0 + MIN, open: 60_150, close: 60_150, volume: 0.5, trades: 1 }),
      ]);
      const requests = fake.requestsTo('/api/v3/klines');
      expect(requests).toHaveLength(1);
      expect(requests[0].query).toMatchObject({ symbol: 'BTCUSDT', interval: '1m', startTime: String(T0) });
      expect(live.stats).toMatchObject({ bars: 2, gaps: 1, repairedBars: 1, repairFailures: 0, lastBarAt: T0 + MIN });
      expect(errors).toEqual([]);
    });

    it('repairs every window of an outage after a dropped socket, those without a trade received included', async () => {
      const klines = [kline(T0, 60_000), kline(T0 + MIN, 60_400), kline(T0 + 2 * MIN, 60_800)];
      fake.setKlines('BTCUSDT', '1m', klines);
      const { live, clock, timer, bars, trades, errors } = await started(T0 + 5_000);
      print(1, 60_000, T0 + 1_000);
      print(2, 60_100, T0 + 20_000);
      await waitUntil(() => trades.length === 2, 'two trades');

      fake.dropConnections();
      // Printed while the socket is down: lost.
      print(3, 60_500, T0 + 50_000);
      print(4, 60_600, T0 + MIN + 30_000);
      await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length >= 2, 'a resubscribe on a new connection');
      let id = 5;
      await waitUntil(
        () => {
          print(id++, 60_900, T0 + 2 * MIN + 10_000);
          return trades.length > 2;
        },
        'a trade on the resubscribed stream',
        3_000,
      );

      clock.set(T0 + 3 * MIN + 1_000);
      timer.fire(clock);
      await waitUntil(() => bars.length === 3, 'the three repaired bars');
      expect(bars).toEqual(klines.map(candleOf));
      const requests = fake.requestsTo('/api/v3/klines');
      expect(requests).toHaveLength(1);
      expect(requests[0].query).toMatchObject({ startTime: String(T0) });
      expect(live.stats).toMatchObject({ gaps: 1, repairedBars: 3, repairFailures: 0, streamErrors: 0 });
      expect(errors).toEqual([]);
    });

    it('holds the windows of a failed stream until it is back, then repairs them', async () => {
      const klines = [kline(T0, 60_000), kline(T0 + MIN, 60_400)];
      fake.setKlines('BTCUSDT', '1m', klines);
      const { live, clock, timer, bars, trades, errors } = await started(T0 + 5_000, 20);
      print(1, 60_000, T0 + 1_000);
      print(2, 60_100, T0 + 20_000);
      await waitUntil(() => trades.length === 2, 'two trades');
      // Binance refusing the subscription fails the client's stream, and the feed watches it again after retryMs.
      const [subscription] = fake.subscriptionsOf('btcusdt@trade');
      fake.sendRaw(JSON.stringify({ error: { code: 2, msg: 'Invalid request: invalid stream' }, id: subscription.id }));
      await waitUntil(() => live.stats.streamErrors === 1, 'the stream failure');

      // The first window closes during the outage: it may lack trades, so it waits.
      clock.set(T0 + MIN + 1_000);
      timer.fire(clock);
      expect(bars).toEqual([]);
      // Prints before the feed is back on the stream are lost; the failure had already marked the windows damaged.
      let id = 3;
      await waitUntil(
        () => {
          print(id++, 60_900, T0 + MIN + 30_000);
          return trades.length > 2;
        },
        'a trade on the stream watched again',
        3_000,
      );
      clock.set(T0 + 2 * MIN + 1_000);
      timer.fire(clock);
      await waitUntil(() => bars.length === 2, 'the two repaired bars');
      expect(bars).toEqual(klines.map(candleOf));
      expect(fake.requestsTo('/api/v3/klines').map((r) => r.query['startTime'])).toEqual([String(T0)]);
      expect(live.stats).toMatchObject({ gaps: 1, streamErrors: 1, repairedBars: 2, repairFailures: 0 });
      expect(errors.map((e) => e.message)).toEqual([expect.stringMatching(/^binance trades of BTC-USDT: /)]);
    });

    it('reports the bars that went out before the gap was seen, and repairs the windows still open', async () => {
      const klines = [kline(T0, 60_000), kline(T0 + MIN, 60_400)];
      fake.setKlines('BTCUSDT', '1m', klines);
      const { live, clock, timer, bars, trades, errors } = await started(T0 + 5_000);
      print(1, 60_000, T0 + 10_000);
      await waitUntil(() => trades.length === 1, 'the first trade');
      clock.set(T0 + MIN + 1_000);
      timer.fire(clock);
      expect(bars.map((b) => [b.ts, b.close, b.trades])).toEqual([[T0, 60_000, 1]]);

      print(5, 60_500, T0 + MIN + 30_000);
      await waitUntil(() => trades.length === 2, 'the trade after the gap');
      clock.set(T0 + 2 * MIN + 1_000);
      timer.fire(clock);
      await waitUntil(() => bars.length === 2, 'the repaired second bar');
      expect(bars[1]).toEqual(candleOf(klines[1]));
      expect(fake.requestsTo('/api/v3/klines').map((r) => r.query['startTime'])).toEqual([String(T0 + MIN)]);
      expect(errors.map((e) => e.message)).toEqual([
        'binance live feed: BTC-USDT 1m bars 2026-03-02T14:30:00.000Z to 2026-03-02T14:31:00.000Z were emitted ' +
          'before a gap in the trades was seen (trade 5 followed trade 1); they may lack trades',
      ]);
      expect(live.stats).toMatchObject({ bars: 2, gaps: 1, repairedBars: 1, repairFailures: 0 });
    });

    it('emits the bar built from the trades and reports the symbol and window when the candles cannot be read', async () => {
      fake.setKlines('BTCUSDT', '1m', [kline(T0, 60_000)]);
      const { live, clock, timer, bars, trades, errors } = await started(T0 + 5_000);
      print(1, 60_000, T0 + 1_000);
      print(4, 60_200, T0 + 30_000);
      await waitUntil(() => trades.length === 2, 'two trades');
      // More failures than the client's retries.
      fake.injectFaults(
        Array.from({ length: 5 }, () => ({ status: 503, body: { code: -1008, msg: 'Service unavailable.' } })),
        '/api/v3/klines',
      );

      clock.set(T0 + MIN + 1_000);
      timer.fire(clock);
      await waitUntil(() => bars.length === 1, 'the partial bar');
      expect(bars).toEqual([
        {
          symbol: 'BTC-USDT',
          interval: '1m',
          ts: T0,
          open: 60_000,
          high: 60_200,
          low: 60_000,
          close: 60_200,
          volume: 1,
          vwap: 60_100,
          trades: 2,
        },
      ]);
      expect(errors).toHaveLength(1);
      expect(errors[0].message).toMatch(
        /^binance live feed: repairing BTC-USDT 1m bars 2026-03-02T14:30:00\.000Z to 2026-03-02T14:31:00\.000Z .*failed.*emitted the 1 bar\(s\) built from the trades received$/,
      );
      expect(live.stats).toMatchObject({ bars: 1, gaps: 1, repairedBars: 0, repairFailures: 1 });
    });

    it('asks the venue for no candle when the trade ids run without a gap', async () => {
      fake.setKlines('BTCUSDT', '1m', [kline(T0, 60_000), kline(T0 + MIN, 60_400)]);
      const { live, clock, timer, bars, trades } = await started(T0 + 5_000);
      print(41, 60_000, T0 + 1_000);
      print(42, 60_100, T0 + 50_000);
      print(43, 60_300, T0 + MIN + 10_000);
      await waitUntil(() => trades.length === 3, 'three trades');
      clock.set(T0 + 2 * MIN + 1_000);
      timer.fire(clock);
      expect(bars.map((b) => [b.ts, b.open, b.close, b.trades])).toEqual([
        [T0, 60_000, 60_100, 2],
        [T0 + MIN, 60_300, 60_300, 1],
      ]);
      expect(fake.requestsTo('/api/v3/klines')).toEqual([]);
      expect(live.stats).toMatchObject({ bars: 2, gaps: 0, repairedBars: 0, repairFailures: 0 });
    });
  });

  it('refuses bad settings, naming each', () => {
    expect(() => new ExchangeLiveFeed({ client, symbols: [], tickMs: 0, retryMs: 1.5, lateToleranceMs: -1 })).toThrow(
      /symbols: must list at least one symbol.*tickMs: must be an integer >= 1.*retryMs.*lateToleranceMs/s,
    );
  });
});
