import { openDatabase, PostgresTestSchemas, type Database, type Fill } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OmsOrder } from '../orders/oms-order';
import { orderRequestFingerprint } from '../orders/order-request-fingerprint';
import { InMemoryTradingStore } from './in-memory-trading-store';
import { SqlTradingStore } from './sql-trading-store';
import type { TradingStore } from './trading-store';

const T0 = Date.UTC(2024, 0, 2, 10);

const entry: OmsOrder = {
  id: 'O-000000000001',
  clientOrderId: 'client-1',
  symbol: 'BTC-USD',
  side: 'buy',
  type: 'limit',
  price: 40_000.25,
  quantity: 0.123456789,
  timeInForce: 'DAY',
  expiresAt: T0 + 3_600_000,
  status: 'pending-new',
  filledQuantity: 0,
  averageFillPrice: null,
  createdAt: T0,
  updatedAt: T0,
  version: 1,
  venue: 'paper',
  strategyId: 'sma-cross(20,50)',
  bracket: { stopLoss: 39_000, takeProfit: 43_000.5 },
  requestFingerprint: orderRequestFingerprint({
    symbol: 'BTC-USD',
    side: 'buy',
    type: 'limit',
    price: 40_000.25,
    quantity: 0.123456789,
    timeInForce: 'DAY',
    bracket: { stopLoss: 39_000, takeProfit: 43_000.5 },
  }),
};
const exit: OmsOrder = {
  ...entry,
  id: 'O-000000000001-SL',
  clientOrderId: 'O-000000000001-SL',
  side: 'sell',
  type: 'stop',
  price: undefined,
  stopPrice: 39_000,
  timeInForce: 'GTC',
  expiresAt: undefined,
  bracket: undefined,
  reduceOnly: true,
  parentId: entry.id,
  bracketRole: 'stop-loss',
  triggeredAt: undefined,
  requestFingerprint: '["x"]',
};
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

const fill: Fill = {
  id: 'F-000000000001',
  orderId: entry.id,
  clientOrderId: 'client-1',
  symbol: 'BTC-USD',
  side: 'buy',
  quantity: 0.1,
  price: 39_999.123456789,
  fee: 3.9999123456789,
  feeCurrency: 'USD',
  liquidity: 'maker',
  ts: T0 + 5,
};

