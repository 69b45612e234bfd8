import type { Trade } from '@rrr/core';
import { HttpClient } from '../http/http-client';
import { CapturingApiLogger } from '../testing/capturing-api-logger';
import { FakeCoinbaseServer, type FakeCoinbaseCandle } from '../testing/fake-coinbase-server';
import { nextItem } from '../testing/next-item';
import { waitUntil } from '../testing/wait-until';
import { createExchangeClient } from './create-exchange-client';
import type { ExchangeClient } from './exchange-client';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-02T00:00:00Z');
const API_KEY = 'coinbase-key-BBBB2222';
const SECRET = 'coinbase-secret-YYYY8888';

function candles(count: number): FakeCoinbaseCandle[] {
  return Array.from({ length: count }, (_, i) => ({
    start: T0 + i * MINUTE,
    open: 60_000 + i,
    high: 60_010 + i,
    low: 59_990 + i,
    close: 60_005 + i,
    volume: 1 + i / 10,
  }));
}

describe('Coinbase through createExchangeClient', () => {
  let fake: FakeCoinbaseServer;
  let http: HttpClient;
  let client: ExchangeClient;
  let logger: CapturingApiLogger;

  function connect(
    env: Record<string, string> = { COINBASE_API_KEY: API_KEY, COINBASE_SECRET: SECRET },
  ): ExchangeClient {
    return createExchangeClient({
      exchange: 'coinbase',
      env,
      urls: { rest: fake.restUrl, ws: fake.wsUrl },
      http,
      logger,
      reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    });
  }

  beforeEach(async () => {
    fake = await FakeCoinbaseServer.start({ apiKey: API_KEY, secret: SECRET, balances: { USD: 2_500, BTC: 0.75 } });
    logger = new CapturingApiLogger();
    http = new HttpClient({
      defaultRateLimit: { refillPerSecond: 10_000 },
      retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 },
      logger,
    });
    client = connect();
  });

  afterEach(async () => {
    await client.close();
    await http.close();
    await fake.close();
  });

  it('loads spot products as platform markets', async () => {
    expect(await client.loadMarkets()).toEqual([
      { symbol: 'BTC-USD', exchangeSymbol: 'BTC/USD', id: 'BTC-USD', base: 'BTC', quote: 'USD', active: true },
      { symbol: 'ETH-USD', exchangeSymbol: 'ETH/USD', id: 'ETH-USD', base: 'ETH', quote: 'USD', active: true },
    ]);
    // The signed fee-tier call went through too, so the HMAC signature was accepted.
    expect(fake.requestsTo('/api/v3/brokerage/transaction_summary')).toHaveLength(1);
  });

  it("reads Coinbase's clock from the public v2 time endpoint", async () => {
    const before = Math.floor(Date.now() / 1_000) * 1_000;
    const time = await client.fetchTime();
    expect(time % 1_000).toBe(0);
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v2/time']);
  });

  it('pages candles through start/end windows in seconds and returns them ascending', async () => {
    fake.setCandles('BTC-USD', candles(12));
    const bars = [];
    for await (const bar of client.fetchOHLCV({
      symbol: 'BTC-USD',
      interval: '1m',
      from: T0,
      to: T0 + 12 * MINUTE,
      pageLimit: 5,
    })) {
      bars.push(bar);
    }
    expect(bars.map((b) => (b.ts - T0) / MINUTE)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(bars[3]).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
      ts: T0 + 3 * MINUTE,
      open: 60_003,
      high: 60_013,
      low: 59_993,
      close: 60_008,
      volume: 1.3,
    });
    const windows = fake.requestsTo('/api/v3/brokerage/market/products/BTC-USD/candles').map((r) => r.query);
    expect(windows.map((q) => [q['granularity'], (Number(q['start']) * 1_000 - T0) / MINUTE])).toEqual([
      ['ONE_MINUTE', 0],
      ['ONE_MINUTE', 5],
      ['ONE_MINUTE', 10],
    ]);
  });

  it('reads balances from signed Advanced Trade accounts and refuses a wrong secret', async () => {
    expect(await client.fetchBalance()).toEqual({
      BTC: { free: 0.75, used: 0, total: 0.75 },
      USD: { free: 2_500, used: 0, total: 2_500 },
    });
    await client.close();
    client = connect({ COINBASE_API_KEY: API_KEY, COINBASE_SECRET: 'wrong-coinbase-secret' });
    const error = await client.fetchBalance().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'UNAUTHORIZED' });
    const everything = `${(error as Error).message}\n${logger.text()}\n${JSON.stringify(client)}`;
    for (const secret of [API_KEY, SECRET, 'wrong-coinbase-secret']) expect(everything).not.toContain(secret);
  });

  it('streams market_trades and resubscribes after a dropped socket', async () => {
    const trades = client.watchTrades('BTC-USD');
    await waitUntil(() => fake.subscriptionsOf('market_trades', 'BTC-USD').length === 1, 'the subscribe');
    fake.publishTrade({ productId: 'BTC-USD', tradeId: 'cb-1', price: 60_100, size: 0.02, time: T0, side: 'BUY' });
    expect(await nextItem(trades, 'trade')).toEqual<Trade>({
      symbol: 'BTC-USD',
      ts: T0,
      price: 60_100,
      quantity: 0.02,
      side: 'buy',
      id: 'cb-1',
    });

    fake.dropConnections();
    await waitUntil(() => fake.subscriptionsOf('market_trades', 'BTC-USD').length === 2, 'the resubscribe');
    expect(fake.subscriptionsOf('market_trades', 'BTC-USD').map((r) => r.connection)).toEqual([0, 1]);
    fake.publishTrade({
      productId: 'BTC-USD',
      tradeId: 'cb-2',
      price: 60_050,
      size: 0.5,
      time: T0 + 500,
      side: 'SELL',
    });
    expect(await nextItem(trades, 'trade after reconnect')).toMatchObject({ id: 'cb-2', side: 'sell', price: 60_050 });
  });

  describe('orders (signed Advanced Trade order endpoints)', () => {
    const orderRequests = () =>
      fake.requests
        .filter((r) => r.path.startsWith('/api/v3/brokerage/orders'))
        .map((r) => `${r.method} ${r.path.replace(/[0-9a-f-]{36}$/, '{id}')}`);

    it('places a limit buy that rests under our client order id, reads it back and cancels it', async () => {
      const placed = await client.createOrder({
        symbol: 'BTC-USD',
        side: 'buy',
        type: 'limit',
        quantity: 0.01,
        price: 59_000,
        clientOrderId: 'rrr-limit-1',
      });
      expect(placed).toMatchObject({
        clientOrderId: 'rrr-limit-1',
        symbol: 'BTC-USD',
        side: 'buy',
        type: 'limit',
        quantity: 0.01,
        price: 59_000,
        timeInForce: 'GTC',
        status: 'accepted',
        filledQuantity: 0,
        averageFillPrice: null,
      });
      expect(fake.order(placed.id)).toMatchObject({ clientOrderId: 'rrr-limit-1', status: 'OPEN', limitPrice: 59_000 });
      const sent = JSON.parse(fake.requestsTo('/api/v3/brokerage/orders')[0].body) as Record<string, unknown>;
      expect(sent).toEqual({
        client_order_id: 'rrr-limit-1',
        product_id: 'BTC-USD',
        side: 'BUY',
        order_configuration: { limit_limit_gtc: { base_size: '0.01', limit_price: '59000', post_only: false } },
      });

      expect(await client.fetchOrder(placed.id, 'BTC-USD')).toEqual(placed);
      const cancelled = await client.cancelOrder(placed.id, 'BTC-USD');
      expect(cancelled).toMatchObject({ id: placed.id, status: 'cancelled', filledQuantity: 0, quantity: 0.01 });
      expect(fake.order(placed.id)?.status).toBe('CANCELLED');
      // Create and cancel answer with ids only; the client reads the order back each time.
      expect(orderRequests()).toEqual([
        'POST /api/v3/brokerage/orders',
        'GET /api/v3/brokerage/orders/historical/{id}',
        'GET /api/v3/brokerage/orders/historical/{id}',
        'POST /api/v3/brokerage/orders/batch_cancel',
        'GET /api/v3/brokerage/orders/historical/{id}',
      ]);
    });

    it('fills a market sell at once and a resting limit once the price crosses it', async () => {
      const sold = await client.createOrder({ symbol: 'BTC-USD', side: 'sell', type: 'market', quantity: 0.25 });
      expect(sold).toMatchObject({ type: 'market', status: 'filled', quantity: 0.25, filledQuantity: 0.25 });
      expect(sold.averageFillPrice).toBe(60_000);
      expect(fake.balance('BTC')).toBeCloseTo(0.5, 12);
      expect(fake.balance('USD')).toBeCloseTo(2_500 + 15_000 * (1 - 0.006), 9);

      const resting = await client.createOrder({
        symbol: 'BTC-USD',
        side: 'sell',
        type: 'limit',
        quantity: 0.1,
        price: 61_000,
      });
      expect(resting.status).toBe('accepted');
      fake.setPrice('BTC-USD', 61_500);
      expect(await client.fetchOrder(resting.id, 'BTC-USD')).toMatchObject({
        status: 'filled',
        filledQuantity: 0.1,
        averageFillPrice: 61_000,
      });
    });

    it('sizes a market buy in quote from the best ask, as Advanced Trade requires', async () => {
      const bought = await client.createOrder({ symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.02 });
      expect(bought).toMatchObject({ side: 'buy', type: 'market', status: 'filled', filledQuantity: 0.02 });
      const sent = JSON.parse(fake.requestsTo('/api/v3/brokerage/orders')[0].body) as {
        order_configuration: unknown;
      };
      // 0.02 BTC × the 60,000 ask.
      expect(sent.order_configuration).toEqual({ market_market_ioc: { quote_size: '1200' } });
      expect(fake.requestsTo('/api/v3/brokerage/market/products/BTC-USD/ticker')).toHaveLength(1);
    });

    it('reports an order the account cannot pay as ORDER_INVALID, and an unknown order as NOT_FOUND', async () => {
      const tooBig = await client
        .createOrder({ symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 1, price: 60_000 })
        .catch((e: unknown) => e);
      expect(tooBig).toMatchObject({ code: 'ORDER_INVALID' });
      expect((tooBig as Error).message).toMatch(/Insufficient balance in source account/);
      const unknown = await client
        .fetchOrder('11111111-0000-4000-8000-999999999999', 'BTC-USD')
        .catch((e: unknown) => e);
      expect(unknown).toMatchObject({ code: 'NOT_FOUND' });
    });
  });

  it('streams ticker updates (price, touch, sizes, 24 h volume)', async () => {
    const tickers = client.watchTicker('BTC-USD');
    await waitUntil(() => fake.subscriptionsOf('ticker', 'BTC-USD').length === 1, 'the ticker subscribe');
    fake.publishTicker({
      productId: 'BTC-USD',
      price: 60_120.5,
      bestBid: 60_120,
      bestBidQuantity: 0.4,
      bestAsk: 60_121,
      bestAskQuantity: 0.25,
      volume24h: 1_234.5,
    });
    expect(await nextItem(tickers, 'ticker')).toMatchObject({
      symbol: 'BTC-USD',
      last: 60_120.5,
      bid: 60_120,
      bidSize: 0.4,
      ask: 60_121,
      askSize: 0.25,
      volume24h: 1_234.5,
    });
    fake.publishTicker({
      productId: 'BTC-USD',
      price: 60_090,
      bestBid: 60_089,
      bestBidQuantity: 1,
      bestAsk: 60_091,
      bestAskQuantity: 2,
      volume24h: 1_240,
    });
    expect(await nextItem(tickers, 'second ticker')).toMatchObject({ last: 60_090, bid: 60_089, ask: 60_091 });
    expect(fake.subscriptionsOf('ticker', 'ETH-USD')).toEqual([]);
  });
});
