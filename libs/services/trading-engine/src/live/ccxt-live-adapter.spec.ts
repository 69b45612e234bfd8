import { ConfigError, ManualClock, openDatabase, type Database } from '@rrr/core';
import { waitUntil, type ExchangeClient, type FakeBinanceServer } from '@rrr/api-integration';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OrderManager } from '../oms/order-manager';
import { sequentialIds } from '../oms/sequential-ids';
import { Portfolio } from '../portfolio/portfolio';
import { allowAllPreTradeCheck } from '../risk/pre-trade-check';
import { SqlTradingStore } from '../store/sql-trading-store';
import { startFakeBinanceVenue, type FakeBinanceVenue } from '../testing/fake-binance-venue';
import { makeBar } from '../testing/make-bar';
import { assertLiveTradingAllowed, CcxtLiveAdapter, type LiveTimers } from './ccxt-live-adapter';

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
      'live: must be true to trade on binance for real: confirm live trading explicitly with trading.live: true',
    ]);
    expect(
      problemsOf(() => assertLiveTradingAllowed({ exchange: 'binance', live: 'yes' as unknown as boolean, env: ENV })),
    ).toEqual([
      'live: must be true to trade on binance for real: confirm live trading explicitly with trading.live: true',
    ]);
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
      'live: must be true to trade on coinbase for real: confirm live trading explicitly with trading.live: true',
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
  let venue: FakeBinanceVenue;
  let fake: FakeBinanceServer;
  let client: ExchangeClient;
  let dir: string;
  let db: Database;
  let adapter: CcxtLiveAdapter;
  let oms: OrderManager;
  let portfolio: Portfolio;

  beforeEach(async () => {
    venue = await startFakeBinanceVenue(ENV, { USDT: 100_000, BTC: 1 });
    ({ fake, client } = venue);
    dir = mkdtempSync(join(tmpdir(), 'rrr-te-live-'));
    db = await openDatabase({ sqlitePath: join(dir, 'live.db') });
    const clock = new ManualClock(T0);
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
    await venue.close();
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

describe("CcxtLiveAdapter checks the venue holds the engine's capital", () => {
  let venue: FakeBinanceVenue;
  let fake: FakeBinanceServer;
  let client: ExchangeClient;
  let dir: string;
  let db: Database;
  const clock = new ManualClock(T0);

  beforeEach(async () => {
    venue = await startFakeBinanceVenue(ENV, { USDT: 25_000, BTC: 0.5, ETH: 3 });
    ({ fake, client } = venue);
    dir = mkdtempSync(join(tmpdir(), 'rrr-te-live-capital-'));
    db = await openDatabase({ sqlitePath: join(dir, 'live.db') });
  });

  afterEach(async () => {
    await venue.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  interface Started {
    adapter: CcxtLiveAdapter;
    oms: OrderManager;
    portfolio: Portfolio;
    warnings: Array<[Record<string, unknown>, string]>;
    timers: PendingTimers;
  }

  /** Starts an engine's OMS on the venue the way TradingEngine.start does: the venue first, then the book. */
  async function startOms(capital: number): Promise<Started> {
    const warnings: Started['warnings'] = [];
    const timers = new PendingTimers();
    const adapter = new CcxtLiveAdapter({
      exchange: 'binance',
      live: true,
      env: ENV,
      clock,
      client,
      timers,
      logger: { warn: (context, message) => warnings.push([context, message]) },
    });
    const portfolio = new Portfolio({ quoteCurrency: 'USDT', initialCash: capital });
    const oms = new OrderManager({
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
    return { adapter, oms, portfolio, warnings, timers };
  }

  /** A GTC limit buy of 0.12 BTC at 50,000, under the market: it rests at the venue, locking 6,000 USDT. */
  function submitRestingBuy(oms: OrderManager) {
    return oms.submitOrder({
      symbol: 'BTC-USDT',
      side: 'buy',
      type: 'limit',
      price: 50_000,
      quantity: 0.12,
      timeInForce: 'GTC',
    });
  }

  it('reports nothing before start, then the free amounts the venue reported', async () => {
    const adapter = new CcxtLiveAdapter({ exchange: 'binance', live: true, env: ENV, clock, client });
    expect(() => adapter.balancesAtStart()).toThrow('the balances at binance are known once start() has asked');
    // A resting order placed outside the engine locks 6,000 USDT: not free.
    await client.createOrder({ symbol: 'BTC-USDT', side: 'buy', type: 'limit', price: 50_000, quantity: 0.12 });
    await adapter.start();
    expect(adapter.balancesAtStart()).toEqual({ USDT: 19_000, BTC: 0.5, ETH: 3 });
    await adapter.stop();
  });

  it('opens the ledger with the capital, not what the venue holds', async () => {
    const { adapter, portfolio, warnings } = await startOms(20_000);
    expect(portfolio.balances()).toEqual({ USDT: 20_000 });
    expect(portfolio.valuation()).toMatchObject({ cash: 20_000, equity: 20_000 });
    expect(warnings).toEqual([]);
    await adapter.stop();
  });

  it('refuses a first start when less is free than the capital, naming trading.capital and both amounts', async () => {
    let refused: unknown;
    const started = await startOms(30_000).catch((error: unknown) => {
      refused = error;
    });
    expect(started).toBeUndefined();
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).message).toBe(
      'invalid live trading on binance: trading.capital: asks for 30000 USDT, but binance holds 25000 USDT free',
    );
    expect((refused as ConfigError).problems).toEqual([
      {
        field: 'trading.capital',
        message: 'asks for 30000 USDT, but binance holds 25000 USDT free',
        value: 30_000,
      },
    ]);
    // Nothing was sent: the next start, with a capital the account holds, is a first start again.
    expect(fake.requestsTo('/api/v3/order')).toEqual([]);
  });

  it('stops polling the venue when it refuses', async () => {
    const timers = new PendingTimers();
    const adapter = new CcxtLiveAdapter({ exchange: 'binance', live: true, env: ENV, clock, client, timers });
    await adapter.start();
    expect(timers.pending).toBe(1);
    await expect(adapter.restore([], { USDT: 25_000.01 }, { currency: 'USDT', firstStart: true })).rejects.toThrow(
      'trading.capital: asks for 25000.01 USDT, but binance holds 25000 USDT free',
    );
    expect(timers.pending).toBe(0);
    // Exactly what is free is enough.
    await adapter.start();
    await adapter.restore([], { USDT: 25_000 }, { currency: 'USDT', firstStart: true });
    expect(timers.pending).toBe(1);
    await adapter.stop();
  });

  it('on a restart, keeps the stored ledger and only warns when working orders lock part of its cash', async () => {
    const first = await startOms(20_000);
    await first.oms.onBar(makeBar('BTC-USDT', T0 - 60_000, { open: 60_000 }));
    await first.oms.submitOrder({ symbol: 'BTC-USDT', side: 'buy', type: 'market', quantity: 0.1 });
    const resting = await submitRestingBuy(first.oms);
    await first.oms.flush();
    // 6,000 USDT spent on the fill (the venue charged no fee) and 6,000 locked by the resting order.
    expect(fake.balance('USDT')).toEqual({ free: 13_000, locked: 6_000 });
    // The ledger books the fill with its estimated 0.1 % fee, and counts the resting order's cash as its own.
    expect(first.portfolio.cash).toBeCloseTo(20_000 - 6_000 - 6, 9);
    await first.adapter.stop();

    // The configured capital has since grown to 30,000, more than the account holds: a restart keeps its stored
    // ledger, and that 13,000 is free against its 13,994 is a warning, not a refusal.
    const second = await startOms(30_000);
    expect(second.portfolio.cash).toBeCloseTo(13_994, 9);
    expect(second.oms.getWorkingOrders().map((o) => o.id)).toEqual([resting.id]);
    expect(second.warnings).toEqual([
      [
        { venue: 'binance', currency: 'USDT', free: 13_000, ledgerCash: expect.closeTo(13_994, 9) },
        "binance holds less USDT free than the engine's ledger: its working orders should lock the rest; if they do " +
          'not, the account changed outside the engine',
      ],
    ]);
    expect(second.timers.pending).toBe(1);
    await second.adapter.stop();
  });

  it('treats a restart with working orders but no fill yet as a restart: their locked cash only warns', async () => {
    const first = await startOms(20_000);
    await first.oms.onBar(makeBar('BTC-USDT', T0 - 60_000, { open: 60_000 }));
    await submitRestingBuy(first.oms);
    await first.oms.flush();
    await first.adapter.stop();
    expect(fake.balance('USDT').free).toBe(19_000);

    const second = await startOms(20_000);
    expect(second.portfolio.cash).toBe(20_000);
    expect(second.warnings.map(([context]) => context)).toEqual([
      { venue: 'binance', currency: 'USDT', free: 19_000, ledgerCash: 20_000 },
    ]);
    await second.adapter.stop();
  });

  it('says so when a poll of the working orders fails, and polls again at the next interval', async () => {
    const started = await startOms(20_000);
    await started.oms.onBar(makeBar('BTC-USDT', T0 - 60_000, { open: 60_000 }));
    await submitRestingBuy(started.oms);
    await started.oms.flush();
    fake.injectFaults(
      [{ status: 503, body: { code: -1001, msg: 'Internal error; unable to process your request.' } }],
      '/api/v3/order',
    );
    const polls = fake.requestsTo('/api/v3/order').filter((r) => r.method === 'GET').length;
    started.timers.fire();
    await waitUntil(() => started.warnings.length === 1, 'the warning of the failed poll');
    expect(started.warnings[0][1]).toBe('could not poll working orders at binance');
    expect(started.warnings[0][0]).toMatchObject({ venue: 'binance' });
    // The next poll is scheduled, and reaches the venue again.
    await waitUntil(() => started.timers.pending === 1, 'the next poll');
    started.timers.fire();
    await waitUntil(
      () => fake.requestsTo('/api/v3/order').filter((r) => r.method === 'GET').length === polls + 2,
      'the second poll',
    );
    expect(started.warnings).toHaveLength(1);
    await started.adapter.stop();
  });

  it('leaves open a client it was given: a stream another consumer holds on it still delivers after stop()', async () => {
    const { adapter } = await startOms(20_000);
    // The platform's live feed reads trades through the same shared client.
    const trades = client.watchTrades('BTC-USDT');
    await waitUntil(() => fake.subscriptionsOf('btcusdt@trade').length === 1, 'the trade SUBSCRIBE');
    await adapter.stop();
    fake.publishTrade({ symbol: 'BTCUSDT', id: 7, price: 61_000, quantity: 0.2, time: T0, buyerIsMaker: false });
    const next = await trades.next();
    expect(next.done).toBe(false);
    expect(next.value).toMatchObject({ id: '7', price: 61_000, symbol: 'BTC-USDT' });
  });
});

/** Timers that never fire on their own: the spec reads how many polls are scheduled, and fires them by hand. */
class PendingTimers implements LiveTimers {
  private readonly handles = new Map<number, () => void>();
  private next = 0;

  get pending(): number {
    return this.handles.size;
  }

  setTimeout(callback: () => void): unknown {
    this.next += 1;
    this.handles.set(this.next, callback);
    return this.next;
  }

  clearTimeout(handle: unknown): void {
    this.handles.delete(handle as number);
  }

  /** Runs the callbacks scheduled so far (those they schedule wait for the next call). */
  fire(): void {
    const due = [...this.handles];
    this.handles.clear();
    for (const [, callback] of due) callback();
  }
}