function contract(name: string, open: () => Promise<{ store: TradingStore; close: () => Promise<void> }>): void {
  describe(name, () => {
    let store: TradingStore;
    let close: () => Promise<void>;

    beforeEach(async () => {
      ({ store, close } = await open());
    });
    afterEach(async () => close());

    it('round-trips orders field for field (bracket, expiry, trigger state, exact doubles)', async () => {
      await store.write({
        orders: [
          { order: entry, expectedVersion: null },
          { order: exit, expectedVersion: null },
        ],
      });
      const accepted: OmsOrder = {
        ...entry,
        status: 'accepted',
        version: 2,
        updatedAt: T0 + 1,
        exchangeOrderId: 'paper-1',
      };
      const triggered: OmsOrder = {
        ...exit,
        status: 'accepted',
        version: 2,
        triggeredAt: T0 + 2,
        trailingReference: 41_000.5,
      };
      await store.write({
        orders: [
          { order: accepted, expectedVersion: 1 },
          { order: triggered, expectedVersion: 1 },
        ],
      });
      expect(await store.getOrder(entry.id)).toEqual(defined(accepted));
      expect(await store.getOrder(exit.id)).toEqual(defined({ ...triggered, bracket: undefined }));
      expect(await store.findOrderByClientOrderId('client-1')).toEqual(defined(accepted));
      expect(await store.getOrder('nope')).toBeUndefined();
      const state = await store.loadState();
      expect(state.workingOrders.map((o) => o.id)).toEqual([entry.id, exit.id]);
      expect(state.lastOrderId).toBe(exit.id);
    });

    it('writes a fill with its order, position and balances atomically, and reads them back exactly', async () => {
      await store.write({ orders: [{ order: entry, expectedVersion: null }] });
      const partial: OmsOrder = {
        ...entry,
        status: 'partially-filled',
        filledQuantity: 0.1,
        averageFillPrice: fill.price,
        version: 2,
      };
      await store.write({
        orders: [{ order: partial, expectedVersion: 1 }],
        fills: [fill],
        positions: [
          {
            position: {
              symbol: 'BTC-USD',
              quantity: 0.1,
              averagePrice: fill.price,
              realizedPnl: 0,
              feesPaid: fill.fee,
              openedAt: fill.ts,
              updatedAt: fill.ts,
            },
            markPrice: 40_100.5,
          },
        ],
        balances: [
          { currency: 'USD', amount: 100_000 - 0.1 * fill.price - fill.fee, ts: fill.ts },
          { currency: 'BTC', amount: 0.1, ts: fill.ts },
        ],
      });
      expect(await store.listFills({ orderId: entry.id })).toEqual([fill]);
      const state = await store.loadState();
      expect(state.balances).toEqual({ BTC: 0.1, USD: 100_000 - 0.1 * fill.price - fill.fee });
      expect(state.positions).toEqual([
        {
          symbol: 'BTC-USD',
          quantity: 0.1,
          averagePrice: fill.price,
          realizedPnl: 0,
          feesPaid: fill.fee,
          openedAt: fill.ts,
          updatedAt: fill.ts,
        },
      ]);
      expect(state.marks).toEqual({ 'BTC-USD': 40_100.5 });
      expect(state.lastFillId).toBe(fill.id);

      const second: Fill = { ...fill, id: 'F-000000000002', quantity: 0.01, ts: fill.ts + 1 };
      await store.write({ fills: [second] });
      expect((await store.listFills()).map((f) => f.id)).toEqual([fill.id, second.id]);
      expect((await store.listFills({ newestFirst: true })).map((f) => f.id)).toEqual([second.id, fill.id]);
      expect((await store.listFills({ newestFirst: true, limit: 1 })).map((f) => f.id)).toEqual([second.id]);
    });

    it('refuses an update from a stale version (CONFLICT) and applies nothing of that change set', async () => {
      await store.write({ orders: [{ order: entry, expectedVersion: null }] });
      await store.write({ orders: [{ order: { ...entry, status: 'accepted', version: 2 }, expectedVersion: 1 }] });
      const stale = store.write({
        orders: [{ order: { ...entry, status: 'cancelled', version: 2 }, expectedVersion: 1 }],
        balances: [{ currency: 'USD', amount: 1, ts: T0 }],
      });
      await expect(stale).rejects.toMatchObject({ code: 'CONFLICT' });
      expect((await store.getOrder(entry.id))?.status).toBe('accepted');
      expect((await store.loadState()).balances).toEqual({});
    });

    it('applies many order updates of one batch together, exactly, and refuses the whole batch if one is stale', async () => {
      const orders = [1, 2, 3].map(
        (i): OmsOrder => ({
          ...entry,
          bracket: undefined,
          requestFingerprint: '[]',
          id: `O-b${i}`,
          clientOrderId: `b${i}`,
        }),
      );
      await store.write({ orders: orders.map((order) => ({ order, expectedVersion: null })) });
      const filled = orders.map((o, i) => ({
        ...o,
        status: 'filled' as const,
        filledQuantity: o.quantity,
        averageFillPrice: 40_000.000000001 + i,
        triggeredAt: T0 + i,
        version: 2,
      }));
      await Promise.all(filled.map((order) => store.write({ orders: [{ order, expectedVersion: 1 }] })));
      for (const order of filled) expect(await store.getOrder(order.id)).toEqual(defined(order));
      const writes = filled.map((order, i) =>
        store.write({
          orders: [{ order: { ...order, status: 'accepted', version: 3 }, expectedVersion: i === 1 ? 1 : 2 }],
        }),
      );
      const outcomes = await Promise.allSettled(writes);
      expect(outcomes.some((o) => o.status === 'rejected' && (o.reason as { code?: string }).code === 'CONFLICT')).toBe(
        true,
      );
      expect((await store.getOrder('O-b2'))?.status).toBe('filled');
    });

    it('keeps rejection records with the problems and the request as received (NaN shown as "NaN")', async () => {
      await store.write({
        rejections: [
          {
            ts: T0,
            code: 'ORDER_INVALID',
            symbol: 'BTC-USD',
            message: 'order request: quantity: must be a finite number (got NaN)',
            problems: [{ field: 'quantity', message: 'must be a finite number (got NaN)' }],
            request: { symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: Number.NaN },
          },
        ],
      });
      expect(await store.listRejections()).toEqual([
        {
          ts: T0,
          code: 'ORDER_INVALID',
          symbol: 'BTC-USD',
          message: 'order request: quantity: must be a finite number (got NaN)',
          problems: [{ field: 'quantity', message: 'must be a finite number (got NaN)' }],
          request: {
            symbol: 'BTC-USD',
            side: 'buy',
            type: 'market',
            quantity: name === 'InMemoryTradingStore' ? Number.NaN : 'NaN',
          },
        },
      ]);
      expect(await store.listOrders()).toEqual([]);
    });

    it('lists orders by symbol, status and time, and reads the equity history from snapshots', async () => {
      await store.write({
        orders: [
          { order: entry, expectedVersion: null },
          { order: exit, expectedVersion: null },
        ],
      });
      expect((await store.listOrders({ status: ['pending-new'], symbol: 'BTC-USD' })).length).toBe(2);
      expect(await store.listOrders({ status: 'filled' })).toEqual([]);
      expect((await store.listOrders({ since: T0 + 1 })).length).toBe(0);
      expect((await store.listOrders()).map((o) => o.id)).toEqual([entry.id, exit.id]);
      expect((await store.listOrders({ newestFirst: true })).map((o) => o.id)).toEqual([exit.id, entry.id]);
      expect((await store.listOrders({ newestFirst: true, limit: 1 })).map((o) => o.id)).toEqual([exit.id]);
      const snapshot = (ts: number, equity: number) => ({
        ts,
        cash: equity,
        equity,
        positionsValue: 0,
        grossExposure: 0,
        netExposure: 0,
        leverage: 0,
        realizedPnl: 0,
        unrealizedPnl: 0,
        feesPaid: 0,
        drawdown: 0,
        positions: [],
      });
      await store.write({ snapshots: [snapshot(T0, 100), snapshot(T0 + 10, 101)] });
      expect(await store.loadEquityHistory(T0 + 1)).toEqual([{ ts: T0 + 10, equity: 101 }]);
    });
  });
}

