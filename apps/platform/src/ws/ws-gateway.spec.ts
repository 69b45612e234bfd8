import type { Bar, Order, Prediction, Signal } from '@rrr/core';
import { startApiTestServer, type ApiTestServer } from './testing/api-test-server';
import { WsTestClient } from './testing/ws-test-client';
import { WS_CHANNEL_TOPICS, WS_CHANNELS } from './ws-channels';

const T0 = Date.UTC(2026, 0, 5, 9, 30);

function bar(symbol: string, close: number): Bar {
  return { symbol, interval: '1m', ts: T0, open: close, high: close, low: close, close, volume: 1 };
}

function order(symbol: string, status: Order['status']): Order {
  return {
    id: `o-${symbol}`,
    clientOrderId: `c-${symbol}`,
    symbol,
    side: 'buy',
    type: 'market',
    quantity: 1,
    timeInForce: 'GTC',
    status,
    filledQuantity: 0,
    averageFillPrice: null,
    createdAt: T0,
    updatedAt: T0,
  };
}

function signal(symbol: string, price: number): Signal {
  return {
    symbol,
    ts: T0 + 60_000,
    direction: 'long',
    strength: 1,
    source: 'sma-cross(20,50)',
    reason: `SMA(20) ${price + 1} > SMA(50) ${price}`,
    price,
  };
}

function prediction(symbol: string, up: number): Prediction {
  const down = (1 - up) / 2;
  return {
    symbol,
    ts: T0 + 60_000,
    horizon: '15m',
    model: `logistic-${symbol.toLowerCase()}@1`,
    probabilities: { down, flat: down, up },
    predicted: 'up',
    confidence: up,
  };
}

