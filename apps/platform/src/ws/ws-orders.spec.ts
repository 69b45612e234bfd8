import type { Order, OrderRequest } from '@rrr/core';
import { startApiTestServer, type ApiTestServer } from './testing/api-test-server';
import { WsTestClient } from './testing/ws-test-client';
import type { PlaceOrder, PlaceOrderContext } from './place-order';

const T0 = Date.UTC(2026, 0, 5, 9, 30);
const REQUEST: OrderRequest = { symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.5, price: 50_000 };

/** A placeOrder that records its calls and acknowledges like an OMS would. */
function recordingPlaceOrder(): PlaceOrder & { calls: Array<[OrderRequest, PlaceOrderContext]> } {
  const calls: Array<[OrderRequest, PlaceOrderContext]> = [];
  const place: PlaceOrder = async (request, context) => {
    calls.push([request, context]);
    const order: Order = {
      ...request,
      id: `ord-${calls.length}`,
      clientOrderId: `cli-${calls.length}`,
      timeInForce: 'GTC',
      status: 'accepted',
      filledQuantity: 0,
      averageFillPrice: null,
      createdAt: T0,
      updatedAt: T0,
    };
    return order;
  };
  return Object.assign(place, { calls });
}

describe('WebSocket gateway: authentication and order placement', () => {
  let server: ApiTestServer;
  let placeOrder: ReturnType<typeof recordingPlaceOrder>;
  let clients: WsTestClient[];
  let keys: Record<'read' | 'trade' | 'admin', { id: string; token: string }>;

  const connect = async (headers?: Record<string, string>) => {
    const client = await WsTestClient.connect(server.wsUrl, headers);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    placeOrder = recordingPlaceOrder();
    server = await startApiTestServer({
      placeOrder,
      ws: { maxAuthFailures: 2, ordersPerKey: { capacity: 3, refillPerSecond: 0.001 } },
    });
    clients = [];
    const make = async (scope: 'read' | 'trade' | 'admin') => {
      const { key, token } = await server.apiKeys.create({ name: scope, scope });
      return { id: key.id, token };
    };
    keys = { read: await make('read'), trade: await make('trade'), admin: await make('admin') };
  });

  afterEach(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  it('refuses an order on an unauthenticated connection with UNAUTHORIZED, without closing it', async () => {
    const client = await connect();
    expect(await client.request({ op: 'order', id: 1, request: REQUEST })).toEqual({
      op: 'error',
      id: 1,
      error: {
        code: 'UNAUTHORIZED',
        message: 'placing orders needs an authenticated connection: send {"op":"auth","key":"<api key>"} first',
      },
    });
    expect(placeOrder.calls).toEqual([]);
    expect(await client.request({ op: 'ping', id: 2 })).toMatchObject({ op: 'pong' });
  });

  it('places an authenticated trade-scope order through placeOrder and acknowledges it', async () => {
    const client = await connect();
    expect(await client.request({ op: 'auth', id: 'a', key: keys.trade.token })).toEqual({
      op: 'authenticated',
      id: 'a',
      keyId: keys.trade.id,
      scope: 'trade',
    });
    const reply = await client.request({ op: 'order', id: 'o1', request: REQUEST });
    expect(reply).toEqual({
      op: 'order.placed',
      id: 'o1',
      order: expect.objectContaining({ id: 'ord-1', symbol: 'BTC-USD', status: 'accepted', price: 50_000 }),
    });
    expect(placeOrder.calls).toEqual([[REQUEST, { keyId: keys.trade.id }]]);
  });

  it('refuses a read-scope key with FORBIDDEN', async () => {
    const client = await connect();
    await client.request({ op: 'auth', id: 'a', key: keys.read.token });
    expect(await client.request({ op: 'order', id: 'o', request: REQUEST })).toEqual({
      op: 'error',
      id: 'o',
      error: {
        code: 'FORBIDDEN',
        message: `placing orders needs an API key with trade scope; key ${keys.read.id} has read scope`,
        details: { keyId: keys.read.id, scope: 'read', requiredScope: 'trade' },
      },
    });
    expect(placeOrder.calls).toEqual([]);
  });

  it('authenticates from the upgrade request headers too', async () => {
    const client = await connect({ 'x-api-key': keys.admin.token });
    expect(client.received[0]).toMatchObject({
      op: 'welcome',
      authenticated: { keyId: keys.admin.id, scope: 'admin' },
    });
    expect(await client.request({ op: 'order', id: 1, request: REQUEST })).toMatchObject({ op: 'order.placed' });
  });

  it('refuses the upgrade itself (HTTP 401) when its headers carry a bad key', async () => {
    expect(await WsTestClient.refusedStatus(server.wsUrl, { authorization: 'Bearer rrr_nope' })).toBe(401);
  });

  it('validates the order request at the edge, naming every problem', async () => {
    const client = await connect({ authorization: `Bearer ${keys.trade.token}` });
    const reply = await client.request({
      op: 'order',
      id: 9,
      request: { symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0 },
    });
    expect(reply).toMatchObject({ op: 'error', id: 9, error: { code: 'ORDER_INVALID' } });
    const problems = (reply.error as { details: { problems: { field: string }[] } }).details.problems;
    expect(problems.map((p) => p.field)).toEqual(['quantity', 'price']);
    expect(placeOrder.calls).toEqual([]);
  });

  it('stops a key revoked after the connection authenticated', async () => {
    const client = await connect();
    await client.request({ op: 'auth', id: 'a', key: keys.trade.token });
    expect(await client.request({ op: 'order', id: 1, request: REQUEST })).toMatchObject({ op: 'order.placed' });
    await server.apiKeys.revoke(keys.trade.id);
    expect(await client.request({ op: 'order', id: 2, request: REQUEST })).toMatchObject({
      op: 'error',
      id: 2,
      error: { code: 'UNAUTHORIZED', message: `API key ${keys.trade.id} was revoked` },
    });
    expect(placeOrder.calls).toHaveLength(1);
  });

  it('rate-limits orders per key across connections', async () => {
    const one = await connect({ 'x-api-key': keys.trade.token });
    const two = await connect({ 'x-api-key': keys.trade.token });
    expect(await one.request({ op: 'order', id: 1, request: REQUEST })).toMatchObject({ op: 'order.placed' });
    expect(await two.request({ op: 'order', id: 2, request: REQUEST })).toMatchObject({ op: 'order.placed' });
    expect(await one.request({ op: 'order', id: 3, request: REQUEST })).toMatchObject({ op: 'order.placed' });
    expect(await two.request({ op: 'order', id: 4, request: REQUEST })).toMatchObject({
      op: 'error',
      error: { code: 'RATE_LIMITED', details: { name: `websocket orders of key ${keys.trade.id}` } },
    });
    expect(placeOrder.calls).toHaveLength(3);
  });

  it('answers a bad auth frame with UNAUTHORIZED and closes with 1008 after maxAuthFailures', async () => {
    const client = await connect();
    expect(await client.request({ op: 'auth', id: 1, key: 'rrr_000000000000_' + 'A'.repeat(43) })).toEqual({
      op: 'error',
      id: 1,
      error: { code: 'UNAUTHORIZED', message: 'invalid API key' },
    });
    client.send({ op: 'auth', id: 2, key: 'guess' });
    expect(await client.closed).toEqual({ code: 1008, reason: '2 failed authentications' });
  });

  it('needs an authenticated connection to subscribe when reads require a key', async () => {
    await server.close();
    server = await startApiTestServer({ security: { requireAuthForReads: true } });
    const { token } = await server.apiKeys.create({ name: 'r', scope: 'read' });
    const client = await connect();
    expect(await client.request({ op: 'subscribe', id: 1, channels: ['bars'] })).toMatchObject({
      op: 'error',
      error: { code: 'UNAUTHORIZED' },
    });
    await client.request({ op: 'auth', id: 2, key: token });
    expect(await client.request({ op: 'subscribe', id: 3, channels: ['bars'] })).toMatchObject({ op: 'subscribed' });
  });

  it('refuses orders with SERVICE_UNAVAILABLE when no trading engine is wired (placeOrderUnavailable)', async () => {
    await server.close();
    server = await startApiTestServer();
    const { token } = await server.apiKeys.create({ name: 't', scope: 'trade' });
    const client = await connect({ authorization: `Bearer ${token}` });
    expect(await client.request({ op: 'order', id: 1, request: REQUEST })).toEqual({
      op: 'error',
      id: 1,
      error: {
        code: 'SERVICE_UNAVAILABLE',
        message: 'order placement is unavailable: no trading engine runs in this platform',
        details: { service: 'trading-engine' },
      },
    });
  });
});