describe('SqlTradingStore', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'rrr-te-store-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let counter = 0;

  contract('on SQLite', async () => {
    const db = await openDatabase({ sqlitePath: join(dir, `store-${++counter}.db`) });
    return { store: new SqlTradingStore(db), close: () => db.close() };
  });

  describe('on PostgreSQL', () => {
    let schemas: PostgresTestSchemas;
    beforeAll(async () => {
      schemas = await PostgresTestSchemas.connect();
    });
    afterAll(async () => schemas?.dropAll());
    contract('(throwaway schema)', async () => {
      const { url } = await schemas.create();
      const db = await openDatabase({ url, sqlitePath: '' });
      return { store: new SqlTradingStore(db), close: () => db.close() };
    });
  });

  it('group-commits concurrent writes: one transaction for everything queued meanwhile, still in order', async () => {
    const db = await openDatabase({ sqlitePath: join(dir, 'group.db') });
    const transactions: number[] = [];
    const counting: Database = Object.create(db) as Database;
    counting.transaction = (fn) => {
      transactions.push(1);
      return db.transaction(fn);
    };
    const store = new SqlTradingStore(counting);
    const orders = Array.from(
      { length: 50 },
      (_, i): OmsOrder => ({ ...entry, bracket: undefined, id: `O-${i}`, clientOrderId: `c-${i}` }),
    );
    await Promise.all(orders.map((order) => store.write({ orders: [{ order, expectedVersion: null }] })));
    expect(transactions.length).toBe(1);
    await Promise.all(
      orders.map((order) =>
        store.write({ orders: [{ order: { ...order, status: 'accepted', version: 2 }, expectedVersion: 1 }] }),
      ),
    );
    expect(transactions.length).toBe(2);
    expect((await store.listOrders({ status: 'accepted' })).length).toBe(50);
    await db.close();
  });
});

contract('InMemoryTradingStore', async () => ({ store: new InMemoryTradingStore(), close: async () => undefined }));
