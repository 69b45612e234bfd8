import {
  barToRow,
  ConfigError,
  createMetricsRegistry,
  InProcessEventBus,
  ManualClock,
  openDatabase,
  platformConfigSchema,
  type Database,
  type PlatformTopics,
  type RrrError,
} from '@rrr/core';
import type { ExchangeClient } from '@rrr/api-integration';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CcxtLiveAdapter } from '../live/ccxt-live-adapter';
import { BuyAndHoldStrategy } from '../strategies/buy-and-hold-strategy';
import { SmaCrossStrategy } from '../strategies/sma-cross-strategy';
import { startFakeBinanceVenue, type FakeBinanceVenue } from '../testing/fake-binance-venue';
import { makeBar } from '../testing/make-bar';
import { createTradingEngineService, type TradingEngineService } from './create-trading-engine-service';

const T0 = Date.UTC(2024, 0, 2, 10);
const MIN = 60_000;

describe('createTradingEngineService', () => {
  let dir: string;
  let db: Database;
  let bus: InProcessEventBus<PlatformTopics>;
  let clock: ManualClock;
  let service: TradingEngineService;
  let metrics: ReturnType<typeof createMetricsRegistry>;
  const events: string[] = [];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-te-service-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    clock = new ManualClock(T0);
    bus = new InProcessEventBus<PlatformTopics>({ clock });
    events.length = 0;
    await bus.subscribe('order.*', (order, meta) => void events.push(`${meta.topic} ${order.id} ${order.status}`));
    await bus.subscribe('fill', (fill) => void events.push(`fill ${fill.orderId} ${fill.quantity}@${fill.price}`));
    await bus.subscribe('position', (p) => void events.push(`position ${p.symbol} ${p.quantity}`));
    await bus.subscribe('signal', (s) => void events.push(`signal ${s.symbol} ${s.direction}`));
    const config = platformConfigSchema().parse({});
    metrics = createMetricsRegistry();
    service = createTradingEngineService(
      { db, bus, clock, metrics, strategies: [new BuyAndHoldStrategy()] },
      {
        symbols: ['BTC-USD', 'ETH-USD'],
        paper: { ...config.paper, latencyMinMs: 0, latencyMaxMs: 0 },
        risk: config.risk,
      },
    );
  });

  afterEach(async () => {
    await service.stop();
    await bus.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function publishBar(symbol: string, open: number): Promise<void> {
    const ts = clock.now();
    clock.advance(MIN);
    await bus.publish('bar', makeBar(symbol, ts, { open }));
    await bus.idle();
    await service.engine.oms.flush();
  }

  it('is down until started; bars on the bus drive strategies, the paper venue and the published events', async () => {
    expect((await service.health()).status).toBe('down');
    await service.start();
    expect(await service.health()).toMatchObject({ status: 'up', details: { venue: 'paper', equity: 100_000 } });

    await publishBar('BTC-USD', 40_000);
    await publishBar('BTC-USD', 40_400);
    await publishBar('DOGE-USD', 1);
    expect(events).toEqual([
      'signal BTC-USD long',
      'order.submitted O-000000000001 pending-new',
      'order.accepted O-000000000001 accepted',
      `fill O-000000000001 0.25@${40_400 * 1.0005}`,
      'position BTC-USD 0.25',
      'order.filled O-000000000001 filled',
    ]);
    expect(service.positions()).toMatchObject([{ symbol: 'BTC-USD', quantity: 0.25 }]);
    expect(service.portfolio()).toMatchObject({ positionsValue: 0.25 * 40_400 });
    expect((await service.listFills()).length).toBe(1);
    const text = await metrics.metrics();
    expect(text).toContain('rrr_trading_fills_total 1');
    expect(text).toContain('rrr_trading_orders_total{status="filled"} 1');
  });

  it('serves the domain API: submit, get, list, cancel, rejections', async () => {
    await service.start();
    await publishBar('ETH-USD', 2_000);
    events.length = 0;
    const order = await service.submitOrder({
      symbol: 'ETH-USD',
      side: 'buy',
      type: 'limit',
      price: 1_500,
      quantity: 1,
    });
    expect(await service.getOrder(order.id)).toMatchObject({ status: 'accepted' });
    // The buy-and-hold strategy's market order from the first bar waits for the next one.
    expect((await service.listOrders({ status: 'accepted' })).map((o) => o.id)).toEqual(['O-000000000001', order.id]);
    expect(await service.cancelOrder(order.id)).toMatchObject({ status: 'cancelled' });
    await expect(
      service.submitOrder({ symbol: 'ETH-USD', side: 'buy', type: 'limit', quantity: 1 }),
    ).rejects.toMatchObject({
      code: 'ORDER_INVALID',
    });
    expect((await service.listRejections()).map((r) => [r.code, r.problems[0].field])).toEqual([
      ['ORDER_INVALID', 'price'],
    ]);
    await bus.idle();
    expect(events).toEqual([
      `order.submitted ${order.id} pending-new`,
      `order.accepted ${order.id} accepted`,
      `order.cancelled ${order.id} cancelled`,
    ]);
  });

  it('refuses a config without symbols or paper section, naming the key', () => {
    expect(() =>
      createTradingEngineService({ db, bus }, { symbols: [], paper: platformConfigSchema().parse({}).paper }),
    ).toThrow(/symbols: must list at least one symbol/);
  });
});

