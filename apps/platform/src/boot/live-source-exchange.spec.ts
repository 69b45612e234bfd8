import { FakeBinanceServer } from '@rrr/api-integration';
import { eventually } from '../testing/eventually';
import { startTestPlatform, type TestPlatform } from '../testing/start-test-platform';
import type { Platform } from './create-platform';

const MIN = 60_000;

/**
 * The whole platform on real market data: `data.liveSource: binance` (here a local server speaking Binance's REST and
 * WebSocket APIs) gives the chart its history from the venue's candles and the paper exchange the venue's trades, so
 * a market order fills at the price the venue just traded at.
 */
describe('the platform with an exchange as its live source', () => {
  let running: TestPlatform<'trader'>;
  let fake: FakeBinanceServer;
  let platform: Platform;
  let url: string;
  let tradeKey: string;
  const now = Date.now();
  const liveFrom = Math.floor(now / MIN) * MIN;

  beforeAll(async () => {
    fake = await FakeBinanceServer.start({ markets: [{ base: 'BTC', quote: 'USDT', lastPrice: 60_000 }] });
    fake.setKlines(
      'BTCUSDT',
      '1m',
      Array.from({ length: 40 }, (_, i) => ({
        openTime: liveFrom - (40 - i) * MIN,
        open: 60_000 + i,
        high: 60_020 + i,
        low: 59_980 + i,
        close: 60_010 + i,
        volume: 3,
        trades: 12,
      })),
    );
    running = await startTestPlatform({
      tempPrefix: 'rrr-live-source-',
      keys: { trader: { scope: 'trade' } },
      config: {
        data: { symbols: ['BTC-USDT'], liveSource: 'binance', liveHistoryBars: 25 },
        paper: { quoteCurrency: 'USDT', latencyMinMs: 0, latencyMaxMs: 0 },
      },
      platformOptions: {
        apiIntegration: {
          exchanges: [{ exchange: 'binance', urls: { rest: fake.restUrl, ws: fake.wsUrl } }],
          probe: { intervalMs: 60_000 },
        },
      },
    });
    platform = running.platform;
    url = running.api;
    tradeKey = running.keys.trader;
  });

  afterAll(async () => {
    await running?.stop();
    await fake?.close();
  });

  it("stores the venue's last candles as the live pair's history", async () => {
    const response = await fetch(`${url}/bars?symbol=BTC-USDT&interval=1m&limit=100`);
    const { items } = (await response.json()) as { items: { ts: number; close: number }[] };
    expect(items.map((b) => b.ts)).toEqual(Array.from({ length: 25 }, (_, i) => liveFrom - (25 - i) * MIN));
    expect(items.at(-1)?.close).toBe(60_049);
  });

  it("prices and fills a paper market order on the venue's trades, and reports the venue as the live source", async () => {
    let tradeId = 1;
    // The venue's prints, all at one price; the trade stream is subscribed once the feed runs.
    const print = () =>
      fake.publishTrade({
        symbol: 'BTCUSDT',
        id: tradeId++,
        price: 61_234.5,
        quantity: 0.2,
        time: Date.now(),
        buyerIsMaker: true,
      });
    // Pre-trade risk needs a market price: the first print the engine sees gives it one.
    const id = await eventually(async () => {
      print();
      const placed = await fetch(`${url}/orders`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tradeKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ symbol: 'BTC-USDT', side: 'buy', type: 'market', quantity: 0.01 }),
      });
      return placed.status === 201 ? ((await placed.json()) as { id: string }).id : undefined;
    }, 'an order priced by a print of the venue');
    const order = await eventually(async () => {
      print();
      const read = (await (await fetch(`${url}/orders/${id}`)).json()) as { status: string; averageFillPrice: number };
      return read.status === 'filled' ? read : undefined;
    }, 'the order filled on a print of the venue');
    // The paper venue's taker slippage (5 bps by default) on the venue's print.
    expect(order.averageFillPrice).toBeCloseTo(61_234.5 * 1.0005, 6);
    const health = (await (await fetch(`${platform.url()}/health`)).json()) as {
      services: Record<string, { details?: Record<string, unknown> }>;
    };
    expect(health.services['data-pipeline'].details?.['live']).toMatchObject({
      symbols: ['BTC-USDT'],
      running: true,
      source: 'binance',
    });
  });
});
