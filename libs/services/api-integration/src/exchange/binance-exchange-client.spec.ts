import { RrrError, ValidationError, type Bar, type Trade } from '@rrr/core';
import { inspect } from 'node:util';
import { HttpClient } from '../http/http-client';
import { CapturingApiLogger } from '../testing/capturing-api-logger';
import { collect } from '../testing/collect';
import { FakeBinanceServer, type FakeBinanceKline } from '../testing/fake-binance-server';
import { nextItem } from '../testing/next-item';
import { waitUntil } from '../testing/wait-until';
import { createExchangeClient } from './create-exchange-client';
import type { ExchangeClient } from './exchange-client';
import { ExchangeApiError } from './exchange-api-error';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-02T00:00:00Z');
const API_KEY = 'binance-key-AAAA1111';
const SECRET = 'binance-secret-ZZZZ9999';

function klines(count: number, skip: (i: number) => boolean = () => false): FakeBinanceKline[] {
  return Array.from({ length: count }, (_, i) => i)
    .filter((i) => !skip(i))
    .map((i) => ({
      openTime: T0 + i * MINUTE,
      open: 100 + i,
      high: 101 + i,
      low: 99 + i,
      close: 100.5 + i,
      volume: 2 + i,
    }));
}

describe('Binance through createExchangeClient', () => {
  let fake: FakeBinanceServer;
  let http: HttpClient;
  let client: ExchangeClient;
  let logger: CapturingApiLogger;
  let delays: number[];

  function connect(
    env: Record<string, string | undefined> = { BINANCE_API_KEY: API_KEY, BINANCE_SECRET: SECRET },
  ): ExchangeClient {
    return createExchangeClient({
      exchange: 'binance',
      env,
      urls: { rest: fake.restUrl, ws: fake.wsUrl },
      http,
      logger,
      reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    });
  }

  beforeEach(async () => {
    fake = await FakeBinanceServer.start({ apiKey: API_KEY, secret: SECRET, balances: { USDT: 10_000, BTC: 1 } });
    logger = new CapturingApiLogger();
    delays = [];
    http = new HttpClient({
      defaultRateLimit: { refillPerSecond: 10_000 },
      retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 10 },
      sleep: async (ms) => {
        delays.push(ms);
      },
      logger,
    });
    client = connect();
  });

  afterEach(async () => {
    await client.close();
    await http.close();
    await fake.close();
  });

  it('loads spot markets from exchangeInfo under platform symbols', async () => {
    expect(await client.loadMarkets()).toEqual([
      { symbol: 'BTC-USDT', exchangeSymbol: 'BTC/USDT', id: 'BTCUSDT', base: 'BTC', quote: 'USDT', active: true },
      { symbol: 'ETH-USDT', exchangeSymbol: 'ETH/USDT', id: 'ETHUSDT', base: 'ETH', quote: 'USDT', active: true },
    ]);
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v3/exchangeInfo']);
  });

  it("reads Binance's server time without loading markets", async () => {
    const before = Date.now();
    const time = await client.fetchTime();
    expect(time).toBeGreaterThanOrEqual(before);
    expect(time).toBeLessThanOrEqual(Date.now());
    expect(fake.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v3/time']);
  });

  it('rejects a server time that is not a number with DATA_INVALID', async () => {
    fake.injectFaults([{ status: 200, body: { serverTime: 'soon' } }], '/api/v3/time');
    await expect(client.fetchTime()).rejects.toMatchObject({ code: 'DATA_INVALID' });
  });

  it('pages through klines with since/limit until the end of the window, across gaps', async () => {
    fake.setKlines(
      'BTCUSDT',
      '1m',
      klines(30, (i) => i >= 12 && i < 16),
    );
    const bars = await collect(
      client.fetchOHLCV({ symbol: 'BTC-USDT', interval: '1m', from: T0, to: T0 + 25 * MINUTE, pageLimit: 10 }),
    );
    const expectedMinutes = Array.from({ length: 25 }, (_, i) => i).filter((i) => i < 12 || i >= 16);
    expect(bars.map((b) => (b.ts - T0) / MINUTE)).toEqual(expectedMinutes);
    expect(bars[0]).toEqual<Bar>({
      symbol: 'BTC-USDT',
      interval: '1m',
      ts: T0,
      open: 100,
      high: 101,
      low: 99,
      close: 100.5,
      volume: 2,
    });
    const pages = fake.requestsTo('/api/v3/klines').map((r) => r.query);
    expect(pages.map((q) => [q['symbol'], q['interval'], q['limit']])).toEqual(
      Array(pages.length).fill(['BTCUSDT', '1m', '10']),
    );
    expect(pages.map((q) => (Number(q['startTime']) - T0) / MINUTE)).toEqual([0, 10, 20]);
    expect(pages.map((q) => Number(q['endTime']) - T0 + 1)).toEqual([10, 20, 25].map((m) => m * MINUTE));
  });

  it('honours a 429 Retry-After from Binance in the middle of a backfill', async () => {
    fake.setKlines('BTCUSDT', '1m', klines(20));
    await client.loadMarkets();
    fake.injectFaults(
      [{ status: 429, headers: { 'retry-after': '7' }, body: { code: -1003, msg: 'Too many requests' } }],
      '/api/v3/klines',
    );
    const bars = await collect(
      client.fetchOHLCV({ symbol: 'BTC-USDT', interval: '1m', from: T0, to: T0 + 20 * MINUTE, pageLimit: 10 }),
    );
    expect(bars).toHaveLength(20);
    expect(delays).toEqual([7_000]);
    expect(fake.requestsTo('/api/v3/klines')).toHaveLength(3);
  });

  it('rejects malformed candles with DATA_INVALID naming the field', async () => {
    await client.loadMarkets();
    fake.injectFaults(
      [{ status: 200, body: [[T0, '100', 'not-a-number', '99', '100', '5', T0 + MINUTE - 1, '0', 1, '0', '0', '0']] }],
      '/api/v3/klines',
    );
    const error = (await collect(
      client.fetchOHLCV({ symbol: 'BTC-USDT', interval: '1m', from: T0, to: T0 + MINUTE }),
    ).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('DATA_INVALID');
    expect(error.problems.map((p) => p.field)).toEqual(['[0].high']);
  });

  it('places, fetches and cancels a signed limit order, mapped to core Orders', async () => {
    const placed = await client.createOrder({
      symbol: 'BTC-USDT',
      side: 'buy',
      type: 'limit',
      quantity: 0.05,
      price: 59_000,
      clientOrderId: 'rrr-limit-1',
    });
    expect(placed).toMatchObject({
      symbol: 'BTC-USDT',
      side: 'buy',
      type: 'limit',
      quantity: 0.05,
      price: 59_000,
      timeInForce: 'GTC',
      status: 'accepted',
      filledQuantity: 0,
      averageFillPrice: null,
      clientOrderId: 'rrr-limit-1',
    });
    const post = fake.requestsTo('/api/v3/order').find((r) => r.method === 'POST');
    expect(post?.headers['x-mbx-apikey']).toBe(API_KEY);
    expect(Object.fromEntries(new URLSearchParams(post?.body))).toMatchObject({
      symbol: 'BTCUSDT',
      side: 'BUY',
      type: 'LIMIT',
      quantity: '0.05',
      price: '59000',
      timeInForce: 'GTC',
      newClientOrderId: 'rrr-limit-1',
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(fake.balance('USDT')).toEqual({ free: 10_000 - 2_950, locked: 2_950 });

    expect(await client.fetchOrder(placed.id, 'BTC-USDT')).toMatchObject({ id: placed.id, status: 'accepted' });
    const cancelled = await client.cancelOrder(placed.id, 'BTC-USDT');
    expect(cancelled).toMatchObject({ id: placed.id, status: 'cancelled', filledQuantity: 0 });
    expect(fake.balance('USDT')).toEqual({ free: 10_000, locked: 0 });
  });

  it('fills a market order at the last price and reflects it in the balance', async () => {
    fake.setLastPrice('BTCUSDT', 61_000);
    const order = await client.createOrder({ symbol: 'BTC-USDT', side: 'buy', type: 'market', quantity: 0.1 });
    expect(order).toMatchObject({ type: 'market', status: 'filled', filledQuantity: 0.1, averageFillPrice: 61_000 });
    expect(order.price).toBeUndefined();
    const balances = await client.fetchBalance();
    expect(balances['BTC']).toEqual({ free: 1.1, used: 0, total: 1.1 });
    expect(balances['USDT'].free).toBeCloseTo(10_000 - 6_100, 6);
  });

  it('sends a stop-limit order as STOP_LOSS_LIMIT and maps it back', async () => {
    const order = await client.createOrder({
      symbol: 'BTC-USDT',
      side: 'sell',
      type: 'stop-limit',
      quantity: 0.2,
      price: 55_000,
      stopPrice: 55_500,
    });
    const post = fake.requestsTo('/api/v3/order').find((r) => r.method === 'POST');
    expect(Object.fromEntries(new URLSearchParams(post?.body))).toMatchObject({
      type: 'STOP_LOSS_LIMIT',
      stopPrice: '55500',
      price: '55000',
    });
    expect(order).toMatchObject({ type: 'stop-limit', price: 55_000, stopPrice: 55_500, status: 'accepted' });
  });

  it('maps Binance rejections to stable codes without leaking credentials', async () => {
    const broke = (await client
      .createOrder({ symbol: 'BTC-USDT', side: 'buy', type: 'market', quantity: 5 })
      .catch((e: unknown) => e)) as ExchangeApiError;
    expect(broke).toBeInstanceOf(ExchangeApiError);
    expect(broke.code).toBe('ORDER_INVALID');
    expect(broke.venueError).toBe('InsufficientFunds');
    expect(broke.message).toContain('Account has insufficient balance');

    const missing = (await client.fetchOrder('424242', 'BTC-USDT').catch((e: unknown) => e)) as ExchangeApiError;
    expect(missing.code).toBe('NOT_FOUND');

    await client.close();
    client = connect({ BINANCE_API_KEY: API_KEY, BINANCE_SECRET: 'wrong-secret-QQQQ7777' });
    const badSignature = (await client.fetchBalance().catch((e: unknown) => e)) as ExchangeApiError;
    expect(badSignature.code).toBe('UNAUTHORIZED');
    expect(badSignature.message).toContain('Signature for this request is not valid');

    const everything = [broke, missing, badSignature]
      .map((e) => `${e.message}\n${JSON.stringify(e.toJSON())}`)
      .concat(logger.text(), JSON.stringify(client), inspect(client, { depth: 10 }))
      .join('\n');
    for (const secret of [API_KEY, SECRET, 'wrong-secret-QQQQ7777']) expect(everything).not.toContain(secret);
    expect(client.describe().credentials).toEqual({
      apiKey: '[redacted]',
      secret: '[redacted]',
      source: 'env BINANCE_API_KEY / BINANCE_SECRET',
    });
  });

  it('refuses private calls without credentials, and unsupported orders, before sending anything', async () => {
    await client.close();
    client = connect({});
    await expect(client.fetchBalance()).rejects.toThrow(
      new RrrError('UNAUTHORIZED', 'binance fetchBalance: needs API credentials; set BINANCE_API_KEY / BINANCE_SECRET'),
    );
    await expect(
      client.createOrder({
        symbol: 'BTC-USDT',
        side: 'sell',
        type: 'trailing-stop',
        quantity: 1,
        trailingPercent: 1.5,
      }),
    ).rejects.toMatchObject({ code: 'ORDER_INVALID', problems: [{ field: 'type' }] });
    await expect(
      client.createOrder({
        symbol: 'BTC-USDT',
        side: 'buy',
        type: 'limit',
        quantity: 1,
        price: 50_000,
        timeInForce: 'DAY',
      }),
    ).rejects.toMatchObject({ code: 'ORDER_INVALID', problems: [{ field: 'timeInForce' }] });
    expect(client.describe().credentials.apiKey).toBe('(not set)');
    expect(fake.requests).toHaveLength(0);
  });

  it('streams trades to every consumer and resubscribes after the socket is dropped', async () => {
    const first = client.watchTrades('BTC-USDT');
    const second = client.watchTrades('BTC/USDT');
    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length === 1, 'the SUBSCRIBE');
    fake.publishTrade({ symbol: 'BTCUSDT', id: 1, price: 60_000, quantity: 0.5, time: T0, buyerIsMaker: true });
    const expected: Trade = { symbol: 'BTC-USDT', ts: T0, price: 60_000, quantity: 0.5, side: 'sell', id: '1' };
    expect(await nextItem(first, 'first trade')).toEqual(expected);
    expect(await nextItem(second, 'first trade on the second consumer')).toEqual(expected);

    fake.dropConnections();
    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length === 2, 'the resubscribe');
    expect(fake.subscriptionsOf('btcusdt@trade').map((r) => r.connection)).toEqual([0, 1]);
    expect(fake.wsConnections).toBe(2);
    fake.publishTrade({
      symbol: 'BTCUSDT',
      id: 2,
      price: 60_010,
      quantity: 0.1,
      time: T0 + 1_000,
      buyerIsMaker: false,
    });
    expect(await nextItem(first, 'trade after reconnect')).toMatchObject({ id: '2', side: 'buy', price: 60_010 });
    expect(await nextItem(second, 'trade after reconnect on the second consumer')).toMatchObject({ id: '2' });
    expect(logger.at('warn').some((l) => l.message === 'exchange stream disconnected; resubscribing')).toBe(true);

    await client.close();
    expect(await first.next()).toEqual({ value: undefined, done: true });
  });

  it('drops a stream whose pongs stopped, then redials and resubscribes', async () => {
    await client.close();
    await fake.close();
    fake = await FakeBinanceServer.start({ apiKey: API_KEY, secret: SECRET, autoPong: false });
    client = createExchangeClient({
      exchange: 'binance',
      env: {},
      urls: { rest: fake.restUrl, ws: fake.wsUrl },
      http,
      logger,
      heartbeatIntervalMs: 25,
      reconnect: { initialDelayMs: 10, maxDelayMs: 50 },
    });
    const trades = client.watchTrades('ETH-USDT');
    await waitUntil(() => fake.subscriptionsOf('ethusdt@trade').length >= 2, 'a resubscribe after the missed pongs');
    expect(new Set(fake.subscriptionsOf('ethusdt@trade').map((r) => r.connection)).size).toBeGreaterThanOrEqual(2);
    await waitUntil(
      () =>
        fake.publishTrade({ symbol: 'ETHUSDT', id: 9, price: 3_000, quantity: 1, time: T0, buyerIsMaker: false }) > 0,
      'a live subscription',
      3_000,
    );
    expect(await nextItem(trades, 'trade on the redialled stream')).toMatchObject({ id: '9', symbol: 'ETH-USDT' });
  });

  it('fails a stream for an unknown market instead of retrying it', async () => {
    const trades = client.watchTrades('DOGE-USDT');
    await expect(trades.next()).rejects.toMatchObject({ code: 'VALIDATION_FAILED', venueError: 'BadSymbol' });
    expect(fake.wsRequests).toHaveLength(0);
  });

  it('streams tickers and ends a stream when its signal aborts', async () => {
    const abort = new AbortController();
    const tickers = client.watchTicker('ETH-USDT', { signal: abort.signal });
    await waitUntil(() => fake.subscriptionsOf('ethusdt@ticker').length === 1, 'the ticker SUBSCRIBE');
    fake.publishTicker('ETHUSDT', { last: 3_001, bid: 3_000.5, bidQty: 4, ask: 3_001.5, askQty: 2, time: T0 });
    expect(await nextItem(tickers, 'ticker')).toEqual({
      symbol: 'ETH-USDT',
      ts: T0,
      last: 3_001,
      bid: 3_000.5,
      bidSize: 4,
      ask: 3_001.5,
      askSize: 2,
      volume24h: 1_000,
    });
    abort.abort();
    expect(await tickers.next()).toEqual({ value: undefined, done: true });
  });
});
