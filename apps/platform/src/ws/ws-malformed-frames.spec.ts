import type { Bar } from '@rrr/core';
import { startApiTestServer, type ApiTestServer } from './testing/api-test-server';
import { WsTestClient } from './testing/ws-test-client';

const BAR: Bar = { symbol: 'BTC-USD', interval: '1m', ts: 0, open: 1, high: 1, low: 1, close: 1, volume: 1 };

describe('WebSocket gateway: malformed, oversized and abusive frames', () => {
  let server: ApiTestServer;
  let clients: WsTestClient[];
  /** A well-behaved client that must not notice anything the others do. */
  let bystander: WsTestClient;

  const connect = async () => {
    const client = await WsTestClient.connect(server.wsUrl);
    clients.push(client);
    return client;
  };

  beforeEach(async () => {
    server = await startApiTestServer({
      ws: { maxPayloadBytes: 1024, maxConsecutiveErrors: 3, inboundFrames: { capacity: 5, refillPerSecond: 0.001 } },
    });
    clients = [];
    bystander = await connect();
    await bystander.request({ op: 'subscribe', id: 0, channels: ['bars'] });
  });

  afterEach(async () => {
    // Whatever happened to the others, the bystander is still served and the server still answers HTTP.
    await server.bus.publish('bar', BAR);
    expect(await bystander.next((m) => m.op === 'event')).toMatchObject({ data: { symbol: 'BTC-USD' } });
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    await Promise.all(clients.map((c) => c.close()));
    await server.close();
  });

  it('answers a non-JSON frame with an error frame and keeps the connection', async () => {
    const client = await connect();
    client.send('{"op": "subscribe", ');
    const error = await client.next((m) => m.op === 'error');
    expect(error).toEqual({
      op: 'error',
      error: { code: 'VALIDATION_FAILED', message: expect.stringMatching(/^frame is not valid JSON: /) },
    });
    expect(await client.request({ op: 'ping', id: 1 })).toMatchObject({ op: 'pong', id: 1 });
  });

  it('names an unknown op, echoing the frame id', async () => {
    const client = await connect();
    expect(await client.request({ op: 'hack', id: 'x' })).toEqual({
      op: 'error',
      id: 'x',
      error: {
        code: 'VALIDATION_FAILED',
        message: 'frame: op: unknown op "hack"; expected one of subscribe, unsubscribe, ping, pong, auth, order',
        details: {
          problems: [
            {
              field: 'op',
              message: 'unknown op "hack"; expected one of subscribe, unsubscribe, ping, pong, auth, order',
            },
          ],
        },
      },
    });
    client.send('[1,2]');
    expect(await client.next((m) => m.op === 'error')).toMatchObject({
      error: { message: 'a frame is a JSON object with an "op" field, e.g. {"op":"ping"}' },
    });
  });

  it('lists every invalid field of a known op', async () => {
    const client = await connect();
    const reply = await client.request({
      op: 'subscribe',
      id: 2,
      channels: ['bars', 'gossip'],
      symbols: ['btc'],
      x: 1,
    });
    expect(reply).toMatchObject({ op: 'error', id: 2, error: { code: 'VALIDATION_FAILED' } });
    const problems = (reply.error as { details: { problems: { field: string }[] } }).details.problems;
    expect(problems.map((p) => p.field).sort()).toEqual(['channels.1', 'frame', 'symbols.0']);
  });

  it('closes with 1008 after maxConsecutiveErrors invalid frames in a row', async () => {
    const client = await connect();
    client.send('nope');
    client.send('nope');
    client.send('nope');
    expect(await client.closed).toEqual({ code: 1008, reason: '3 invalid frames in a row' });
  });

  it('closes with 1009 and a reason on a frame over maxPayloadBytes', async () => {
    const client = await connect();
    client.send(JSON.stringify({ op: 'ping', id: 'x'.repeat(2000) }));
    expect(await client.closed).toEqual({ code: 1009, reason: 'frame of 2021 bytes exceeds the 1024-byte limit' });
  });

  it('cuts a frame far over the limit before buffering it (ws: 1009)', async () => {
    const client = await connect();
    client.send('x'.repeat(10_000));
    expect((await client.closed).code).toBe(1009);
  });

  it('closes with 1003 on a binary frame', async () => {
    const client = await connect();
    client.socket.send(Buffer.from([1, 2, 3]), { binary: true });
    expect(await client.closed).toEqual({
      code: 1003,
      reason: 'binary frames are not supported: send JSON text frames',
    });
  });

  it('closes with 1007 on a text frame that is not UTF-8', async () => {
    const client = await connect();
    client.socket.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect((await client.closed).code).toBe(1007);
  });

  it('rate-limits frames per connection with RATE_LIMITED error frames', async () => {
    const client = await connect();
    for (let i = 0; i < 5; i++) client.send({ op: 'ping', id: i });
    client.send({ op: 'ping', id: 5 });
    for (let i = 0; i < 5; i++) await client.next((m) => m.op === 'pong' && m.id === i);
    expect(await client.next((m) => m.op === 'error')).toMatchObject({
      error: { code: 'RATE_LIMITED', message: 'too many frames: slow down' },
    });
  });
});
