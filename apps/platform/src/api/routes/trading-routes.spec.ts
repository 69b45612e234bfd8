import { startTradingApiTestServer, type TradingApiTestServer } from '../testing/trading-api-test-server';

interface ErrorBody {
  error: {
    code: string;
    message: string;
    details?: { problems?: { field: string; message: string }[] } & Record<string, unknown>;
  };
}
interface OrderBody {
  id: string;
  clientOrderId: string;
  symbol: string;
  side: string;
  type: string;
  status: string;
  quantity: number;
  price?: number;
  filledQuantity: number;
  averageFillPrice: number | null;
  createdAt: number;
  venue: string;
  requestFingerprint?: unknown;
  version?: unknown;
}

const restingBuy = { symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.1, price: 30_000 };

describe('trading routes (orders, fills) on the real trading engine', () => {
  let t: TradingApiTestServer;

  beforeAll(async () => {
    t = await startTradingApiTestServer();
    await t.publishBar('BTC-USD', 40_000);
  });

  afterAll(async () => {
    await t.close();
  });

  const json = async <T>(response: Response): Promise<T> => (await response.json()) as T;

  it('submits, reads, lists and cancels an order; a second cancel is 409 and an unknown id 404', async () => {
    const submitted = await t.request('POST', '/api/v1/orders', { key: 'trade', body: restingBuy });
    expect(submitted.status).toBe(201);
    const order = await json<OrderBody>(submitted);
    expect(order).toMatchObject({ ...restingBuy, status: 'accepted', filledQuantity: 0, averageFillPrice: null });
    expect(order.venue).toBe('paper');
    // Internal bookkeeping stays inside the engine.
    expect(order.requestFingerprint).toBeUndefined();
    expect(order.version).toBeUndefined();

    const read = await t.request('GET', `/api/v1/orders/${order.id}`);
    expect(read.status).toBe(200);
    expect(await json<OrderBody>(read)).toEqual(order);

    const open = await json<{ items: OrderBody[] }>(await t.request('GET', '/api/v1/orders?status=open'));
    expect(open.items.map((o) => o.id)).toContain(order.id);
    expect(open.items.every((o) => ['pending-new', 'accepted', 'partially-filled'].includes(o.status))).toBe(true);

    const cancelled = await t.request('DELETE', `/api/v1/orders/${order.id}`, { key: 'trade' });
    expect(cancelled.status).toBe(200);
    expect(await json<OrderBody>(cancelled)).toMatchObject({ id: order.id, status: 'cancelled' });
    expect((await json<OrderBody>(await t.request('GET', `/api/v1/orders/${order.id}`))).status).toBe('cancelled');
    const stillOpen = await json<{ items: OrderBody[] }>(await t.request('GET', '/api/v1/orders?status=open'));
    expect(stillOpen.items.map((o) => o.id)).not.toContain(order.id);

    const again = await t.request('DELETE', `/api/v1/orders/${order.id}`, { key: 'trade' });
    expect(again.status).toBe(409);
    expect((await json<ErrorBody>(again)).error).toMatchObject({
      code: 'CONFLICT',
      details: { orderId: order.id, from: 'cancelled', to: 'cancelled' },
    });

    const unknown = await t.request('GET', '/api/v1/orders/O-999999999999');
    expect(unknown.status).toBe(404);
    expect((await json<ErrorBody>(unknown)).error.code).toBe('NOT_FOUND');
    const unknownCancel = await t.request('DELETE', '/api/v1/orders/O-999999999999', { key: 'trade' });
    expect(unknownCancel.status).toBe(404);
  });

  it('answers a retried clientOrderId with the same order, and 409 when the id names another request', async () => {
    const body = { ...restingBuy, price: 31_000, clientOrderId: 'retry-1' };
    const first = await json<OrderBody>(await t.request('POST', '/api/v1/orders', { key: 'trade', body }));
    const retry = await t.request('POST', '/api/v1/orders', { key: 'trade', body });
    expect(retry.status).toBe(201);
    expect(await json<OrderBody>(retry)).toEqual(first);
    const all = await json<{ items: OrderBody[] }>(await t.request('GET', '/api/v1/orders?limit=1000'));
    expect(all.items.filter((o) => o.clientOrderId === 'retry-1').map((o) => o.id)).toEqual([first.id]);

    const other = await t.request('POST', '/api/v1/orders', { key: 'trade', body: { ...body, price: 32_000 } });
    expect(other.status).toBe(409);
    expect((await json<ErrorBody>(other)).error).toMatchObject({
      code: 'CONFLICT',
      details: { clientOrderId: 'retry-1', orderId: first.id },
    });
    await t.request('DELETE', `/api/v1/orders/${first.id}`, { key: 'trade' });
  });

  it('needs a key to submit or cancel (401), and trade scope (403 for a read key)', async () => {
    const anonymous = await t.request('POST', '/api/v1/orders', { body: restingBuy });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toContain('Bearer');
    expect((await json<ErrorBody>(anonymous)).error.code).toBe('UNAUTHORIZED');

    const reader = await t.request('POST', '/api/v1/orders', { key: 'read', body: restingBuy });
    expect(reader.status).toBe(403);
    expect((await json<ErrorBody>(reader)).error.code).toBe('FORBIDDEN');
    expect(await t.request('DELETE', '/api/v1/orders/O-000000000001', { key: 'read' })).toHaveProperty('status', 403);
    expect(await t.request('DELETE', '/api/v1/orders/O-000000000001')).toHaveProperty('status', 401);
    // Nothing reached the OMS.
    const orders = await json<{ items: OrderBody[] }>(await t.request('GET', '/api/v1/orders?limit=1000'));
    expect(orders.items.filter((o) => o.price === restingBuy.price && o.status === 'accepted')).toEqual([]);
  });

  it('refuses an order breaking a risk limit with 422 RISK_REJECTED naming the rule', async () => {
    // 0.6 BTC at 40,000 is 24 % of the 100,000 equity: above the 20 % position limit.
    const response = await t.request('POST', '/api/v1/orders', {
      key: 'trade',
      body: { symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.6, price: 40_000 },
    });
    expect(response.status).toBe(422);
    const body = await json<ErrorBody>(response);
    expect(body.error.code).toBe('RISK_REJECTED');
    expect(body.error.details).toMatchObject({ rule: 'max-position' });
    expect(body.error.message).toContain('max-position');
  });

  it('names the offending field: schema problems (VALIDATION_FAILED) and OMS rules (ORDER_INVALID), both as body.*', async () => {
    const noPrice = await t.request('POST', '/api/v1/orders', {
      key: 'trade',
      body: { symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.1 },
    });
    expect(noPrice.status).toBe(400);
    expect((await json<ErrorBody>(noPrice)).error).toMatchObject({
      code: 'ORDER_INVALID',
      details: { problems: [{ field: 'body.price', message: 'is required for a limit order' }] },
    });

    const badSide = await t.request('POST', '/api/v1/orders', { key: 'trade', body: { ...restingBuy, side: 'hold' } });
    expect(badSide.status).toBe(400);
    expect((await json<ErrorBody>(badSide)).error).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { problems: [{ field: 'body.side', message: 'must be one of "buy", "sell"' }] },
    });

    const missing = await t.request('POST', '/api/v1/orders', { key: 'trade', body: { symbol: 'BTC-USD' } });
    expect(missing.status).toBe(400);
    expect((await json<ErrorBody>(missing)).error.details?.problems?.[0].field).toBe('body.side');

    const misspelt = await t.request('POST', '/api/v1/orders', {
      key: 'trade',
      body: { ...restingBuy, clientOrderID: 'typo-1' },
    });
    expect(misspelt.status).toBe(400);
    expect((await json<ErrorBody>(misspelt)).error.details?.problems?.[0].field).toBe('body.clientOrderID');

    const unknownSymbol = await t.request('POST', '/api/v1/orders', {
      key: 'trade',
      body: { ...restingBuy, symbol: 'DOGE-USD' },
    });
    expect(unknownSymbol.status).toBe(400);
    expect((await json<ErrorBody>(unknownSymbol)).error.details?.problems?.[0].field).toBe('body.symbol');
  });

  it('validates list queries, naming the parameter', async () => {
    const cases: [string, string, string][] = [
      ['/api/v1/orders?limit=1001', 'querystring.limit', 'must be <= 1000'],
      ['/api/v1/orders?status=done', 'querystring.status', 'must be one of "open", "pending-new"'],
      ['/api/v1/orders?symbol=btc', 'querystring.symbol', 'must'],
      ['/api/v1/fills?limit=0', 'querystring.limit', 'must be >= 1'],
    ];
    for (const [path, field, message] of cases) {
      const response = await t.request('GET', path);
      expect({ path, status: response.status }).toEqual({ path, status: 400 });
      const problem = (await json<ErrorBody>(response)).error.details?.problems?.[0];
      expect(problem?.field).toBe(field);
      expect(problem?.message).toContain(message);
    }
  });

  it('fills a market order on the next bar and lists the fill, newest first, by order and symbol', async () => {
    const first = await json<OrderBody>(
      await t.request('POST', '/api/v1/orders', {
        key: 'trade',
        body: { symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.05 },
      }),
    );
    await t.publishBar('BTC-USD', 40_100);
    const second = await json<OrderBody>(
      await t.request('POST', '/api/v1/orders', {
        key: 'trade',
        body: { symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.02 },
      }),
    );
    await t.publishBar('BTC-USD', 40_200);

    const filled = await json<OrderBody>(await t.request('GET', `/api/v1/orders/${first.id}`));
    expect(filled).toMatchObject({ status: 'filled', filledQuantity: 0.05 });
    const fills = await json<{ items: Record<string, unknown>[] }>(
      await t.request('GET', '/api/v1/fills?symbol=BTC-USD'),
    );
    expect(fills.items.map((f) => f.orderId)).toEqual([second.id, first.id]);
    expect(fills.items[1]).toEqual({
      id: expect.stringMatching(/^F-\d{12}$/),
      orderId: first.id,
      clientOrderId: first.clientOrderId,
      symbol: 'BTC-USD',
      side: 'buy',
      quantity: 0.05,
      price: filled.averageFillPrice,
      fee: expect.any(Number),
      feeCurrency: 'USD',
      liquidity: 'taker',
      ts: expect.any(Number),
    });
    const one = await json<{ items: { orderId: string }[] }>(
      await t.request('GET', `/api/v1/fills?orderId=${second.id}`),
    );
    expect(one.items.map((f) => f.orderId)).toEqual([second.id]);
    const limited = await json<{ items: { orderId: string }[] }>(await t.request('GET', '/api/v1/fills?limit=1'));
    expect(limited.items.map((f) => f.orderId)).toEqual([second.id]);
    expect((await json<{ items: unknown[] }>(await t.request('GET', '/api/v1/fills?symbol=ETH-USD'))).items).toEqual(
      [],
    );

    // Newest first: the later order comes before the earlier one.
    const orders = await json<{ items: OrderBody[] }>(await t.request('GET', '/api/v1/orders?status=filled'));
    expect(orders.items.map((o) => o.id)).toEqual([second.id, first.id]);
  });
});