describe('WebSocket gateway: subscriptions and fan-out', () => {
  let server: ApiTestServer;
  let clients: WsTestClient[];

  const connect = async (headers?: Record<string, string>) => {
    const client = await WsTestClient.connect(server.wsUrl, headers);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    server = await startApiTestServer({ ws: { heartbeatIntervalMs: 60_000 } });
    clients = [];
  });

  afterEach(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  it('greets a client with the protocol parameters', async () => {
    const client = await connect();
    expect(client.received[0]).toEqual({
      op: 'welcome',
      channels: [...WS_CHANNELS],
      heartbeatIntervalMs: 60_000,
      maxMissedHeartbeats: 2,
      maxPayloadBytes: 65_536,
      authenticated: null,
    });
  });

  it('maps every channel to its bus topic', () => {
    expect(WS_CHANNEL_TOPICS).toEqual({
      bars: 'bar',
      trades: 'trade',
      signals: 'signal',
      predictions: 'prediction',
      orders: 'order.*',
      fills: 'fill',
      portfolio: 'position',
      alerts: 'risk.alert',
      health: 'service.status',
    });
  });

  it('relays only the subscribed channels and symbols; events without a symbol go to every subscriber', async () => {
    const client = await connect();
    const reply = await client.request({ op: 'subscribe', id: 1, channels: ['bars', 'health'], symbols: ['BTC-USD'] });
    expect(reply).toEqual({ op: 'subscribed', id: 1, subscriptions: { bars: ['BTC-USD'], health: ['BTC-USD'] } });

    await server.bus.publish('bar', bar('ETH-USD', 3000));
    await server.bus.publish('trade', { symbol: 'BTC-USD', ts: T0, price: 1, quantity: 1 });
    await server.bus.publish('bar', bar('BTC-USD', 50_000));
    await server.bus.publish('service.status', { service: 'api', status: 'running', ts: T0 });

    const first = await client.next((m) => m.op === 'event');
    expect(first).toEqual({
      op: 'event',
      channel: 'bars',
      topic: 'bar',
      seq: 3,
      ts: expect.any(Number),
      data: bar('BTC-USD', 50_000),
    });
    const second = await client.next((m) => m.op === 'event');
    expect(second).toMatchObject({ channel: 'health', topic: 'service.status', data: { service: 'api' } });
    expect(client.unreadFrames()).toEqual([]);
  });

  it("relays the strategies' signals and the models' predictions of the subscribed symbols only", async () => {
    const [btc, eth] = await Promise.all([connect(), connect()]);
    expect(
      await btc.request({ op: 'subscribe', id: 1, channels: ['signals', 'predictions'], symbols: ['BTC-USD'] }),
    ).toEqual({ op: 'subscribed', id: 1, subscriptions: { signals: ['BTC-USD'], predictions: ['BTC-USD'] } });
    await eth.request({ op: 'subscribe', id: 1, channels: ['signals', 'predictions'], symbols: ['ETH-USD'] });

    // Each symbol's events follow the other's on the same topic, so an event leaking across would arrive first.
    await server.bus.publish('signal', signal('ETH-USD', 3_000));
    await server.bus.publish('prediction', prediction('ETH-USD', 0.6));
    await server.bus.publish('signal', signal('BTC-USD', 50_000));
    await server.bus.publish('prediction', prediction('BTC-USD', 0.7));
    await server.bus.publish('signal', signal('ETH-USD', 3_001));

    expect(await btc.next((m) => m.op === 'event')).toEqual({
      op: 'event',
      channel: 'signals',
      topic: 'signal',
      seq: 3,
      ts: expect.any(Number),
      data: signal('BTC-USD', 50_000),
    });
    expect(await btc.next((m) => m.op === 'event')).toEqual({
      op: 'event',
      channel: 'predictions',
      topic: 'prediction',
      seq: 4,
      ts: expect.any(Number),
      data: prediction('BTC-USD', 0.7),
    });
    const ethEvents = [
      await eth.next((m) => m.op === 'event'),
      await eth.next((m) => m.op === 'event'),
      await eth.next((m) => m.op === 'event'),
    ];
    expect(ethEvents.map((e) => [e.channel, e.seq, e.data])).toEqual([
      ['signals', 1, signal('ETH-USD', 3_000)],
      ['predictions', 2, prediction('ETH-USD', 0.6)],
      ['signals', 5, signal('ETH-USD', 3_001)],
    ]);
    // The last ETH-USD signal was sent after every BTC-USD event: had one of them reached the ETH-USD client (or the
    // reverse), it would be here by now.
    expect(btc.unreadFrames()).toEqual([]);
    expect(eth.unreadFrames()).toEqual([]);
  });

  it('follows every symbol when none is named, and orders.* topics under the orders channel', async () => {
    const client = await connect();
    expect(await client.request({ op: 'subscribe', id: 'a', channels: ['orders'] })).toEqual({
      op: 'subscribed',
      id: 'a',
      subscriptions: { orders: '*' },
    });
    await server.bus.publish('order.accepted', order('BTC-USD', 'accepted'));
    await server.bus.publish('order.filled', order('AAPL', 'filled'));
    expect(await client.next((m) => m.op === 'event')).toMatchObject({
      channel: 'orders',
      topic: 'order.accepted',
      data: { symbol: 'BTC-USD' },
    });
    expect(await client.next((m) => m.op === 'event')).toMatchObject({
      topic: 'order.filled',
      data: { symbol: 'AAPL' },
    });
  });

  it('unsubscribes symbols and channels', async () => {
    const client = await connect();
    await client.request({ op: 'subscribe', id: 1, channels: ['bars', 'trades'], symbols: ['BTC-USD', 'ETH-USD'] });
    expect(await client.request({ op: 'unsubscribe', id: 2, channels: ['bars'], symbols: ['ETH-USD'] })).toEqual({
      op: 'unsubscribed',
      id: 2,
      subscriptions: { bars: ['BTC-USD'], trades: ['BTC-USD', 'ETH-USD'] },
    });
    expect(await client.request({ op: 'unsubscribe', id: 3, channels: ['trades'] })).toEqual({
      op: 'unsubscribed',
      id: 3,
      subscriptions: { bars: ['BTC-USD'] },
    });
    await server.bus.publish('bar', bar('ETH-USD', 1));
    await server.bus.publish('trade', { symbol: 'BTC-USD', ts: T0, price: 1, quantity: 1 });
    await server.bus.publish('bar', bar('BTC-USD', 2));
    expect(await client.next((m) => m.op === 'event')).toMatchObject({ data: { symbol: 'BTC-USD', close: 2 } });
    expect(await client.request({ op: 'unsubscribe', id: 4 })).toEqual({
      op: 'unsubscribed',
      id: 4,
      subscriptions: {},
    });
  });

  it('refuses to unsubscribe single symbols from a channel that follows all of them', async () => {
    const client = await connect();
    await client.request({ op: 'subscribe', id: 1, channels: ['bars'] });
    expect(await client.request({ op: 'unsubscribe', id: 2, channels: ['bars'], symbols: ['BTC-USD'] })).toEqual({
      op: 'error',
      id: 2,
      error: {
        code: 'VALIDATION_FAILED',
        message:
          'unsubscribe: symbols: channel bars follows every symbol; unsubscribe the channel, then subscribe the symbols wanted',
        details: {
          problems: [
            {
              field: 'symbols',
              message: 'channel bars follows every symbol; unsubscribe the channel, then subscribe the symbols wanted',
            },
          ],
        },
      },
    });
  });

  it('caps the symbols one connection follows', async () => {
    await server.close();
    server = await startApiTestServer({ ws: { maxSymbolsPerClient: 2 } });
    const client = await connect();
    await client.request({ op: 'subscribe', id: 1, channels: ['bars'], symbols: ['AAPL', 'SPX'] });
    const reply = await client.request({ op: 'subscribe', id: 2, channels: ['trades'], symbols: ['BTC-USD'] });
    expect(reply).toMatchObject({
      op: 'error',
      id: 2,
      error: {
        code: 'VALIDATION_FAILED',
        message: 'subscribe: symbols: a connection may follow at most 2 symbols (this would make 3)',
      },
    });
  });

  it('answers ping with pong', async () => {
    const client = await connect();
    expect(await client.request({ op: 'ping', id: 'p1' })).toEqual({ op: 'pong', id: 'p1', ts: expect.any(Number) });
  });

  it('fans one event out to every subscribed client', async () => {
    const group = await Promise.all([connect(), connect(), connect()]);
    await Promise.all(group.map((c, i) => c.request({ op: 'subscribe', id: i, channels: ['bars'] })));
    await server.bus.publish('bar', bar('SPX', 4000));
    const events = await Promise.all(group.map((c) => c.next((m) => m.op === 'event')));
    expect(events.map((e) => (e.data as Bar).close)).toEqual([4000, 4000, 4000]);
    expect(server.app.wsGateway.clientCount).toBe(3);
  });

  it('answers a plain GET /ws (no upgrade) with 400 in the error shape', async () => {
    const response = await fetch(`${server.url}/ws`);
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'GET /ws is the WebSocket endpoint: connect with a WebSocket client',
      },
    });
  });

  it('refuses connections beyond maxClients with 1013', async () => {
    await server.close();
    server = await startApiTestServer({ ws: { maxClients: 1 } });
    await connect();
    const { WebSocket } = await import('ws');
    const extra = new WebSocket(server.wsUrl);
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      extra.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    expect(closed).toEqual({ code: 1013, reason: 'server at capacity (1 clients)' });
  });

  it('closes every client with 1001 when the server shuts down', async () => {
    const client = await connect();
    await server.app.close();
    expect(await client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
  });
});