describe('createTradingEngineService after a failed write', () => {
  let dir: string;
  let db: Database;
  let bus: InProcessEventBus<PlatformTopics>;
  let clock: ManualClock;
  let service: TradingEngineService;
  let failures: RrrError[];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-te-failure-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    clock = new ManualClock(T0);
    bus = new InProcessEventBus<PlatformTopics>({ clock });
    failures = [];
    const config = platformConfigSchema().parse({});
    service = createTradingEngineService(
      { db, bus, clock, onFailure: (error) => failures.push(error) },
      { symbols: ['BTC-USD'], paper: { ...config.paper, latencyMinMs: 0, latencyMaxMs: 0 }, risk: config.risk },
    );
    await service.start();
    await nextBar(40_000);
  });

  afterEach(async () => {
    await service.stop().catch(() => undefined);
    await bus.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Market orders fill at the next bar's open. */
  async function nextBar(open: number): Promise<void> {
    const ts = clock.now();
    clock.advance(MIN);
    await bus.publish('bar', makeBar('BTC-USD', ts, { open }));
    await bus.idle();
    await service.engine.oms.flush();
  }

  const buy = (quantity: number) => ({ symbol: 'BTC-USD', side: 'buy', type: 'market', quantity });

  it('reports the failure once, refuses calls, and a start rebuilds the engine from the database', async () => {
    expect(await service.submitOrder(buy(0.1))).toMatchObject({ status: 'accepted' });
    await nextBar(40_100);
    expect(service.positions().map((p) => [p.symbol, p.quantity])).toEqual([['BTC-USD', 0.1]]);
    await db.execute('ALTER TABLE orders RENAME TO orders_away');

    await expect(service.submitOrder(buy(0.2))).rejects.toMatchObject({ code: 'DB_ERROR' });
    expect(failures.map((f) => f.code)).toEqual(['DB_ERROR']);
    expect(await service.health()).toMatchObject({ status: 'down', details: { error: failures[0].message } });
    await expect(service.submitOrder(buy(0.3))).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

    await db.execute('ALTER TABLE orders_away RENAME TO orders');
    const failed = service.engine;
    await service.stop();
    await service.start();
    expect(service.engine).not.toBe(failed);
    expect((await service.health()).status).toBe('up');
    // What committed before the failure is back; the order whose write failed never existed.
    expect(service.positions().map((p) => [p.symbol, p.quantity])).toEqual([['BTC-USD', 0.1]]);
    expect((await service.listOrders()).map((o) => o.quantity)).toEqual([0.1]);

    await nextBar(40_200);
    expect(await service.submitOrder(buy(0.05))).toMatchObject({ status: 'accepted' });
    await nextBar(40_300);
    expect(service.positions()).toHaveLength(1);
    expect(service.positions()[0].quantity).toBeCloseTo(0.15, 12);
    expect(failures).toHaveLength(1);
  });
});

describe('createTradingEngineService warming strategies from stored bars', () => {
  let dir: string;
  let db: Database;
  let bus: InProcessEventBus<PlatformTopics>;
  let clock: ManualClock;
  let service: TradingEngineService | undefined;
  const signals: string[] = [];
  // A falling then rising close: SMA(2) is above SMA(5) at the end of the stored history.
  const closes = [120, 118, 116, 114, 112, 110, 108, 107, 109, 112, 115];

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-te-warm-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    clock = new ManualClock(T0 + closes.length * MIN);
    bus = new InProcessEventBus<PlatformTopics>({ clock });
    signals.length = 0;
    await bus.subscribe('signal', (s) => void signals.push(`${s.symbol} ${s.direction} ${s.price}`));
  });

  afterEach(async () => {
    await service?.stop();
    await bus.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function serviceWith(warmUpInterval: '1m' | undefined): TradingEngineService {
    const config = platformConfigSchema().parse({});
    return createTradingEngineService(
      { db, bus, clock, strategies: [new SmaCrossStrategy({ fast: 2, slow: 5, symbols: ['BTC-USD'] })] },
      {
        symbols: ['BTC-USD'],
        paper: { ...config.paper, latencyMinMs: 0, latencyMaxMs: 0 },
        ...(warmUpInterval === undefined ? {} : { warmUpInterval }),
      },
    );
  }

  /** The history a feed stores, here after the engine started (as the platform's feed may, starting alongside). */
  async function storeHistory(): Promise<void> {
    await db.insertMany(
      'bars',
      closes.map((close, i) => barToRow(makeBar('BTC-USD', T0 + i * MIN, { open: close, close }))),
    );
  }

  async function liveBar(close: number): Promise<void> {
    const ts = clock.now();
    clock.advance(MIN);
    await bus.publish('bar', makeBar('BTC-USD', ts, { open: close, close }));
    await bus.idle();
  }

  it('feeds the newest warmupBars - 1 stored bars at the first live bar, so that bar already signals', async () => {
    service = serviceWith('1m');
    await service.start();
    await storeHistory();
    expect(await service.health()).toMatchObject({ status: 'up', details: { warmedUpBars: 0 } });
    await liveBar(118);
    expect(await service.health()).toMatchObject({ details: { warmedUpBars: 4 } });
    // Fed 107, 109, 112, 115 from the database: SMA(2) = (115 + 118) / 2 = 116.5 > SMA(5) = 561 / 5 = 112.2.
    expect(signals).toEqual(['BTC-USD long 118']);
  });

  it('does not take the live bar itself for history when the feed stored it before publishing it', async () => {
    service = serviceWith('1m');
    await service.start();
    await storeHistory();
    const live = makeBar('BTC-USD', clock.now(), { open: 118, close: 118 });
    await db.insertMany('bars', [barToRow(live)]);
    clock.advance(MIN);
    await bus.publish('bar', live);
    await bus.idle();
    expect(signals).toEqual(['BTC-USD long 118']);
    expect(await service.health()).toMatchObject({ details: { warmedUpBars: 4 } });
  });

  it('without a warm-up interval waits out the warm-up on live bars', async () => {
    service = serviceWith(undefined);
    await service.start();
    await storeHistory();
    expect((await service.health()).details).not.toHaveProperty('warmedUpBars');
    for (const close of [118, 119, 120, 121]) await liveBar(close);
    expect(signals).toEqual([]);
    await liveBar(122);
    expect(signals).toEqual(['BTC-USD long 122']);
  });
});

