import type { Trade } from '@rrr/core';
import { HttpClient } from '../http/http-client';
import { CapturingApiLogger } from '../testing/capturing-api-logger';
import { FakeCoinbaseServer, type FakeCoinbaseCandle } from '../testing/fake-coinbase-server';
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

async function next<T>(iterator: AsyncIterator<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within 3 s`)), 3_000);
  });
  try {
    const result = await Promise.race([iterator.next(), timeout]);
    if (result.done) throw new Error(`iteration ended while waiting for ${what}`);
    return result.value;
  } finally {
    clearTimeout(timer);
  }
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
    expect(await next(trades, 'trade')).toEqual<Trade>({
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
    expect(await next(trades, 'trade after reconnect')).toMatchObject({ id: 'cb-2', side: 'sell', price: 60_050 });
  });
});
