import { RiskRejectedError, ValidationError, type OrderRequest } from '@rrr/core';
import { makeBar } from '../testing/make-bar';
import { createOmsHarness, T0, type Harness } from '../testing/oms-harness';
import { OrderTransitionError } from '../orders/order-transition-error';

const MIN = 60_000;
const market: OrderRequest = { symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.5 };

describe('OrderManager', () => {
  let h: Harness;

  beforeEach(async () => {
    h = await createOmsHarness();
    // A first close gives the book marks (pre-trade risk needs a price for market orders).
    h.clock.set(T0 + MIN);
    await h.oms.onBar(makeBar('BTC-USD', T0, { open: 40_000 }));
    await h.oms.onBar(makeBar('ETH-USD', T0, { open: 2_000 }));
  });
  afterEach(async () => h.close());

  async function bar(symbol: string, prices: Parameters<typeof makeBar>[2]): Promise<void> {
    const ts = h.clock.now();
    h.clock.advance(MIN);
    await h.oms.onBar(makeBar(symbol, ts, prices));
    await h.oms.flush();
  }

  describe('lifecycle and persistence', () => {
    it('persists pending-new and accepted before acknowledging, and publishes each only after its write', async () => {
      const order = await h.oms.submitOrder(market);
      expect(order).toMatchObject({
        id: 'O-000000000001',
        status: 'accepted',
        version: 2,
        clientOrderId: 'O-000000000001',
      });
      const at = (entry: string) => h.log.indexOf(entry);
      expect(h.log.length).toBe(4);
      expect(at('write O-000000000001:pending-new')).toBeLessThan(
        at('publish order.submitted O-000000000001:pending-new'),
      );
      expect(at('write O-000000000001:accepted')).toBeLessThan(at('publish order.accepted O-000000000001:accepted'));
      const row = await h.db.queryOne<{ status: string; version: number }>(
        'SELECT status, version FROM orders WHERE id = ?',
        [order.id],
      );
      expect(row).toEqual({ status: 'accepted', version: 2 });
    });

    it('sends an order to a remote venue only once its pending-new record has committed (write-ahead)', async () => {
      const seenByVenue: unknown[] = [];
      const paperSubmit = h.exchange.submit.bind(h.exchange);
      Object.assign(h.exchange, {
        capabilities: { ...h.exchange.capabilities, inProcess: false },
        submit: async (o: Parameters<typeof paperSubmit>[0]) => {
          seenByVenue.push(await h.db.queryOne('SELECT status, version FROM orders WHERE id = ?', [o.id]));
          return paperSubmit(o);
        },
      });
      await h.oms.submitOrder(market);
      expect(seenByVenue).toEqual([{ status: 'pending-new', version: 1 }]);
    });

    it('fills at the next bar, then writes order, fill, position and both balances in one change set before publishing', async () => {
      const order = await h.oms.submitOrder(market);
      await bar('BTC-USD', { open: 41_000 });
      expect(h.log.slice(4)).toEqual([
        'write O-000000000001:filled fill:O-000000000001',
        'publish fill',
        'publish position',
        'publish order.filled O-000000000001:filled',
      ]);
      const filled = await h.oms.getOrder(order.id);
      expect(filled).toMatchObject({ status: 'filled', filledQuantity: 0.5, averageFillPrice: 41_000, version: 3 });
      const cost = 0.5 * 41_000;
      expect(h.portfolio.balances()).toEqual({ USD: 100_000 - cost - cost * 0.001, BTC: 0.5 });
      const balances = await h.db.query('SELECT currency, amount FROM account_balances ORDER BY currency');
      expect(balances).toEqual([
        { currency: 'BTC', amount: 0.5 },
        { currency: 'USD', amount: 100_000 - cost - cost * 0.001 },
      ]);
      expect(await h.db.query('SELECT symbol, quantity, average_entry_price FROM positions')).toEqual([
        { symbol: 'BTC-USD', quantity: 0.5, average_entry_price: 41_000 },
      ]);
    });
  });

  describe('client order ids', () => {
    it('makes a retried submit idempotent: same id and request → the same order, one row', async () => {
      const request = { ...market, clientOrderId: 'strat:BTC:1' };
      const [a, b] = await Promise.all([h.oms.submitOrder(request), h.oms.submitOrder({ ...request })]);
      const c = await h.oms.submitOrder({ ...request });
      expect(b.id).toBe(a.id);
      expect(c.id).toBe(a.id);
      expect(await h.db.query('SELECT id FROM orders')).toEqual([{ id: a.id }]);
    });

    it('answers CONFLICT for the same client order id with a different request', async () => {
      await h.oms.submitOrder({ ...market, clientOrderId: 'strat:BTC:2' });
      await expect(h.oms.submitOrder({ ...market, quantity: 0.6, clientOrderId: 'strat:BTC:2' })).rejects.toMatchObject(
        {
          code: 'CONFLICT',
          message: 'client order id strat:BTC:2 already names order O-000000000001, submitted with a different request',
        },
      );
    });

    it('recognises a retry after a restart (the id is looked up in the store)', async () => {
      const first = await h.oms.submitOrder({ ...market, clientOrderId: 'retry-me' });
      await bar('BTC-USD', { open: 40_500 });
      const restarted = await createOmsHarness({ dir: h.dir, clock: h.clock });
      try {
        const again = await restarted.oms.submitOrder({ ...market, clientOrderId: 'retry-me' });
        expect(again).toMatchObject({ id: first.id, status: 'filled' });
        const fresh = await restarted.oms.submitOrder({
          symbol: 'ETH-USD',
          side: 'buy',
          type: 'limit',
          price: 1_900,
          quantity: 0.1,
        });
        expect(fresh.id).toBe('O-000000000002');
      } finally {
        await restarted.db.close();
      }
    });
  });

  describe('bad input: rejected with a code and the field, nothing persisted but the rejection record', () => {
    const cases: Array<[string, unknown, string, string]> = [
      ['NaN quantity', { ...market, quantity: Number.NaN }, 'ORDER_INVALID', 'quantity'],
      ['negative quantity', { ...market, quantity: -1 }, 'ORDER_INVALID', 'quantity'],
      ['zero quantity', { ...market, quantity: 0 }, 'ORDER_INVALID', 'quantity'],
      ['limit without price', { ...market, type: 'limit' }, 'ORDER_INVALID', 'price'],
      ['unknown symbol', { ...market, symbol: 'DOGE-USD' }, 'ORDER_INVALID', 'symbol'],
      ['malformed symbol', { ...market, symbol: 'btc' }, 'ORDER_INVALID', 'symbol'],
      ['beyond the position limit', { ...market, quantity: 1 }, 'RISK_REJECTED', 'quantity'],
      [
        'reduce-only with nothing to reduce',
        { ...market, side: 'sell', reduceOnly: true },
        'ORDER_INVALID',
        'reduceOnly',
      ],
    ];

    it.each(cases)('%s', async (_name, request, code, field) => {
      let error: unknown;
      await h.oms.submitOrder(request).catch((e: unknown) => (error = e));
      expect(error).toMatchObject({ code });
      const fields =
        error instanceof ValidationError
          ? error.problems.map((p) => p.field)
          : [((error as RiskRejectedError).details as { field: string }).field];
      expect(fields).toEqual([field]);
      expect(await h.db.query('SELECT id FROM orders')).toEqual([]);
      const records = await h.db.query<{ code: string; problems: string }>(
        'SELECT code, problems FROM order_rejections',
      );
      expect(
        records.map((r) => [r.code, (JSON.parse(r.problems) as Array<{ field: string }>).map((p) => p.field)]),
      ).toEqual([[code, [field]]]);
      expect(h.published).toEqual([]);
    });

    it('names the risk rule and its limit (max position 20 % of equity)', async () => {
      const error = await h.oms.submitOrder({ ...market, quantity: 1 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RiskRejectedError);
      expect((error as RiskRejectedError).details).toMatchObject({
        rule: 'max-position',
        field: 'quantity',
        limit: 0.2,
      });
    });
  });

  describe('venue answers', () => {
    it('returns a venue rejection (insufficient balance) as a rejected order with the reason', async () => {
      const order = await h.oms.submitOrder({
        symbol: 'ETH-USD',
        side: 'sell',
        type: 'limit',
        price: 2_100,
        quantity: 1,
      });
      expect(order).toMatchObject({
        status: 'rejected',
        rejectReason: 'insufficient ETH balance: the order needs 1 ETH, 0 is free',
      });
      expect(h.published.map((p) => p.topic)).toEqual(['order.submitted', 'order.rejected']);
    });
  });

  describe('cancel and modify', () => {
    it('cancels a working limit order; cancelling it again names the illegal transition', async () => {
      const order = await h.oms.submitOrder({ ...market, type: 'limit', price: 39_000, quantity: 0.1 });
      expect(await h.oms.cancelOrder(order.id)).toMatchObject({ status: 'cancelled', version: 3 });
      expect(h.exchange.workingOrderIds()).toEqual([]);
      await expect(h.oms.cancelOrder(order.id)).rejects.toThrow(
        new OrderTransitionError(order.id, 'cancelled', 'cancelled'),
      );
      await expect(h.oms.cancelOrder('O-404')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('refuses to cancel a filled order with from and to named', async () => {
      const order = await h.oms.submitOrder({ ...market, quantity: 0.1 });
      await bar('BTC-USD', { open: 40_000 });
      await expect(h.oms.cancelOrder(order.id)).rejects.toThrow(
        `order ${order.id}: illegal transition filled → cancelled`,
      );
    });

    it('modifies a resting limit: the venue matches the new price', async () => {
      const order = await h.oms.submitOrder({ ...market, type: 'limit', price: 39_000, quantity: 0.1 });
      const modified = await h.oms.modifyOrder(order.id, { price: 39_600 });
      expect(modified).toMatchObject({ price: 39_600, version: 3 });
      await bar('BTC-USD', { open: 40_000, low: 39_500 });
      expect(await h.oms.getOrder(order.id)).toMatchObject({ status: 'filled', averageFillPrice: 39_600 });
    });
  });

  describe('brackets', () => {
    it('holds the exits until the entry fills, releases them sized to the fill, and one cancels the other', async () => {
      const entry = await h.oms.submitOrder({
        ...market,
        quantity: 0.2,
        bracket: { stopLoss: 38_000, takeProfit: 44_000 },
      });
      const exits = h.oms.getWorkingOrders().filter((o) => o.parentId === entry.id);
      expect(exits.map((o) => [o.bracketRole, o.status, o.type, o.side, o.reduceOnly])).toEqual([
        ['stop-loss', 'pending-new', 'stop', 'sell', true],
        ['take-profit', 'pending-new', 'limit', 'sell', true],
      ]);
      expect(h.exchange.workingOrderIds()).toEqual([entry.id]);

      await bar('BTC-USD', { open: 40_000, high: 40_100, low: 39_900 });
      expect(h.exchange.workingOrderIds()).toEqual([`${entry.id}-SL`, `${entry.id}-TP`]);
      expect((await h.oms.getOrder(`${entry.id}-TP`)).status).toBe('accepted');

      await bar('BTC-USD', { open: 42_000, high: 44_500, low: 41_900, close: 44_200 });
      expect(await h.oms.getOrder(`${entry.id}-TP`)).toMatchObject({ status: 'filled', averageFillPrice: 44_000 });
      expect(await h.oms.getOrder(`${entry.id}-SL`)).toMatchObject({ status: 'cancelled' });
      expect(h.portfolio.quantity('BTC-USD')).toBe(0);
      expect(h.portfolio.position('BTC-USD')?.realizedPnl).toBeCloseTo(0.2 * 4_000, 9);
    });

    it('cancels the held exits with the entry when it ends unfilled', async () => {
      const entry = await h.oms.submitOrder({
        ...market,
        type: 'limit',
        price: 39_000,
        quantity: 0.1,
        bracket: { stopLoss: 38_000 },
      });
      await h.oms.cancelOrder(entry.id);
      expect(await h.oms.getOrder(`${entry.id}-SL`)).toMatchObject({ status: 'cancelled' });
      expect(h.oms.getWorkingOrders()).toEqual([]);
    });
  });

  describe('time in force and triggers', () => {
    it('expires a DAY order at the session end and persists the expiry', async () => {
      const order = await h.oms.submitOrder({
        ...market,
        type: 'limit',
        price: 30_000,
        quantity: 0.1,
        timeInForce: 'DAY',
      });
      expect(order.expiresAt).toBe(Date.UTC(2024, 0, 3));
      h.clock.set(Date.UTC(2024, 0, 3) + MIN);
      await h.oms.onBar(makeBar('BTC-USD', Date.UTC(2024, 0, 3), { open: 29_000 }));
      await h.oms.flush();
      expect(await h.oms.getOrder(order.id)).toMatchObject({ status: 'expired', updatedAt: Date.UTC(2024, 0, 3) });
    });

    it('persists a trailing stop reference and its trigger', async () => {
      await h.oms.submitOrder({ ...market, quantity: 0.2 });
      await bar('BTC-USD', { open: 40_000 });
      const trailing = await h.oms.submitOrder({
        symbol: 'BTC-USD',
        side: 'sell',
        type: 'trailing-stop',
        trailingPercent: 5,
        quantity: 0.2,
        reduceOnly: true,
      });
      await bar('BTC-USD', { open: 40_000, high: 42_000, low: 39_900, close: 41_000 });
      expect(
        (
          await h.db.queryOne<{ trailing_reference: number }>('SELECT trailing_reference FROM orders WHERE id = ?', [
            trailing.id,
          ])
        )?.trailing_reference,
      ).toBe(42_000);
      await bar('BTC-USD', { open: 41_000, high: 41_000, low: 39_000, close: 39_500 });
      expect(await h.oms.getOrder(trailing.id)).toMatchObject({
        status: 'filled',
        averageFillPrice: 42_000 * 0.95,
        triggeredAt: expect.any(Number),
      });
    });
  });

  describe('failure', () => {
    it('stops (health down, calls refused) when a write fails, rather than run ahead of the database', async () => {
      await h.db.execute('DROP TABLE order_rejections');
      await expect(h.oms.submitOrder({ ...market, quantity: -1 })).rejects.toMatchObject({ code: 'DB_ERROR' });
      expect(h.oms.failed?.code).toBe('DB_ERROR');
      await expect(h.oms.submitOrder(market)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    });
  });
});