describe('createTradingEngineService on a live venue', () => {
  const env = { BINANCE_API_KEY: 'service-key', BINANCE_SECRET: 'service-secret' };
  let venue: FakeBinanceVenue;
  let client: ExchangeClient;
  let dir: string;
  let db: Database;
  let bus: InProcessEventBus<PlatformTopics>;
  let service: TradingEngineService | undefined;
  const clock = new ManualClock(T0);

  beforeEach(async () => {
    venue = await startFakeBinanceVenue(env, { USDT: 25_000, BTC: 0.5, ETH: 2 });
    client = venue.client;
    dir = mkdtempSync(join(tmpdir(), 'rrr-te-service-live-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    bus = new InProcessEventBus<PlatformTopics>({ clock });
  });

  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await bus.close();
    await db.close();
    await venue.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The service as the platform builds it on trading.venue binance: the ledger opens with trading.capital. */
  function liveService(capital: number): TradingEngineService {
    const config = platformConfigSchema().parse({});
    service = createTradingEngineService(
      { db, bus, clock, exchange: new CcxtLiveAdapter({ exchange: 'binance', live: true, env, clock, client }) },
      // paper.initialCash (100,000) is what a paper account starts with; the capital replaces it.
      {
        symbols: ['BTC-USDT'],
        paper: { ...config.paper, quoteCurrency: 'USDT' },
        risk: config.risk,
        initialCash: capital,
      },
    );
    return service;
  }

  it('opens the ledger with its capital out of the larger account, and reports what the venue holds', async () => {
    const live = liveService(20_000);
    expect((await live.health()).details).not.toHaveProperty('venueBalances');
    await live.start();
    expect(await live.health()).toMatchObject({
      status: 'up',
      details: { venue: 'binance', cash: 20_000, equity: 20_000, venueBalances: { USDT: 25_000, BTC: 0.5, ETH: 2 } },
    });
    expect(live.portfolio()).toMatchObject({ cash: 20_000, equity: 20_000, drawdown: 0 });
    expect(live.engine.portfolio.balances()).toEqual({ USDT: 20_000 });
  });

  it('refuses to start with more capital than the venue holds free, naming trading.capital', async () => {
    const live = liveService(30_000);
    const refused = await live.start().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ConfigError);
    expect((refused as ConfigError).message).toBe(
      'invalid live trading on binance: trading.capital: asks for 30000 USDT, but binance holds 25000 USDT free',
    );
    expect(await live.health()).toMatchObject({ status: 'down' });
  });
});

describe('createTradingEngineService initial cash', () => {
  let dir: string;
  let db: Database;
  let bus: InProcessEventBus<PlatformTopics>;
  let service: TradingEngineService;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-te-service-cash-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    bus = new InProcessEventBus<PlatformTopics>({ clock: new ManualClock(T0) });
  });

  afterEach(async () => {
    await service.stop();
    await bus.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('opens a paper ledger with config initialCash when given, else paper.initialCash', async () => {
    const config = platformConfigSchema().parse({});
    const build = (extra: { initialCash?: number }) =>
      createTradingEngineService(
        { db, bus, clock: new ManualClock(T0) },
        { symbols: ['BTC-USD'], paper: config.paper, ...extra },
      );
    service = build({ initialCash: 5_000 });
    await service.start();
    expect(service.portfolio()).toMatchObject({ cash: 5_000, equity: 5_000 });
    await service.stop();
    // No fill wrote a ledger: the next engine opens with its own initial cash, paper.initialCash by default.
    service = build({});
    await service.start();
    expect(service.portfolio()).toMatchObject({ cash: 100_000, equity: 100_000 });
  });
});
