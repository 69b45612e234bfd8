import {
  type FakeBinanceServer,
  FakePolygonServer,
  HttpClient,
  PolygonRestClient,
  waitUntil,
  type ExchangeClient,
  type FakePolygonAggregate,
} from '@rrr/api-integration';
import type { Bar, Database, Trade } from '@rrr/core';
import { runBackfill } from '../backfill/run-backfill';
import { BarStore } from '../storage/bar-store';
import { TempSqlite } from '../testing/temp-sqlite';
import { connectToFakeBinance, fastTestHttp, type FakeBinanceConnection } from '../testing/fake-binance-connection';
import { createExchangeOhlcvSource, createExchangeTradeSource } from './exchange-sources';
import { createPolygonSource } from './polygon-source';

const MIN = 60_000;
const T0 = Date.UTC(2026, 2, 2, 14, 30);

const temp = new TempSqlite('rrr-vendor-sources-');
afterAll(() => temp.cleanup());

function aggregates(n: number): FakePolygonAggregate[] {
  return Array.from({ length: n }, (_, i) => ({
    t: T0 + i * MIN,
    o: 100 + i,
    h: 102 + i,
    l: 99 + i,
    c: 101 + i,
    v: 10 + i,
    vw: 100.5 + i,
    n: 5 + i,
  }));
}

async function stored(db: Database, symbol: string): Promise<Bar[]> {
  return (await new BarStore(db).page({ symbol, interval: '1m', limit: 10_000 })).bars;
}

describe('Polygon aggregates source', () => {
  let fake: FakePolygonServer;
  let http: HttpClient;
  let client: PolygonRestClient;

  beforeAll(async () => {
    fake = await FakePolygonServer.start({ pageSize: 7 });
    fake.setAggregates('X:BTCUSD', aggregates(40));
    http = fastTestHttp();
    client = new PolygonRestClient({ apiKey: fake.apiKey, baseUrl: fake.restUrl, http });
  });

  afterAll(async () => {
    await client.close();
    await http.close();
    await fake.close();
  });

  it('backfills [from, to) page by page, and resumes after an interruption without asking for stored bars again', async () => {
    const source = () =>
      createPolygonSource({ client, ticker: 'X:BTCUSD', interval: '1m', from: T0, to: T0 + 30 * MIN, batchSize: 10 });
    const db = await temp.open('polygon');
    const controller = new AbortController();
    await expect(
      runBackfill(db, {
        source: source(),
        signal: controller.signal,
        onBatchCommitted: (p) => {
          if (p.batches === 2) controller.abort(new Error('interrupted'));
        },
      }),
    ).rejects.toThrow('interrupted');
    expect(await stored(db, 'BTC-USD')).toHaveLength(20);
    const before = fake.requests.length;
    const result = await runBackfill(db, { source: source() });
    expect(result).toMatchObject({ status: 'completed', resumedAfter: T0 + 19 * MIN, rowsWritten: 30 });
    // The resumed read starts at the cursor + 1 ms: its first request names that window start.
    expect(fake.requests[before].path).toBe(
      `/v2/aggs/ticker/X%3ABTCUSD/range/1/minute/${T0 + 19 * MIN + 1}/${T0 + 30 * MIN - 1}`,
    );
    const bars = await stored(db, 'BTC-USD');
    expect(bars).toHaveLength(30);
    expect(bars[29]).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
      ts: T0 + 29 * MIN,
      open: 129,
      high: 131,
      low: 128,
      close: 130,
      volume: 39,
      vwap: 129.5,
      trades: 34,
    });
  });
});

describe('exchange sources (Binance through ccxt)', () => {
  let binance: FakeBinanceConnection;
  let fake: FakeBinanceServer;
  let client: ExchangeClient;

  beforeAll(async () => {
    binance = await connectToFakeBinance();
    ({ fake, client } = binance);
    fake.setKlines(
      'BTCUSDT',
      '1m',
      Array.from({ length: 25 }, (_, i) => ({
        openTime: T0 + i * MIN,
        open: 60_000 + i,
        high: 60_010 + i,
        low: 59_990 + i,
        close: 60_005 + i,
        volume: 1 + i,
        trades: 3,
      })),
    );
  });

  afterAll(() => binance.close());

  it('backfills OHLCV candles into bars', async () => {
    const db = await temp.open('binance');
    const source = createExchangeOhlcvSource({
      client,
      symbol: 'BTC-USDT',
      interval: '1m',
      from: T0,
      to: T0 + 25 * MIN,
      pageLimit: 10,
      batchSize: 8,
    });
    expect(source.describe()).toMatchObject({ name: 'exchange:binance:BTC-USDT', interval: '1m' });
    const result = await runBackfill(db, { source });
    expect(result).toMatchObject({ status: 'completed', rowsWritten: 25 });
    const bars = await stored(db, 'BTC-USDT');
    expect(bars.map((b) => b.ts)).toEqual(Array.from({ length: 25 }, (_, i) => T0 + i * MIN));
    expect(bars[3]).toMatchObject({ open: 60_003, high: 60_013, low: 59_993, close: 60_008, volume: 4 });
  });

  it('streams live trades in batches released by size or delay', async () => {
    const controller = new AbortController();
    const source = createExchangeTradeSource({ client, symbol: 'BTC-USDT', batchSize: 2, maxBatchDelayMs: 50 });
    const batches: Trade[][] = [];
    const reading = (async () => {
      for await (const batch of source.batches({ signal: controller.signal })) {
        batches.push(batch.items);
        if (batches.length === 2) controller.abort(new Error('enough'));
      }
    })();
    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length > 0, 'the trade subscription');
    for (let i = 0; i < 3; i++) {
      fake.publishTrade({
        symbol: 'BTCUSDT',
        id: i,
        price: 60_000 + i,
        quantity: 0.5,
        time: T0 + i * 1_000,
        buyerIsMaker: i % 2 === 0,
      });
    }
    await reading.catch(() => undefined);
    expect(batches.map((b) => b.map((t) => t.price))).toEqual([[60_000, 60_001], [60_002]]);
    expect(batches[0][0]).toMatchObject({ symbol: 'BTC-USDT', ts: T0, quantity: 0.5, side: 'sell', id: '0' });
  });
});
