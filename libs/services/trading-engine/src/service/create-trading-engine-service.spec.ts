import {
  createMetricsRegistry,
  InProcessEventBus,
  ManualClock,
  openDatabase,
  platformConfigSchema,
  type Database,
  type PlatformTopics,
} from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuyAndHoldStrategy } from '../strategies/buy-and-hold-strategy';
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
    const config = platformConfigSchema.parse({});
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
      createTradingEngineService({ db, bus }, { symbols: [], paper: platformConfigSchema.parse({}).paper }),
    ).toThrow(/symbols: must list at least one symbol/);
  });
});
