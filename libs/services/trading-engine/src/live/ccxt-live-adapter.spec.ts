import { ConfigError, ManualClock, openDatabase, type Database } from '@rrr/core';
import { createExchangeClient, FakeBinanceServer, HttpClient, type ExchangeClient } from '@rrr/api-integration';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderManager } from '../oms/order-manager';
import { sequentialIds } from '../oms/sequential-ids';
import { Portfolio } from '../portfolio/portfolio';
import { allowAllPreTradeCheck } from '../risk/pre-trade-check';
import { SqlTradingStore } from '../store/sql-trading-store';
import { makeBar } from '../testing/make-bar';
import { assertLiveTradingAllowed, CcxtLiveAdapter } from './ccxt-live-adapter';

const T0 = Date.UTC(2024, 0, 2, 10);
const ENV = { BINANCE_API_KEY: 'live-key', BINANCE_SECRET: 'live-secret' };

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).code).toBe('CONFIG_INVALID');
    return (error as ConfigError).problems.map((p) => `${p.field}: ${p.message}`);
  }
  throw new Error('expected a ConfigError');
}

describe('CcxtLiveAdapter refuses to trade live unless told to and given credentials', () => {
  const clock = new ManualClock(T0);

  it('without live: true, names the confirmation', () => {
    expect(problemsOf(() => new CcxtLiveAdapter({ exchange: 'binance', live: false, env: ENV, clock }))).toEqual([
      'live: must be true to trade on binance for real: confirm live trading explicitly (CLI: --live)',
    ]);
    expect(
      problemsOf(() => assertLiveTradingAllowed({ exchange: 'binance', live: 'yes' as unknown as boolean, env: ENV })),
    ).toEqual(['live: must be true to trade on binance for real: confirm live trading explicitly (CLI: --live)']);
  });

  it('without credentials, names each missing variable (blank counts as missing), and everything at once', () => {
    expect(
      problemsOf(() => new CcxtLiveAdapter({ exchange: 'binance', live: true, env: { BINANCE_API_KEY: 'k' }, clock })),
    ).toEqual(['BINANCE_SECRET: is not set: live trading on binance needs it in the environment']);
    expect(
      problemsOf(
        () => new CcxtLiveAdapter({ exchange: 'coinbase', live: false, env: { COINBASE_SECRET: '  ' }, clock }),
      ),
    ).toEqual([
      'live: must be true to trade on coinbase for real: confirm live trading explicitly (CLI: --live)',
      'COINBASE_API_KEY: is not set: live trading on coinbase needs it in the environment',
      'COINBASE_SECRET: is not set: live trading on coinbase needs it in the environment',
    ]);
  });

  it('checks again on start: credentials removed since construction stop it before any request', async () => {
    const env: Record<string, string | undefined> = { ...ENV };
    const requests: string[] = [];
    const client = {
      id: 'binance' as const,
      fetchBalance: async () => {
        requests.push('fetchBalance');
        return {};
      },
    } as unknown as ExchangeClient;
    const adapter = new CcxtLiveAdapter({ exchange: 'binance', live: true, env, clock, client });
    delete env.BINANCE_SECRET;
    await expect(adapter.start()).rejects.toThrow(/BINANCE_SECRET: is not set/);
    expect(requests).toEqual([]);
  });
});

describe('CcxtLiveAdapter against the fake Binance server', () => {
  let fake: FakeBinanceServer;
  let http: HttpClient;
  let dir: string;
  let db: Database;
  let adapter: CcxtLiveAdapter;
  let oms: OrderManager;
  let portfolio: Portfolio;

  beforeEach(async () => {
    fake = await FakeBinanceServer.start({
      apiKey: ENV.BINANCE_API_KEY,
      secret: ENV.BINANCE_SECRET,
      balances: { USDT: 100_000, BTC: 1 },
    });
    http = new HttpClient({ defaultRateLimit: { refillPerSecond: 10_000 }, retry: { retries: 0 } });
    dir = mkdtempSync(join(tmpdir(), 'rrr-te-live-'));
    db = await openDatabase({ sqlitePath: join(dir, 'live.db') });
    const clock = new ManualClock(T0);
    const client = createExchangeClient({
      exchange: 'binance',
      env: ENV,
      urls: { rest: fake.restUrl, ws: fake.wsUrl },
      http,
    });
    adapter = new CcxtLiveAdapter({ exchange: 'binance', live: true, env: ENV, clock, client, pollIntervalMs: 60_000 });
    portfolio = new Portfolio({ quoteCurrency: 'USDT', initialCash: 100_000 });
    oms = new OrderManager({
      store: new SqlTradingStore(db),
      exchange: adapter,
      portfolio,
      clock,
      risk: allowAllPreTradeCheck,
      ids: sequentialIds(),
      symbols: ['BTC-USDT'],
    });
    await adapter.start();
    await oms.recover();
    await oms.onBar(makeBar('BTC-USDT', T0 - 60_000, { open: 60_000 }));
  });

  afterEach(async () => {
    await oms.flush();
    await adapter.stop();
    await http.close();
    await fake.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends a market order, learns its fill and moves the book like the venue', async () => {
    const order = await oms.submitOrder({
      symbol: 'BTC-USDT',
      side: 'buy',
      type: 'market',
      quantity: 0.1,
      clientOrderId: 'live-1',
    });
    expect(order).toMatchObject({ venue: 'binance', exchangeOrderId: expect.any(String) });
    await oms.flush();
    expect(await oms.getOrder(order.id)).toMatchObject({ status: 'filled', averageFillPrice: 60_000 });
    const placed = fake.requestsTo('/api/v3/order').filter((r) => r.method === 'POST');
    const form = placed.map((r) => new URLSearchParams(String(r.body)));
    expect(form.map((f) => [f.get('newClientOrderId'), f.get('side'), f.get('type'), f.get('quantity')])).toEqual([
      ['live-1', 'BUY', 'MARKET', '0.1'],
    ]);
    expect(fake.balance('BTC').free).toBeCloseTo(1.1, 12);
    expect(portfolio.quantity('BTC-USDT')).toBeCloseTo(0.1, 12);
    expect(portfolio.cash).toBeCloseTo(100_000 - 6_000 - 6, 9);
  });

  it('cancels a resting limit order at the venue, and reports a venue refusal as a rejected order', async () => {
    const resting = await oms.submitOrder({
      symbol: 'BTC-USDT',
      side: 'buy',
      type: 'limit',
      price: 50_000,
      quantity: 0.1,
    });
    expect(resting.status).toBe('accepted');
    await adapter.pollNow();
    expect(await oms.cancelOrder(resting.id)).toMatchObject({ status: 'cancelled' });
    expect(fake.requestsTo('/api/v3/order').map((r) => r.method)).toEqual(['POST', 'GET', 'DELETE']);
    const tooBig = await oms.submitOrder({
      symbol: 'BTC-USDT',
      side: 'buy',
      type: 'limit',
      price: 59_000,
      quantity: 5,
    });
    expect(tooBig.status).toBe('rejected');
    expect(tooBig.rejectReason).toMatch(/insufficient balance/i);
  });

  it('has no in-place modify: CONFLICT, cancel and resubmit instead', async () => {
    const resting = await oms.submitOrder({
      symbol: 'BTC-USDT',
      side: 'buy',
      type: 'limit',
      price: 50_000,
      quantity: 0.1,
    });
    await expect(oms.modifyOrder(resting.id, { price: 51_000 })).rejects.toMatchObject({
      code: 'CONFLICT',
      message: `binance cannot modify orders: cancel ${resting.id} and submit a new one`,
    });
  });
});
