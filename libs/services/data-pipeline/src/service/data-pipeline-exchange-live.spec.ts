import { waitUntil, type ExchangeClient, type FakeBinanceServer } from '@rrr/api-integration';
import { InProcessEventBus, ManualClock, type Database, type Trade } from '@rrr/core';
import { BarStore } from '../storage/bar-store';
import { connectToFakeBinance, type FakeBinanceConnection } from '../testing/fake-binance-connection';
import { ManualFeedTimer } from '../testing/manual-feed-timer';
import { TempSqlite } from '../testing/temp-sqlite';
import { createDataPipelineService } from './data-pipeline-service';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 2, 14, 30);

/** The service's live feed on an exchange (a local server speaking Binance's API) instead of the synthetic market. */
describe('the data pipeline service with an exchange as its live source', () => {
  const temp = new TempSqlite('rrr-data-exchange-live-');
  let db: Database;
  let bus: InProcessEventBus;
  let binance: FakeBinanceConnection;
  let fake: FakeBinanceServer;
  let client: ExchangeClient;

  beforeAll(async () => {
    db = await temp.open();
    bus = new InProcessEventBus();
    binance = await connectToFakeBinance();
    ({ fake, client } = binance);
    fake.setKlines(
      'BTCUSDT',
      '1m',
      Array.from({ length: 60 }, (_, i) => ({
        openTime: T0 - (60 - i) * MIN,
        open: 60_000 + i,
        high: 60_010 + i,
        low: 59_990 + i,
        close: 60_001 + i,
        volume: 2,
        trades: 5,
      })),
    );
  });

  afterAll(async () => {
    await binance.close();
    await bus.close();
    await temp.cleanup();
  });

  it("stores the venue's recent candles as history, then publishes its live trades and the bars they make", async () => {
    const clock = new ManualClock(T0 + 10_000);
    const timer = new ManualFeedTimer();
    const trades: Trade[] = [];
    await bus.subscribe('trade', (trade) => void trades.push(trade));
    const service = createDataPipelineService(
      { db, bus, clock, timer },
      {
        symbols: ['BTC-USDT'],
        syntheticSeed: 1,
        loadBundled: false,
        live: { enabled: true, exchange: client, historyBars: 30 },
      },
    );
    await service.start();
    const store = new BarStore(db);
    const history = await store.latest({ symbol: 'BTC-USDT', interval: '1m', n: 100 });
    expect(history.map((b) => b.ts)).toEqual(Array.from({ length: 30 }, (_, i) => T0 - (30 - i) * MIN));
    expect(history.at(-1)).toMatchObject({ open: 60_059, close: 60_060, volume: 2 });

    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length > 0, 'the trade subscription');
    fake.publishTrade({
      symbol: 'BTCUSDT',
      id: 1,
      price: 60_100,
      quantity: 0.3,
      time: T0 + 15_000,
      buyerIsMaker: false,
    });
    await waitUntil(() => trades.length === 1, 'the trade on the bus');
    expect(trades[0]).toMatchObject({ symbol: 'BTC-USDT', price: 60_100, quantity: 0.3, ts: T0 + 15_000 });

    clock.set(T0 + MIN + 1_000);
    timer.fire(clock);
    await bus.idle();
    expect(service.latest('BTC-USDT', 1)).toEqual([
      expect.objectContaining({ ts: T0, open: 60_100, close: 60_100, volume: 0.3, trades: 1 }),
    ]);
    expect((await service.health()).details).toMatchObject({
      live: { symbols: ['BTC-USDT'], running: true, source: 'binance', trades: 1, bars: 1 },
    });
    await service.stop();
    // Stored on stop, with the history before it.
    expect((await store.latest({ symbol: 'BTC-USDT', interval: '1m', n: 1 }))[0]).toMatchObject({
      ts: T0,
      close: 60_100,
    });
  });
});
