import type { Bar } from '@rrr/core';
import { startApiTestServer, type ApiTestServer } from './testing/api-test-server';
import { WsTestClient } from './testing/ws-test-client';

const T0 = Date.UTC(2026, 0, 5, 9, 30);
const LIMIT = 64 * 1024;
const yieldToIo = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('WebSocket gateway: backpressure', () => {
  let server: ApiTestServer;

  beforeEach(async () => {
    server = await startApiTestServer({ ws: { maxBufferedBytes: LIMIT, heartbeatIntervalMs: 60_000 } });
  });

  afterEach(() => server.close());

  it('drops a client that does not read (1013) without ever holding up the publisher or the other clients', async () => {
    const slow = await WsTestClient.connect(server.wsUrl);
    const fast = await WsTestClient.connect(server.wsUrl);
    await slow.request({ op: 'subscribe', id: 1, channels: ['bars'] });
    await fast.request({ op: 'subscribe', id: 1, channels: ['bars'] });
    let fastEvents = 0;
    let lastSeq = 0;
    let inOrder = true;
    fast.socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { op: string; seq?: number };
      if (frame.op !== 'event') return;
      fastEvents++;
      if ((frame.seq ?? 0) <= lastSeq) inOrder = false;
      lastSeq = frame.seq ?? 0;
    });
    // The slow client stops reading: its kernel buffers fill, then the server's send queue for it grows.
    slow.socket.pause();

    let published = 0;
    while (server.app.wsGateway.clientCount === 2 && published < 200_000) {
      const batch: Promise<void>[] = [];
      for (let i = 0; i < 200; i++, published++) {
        const close = 100 + (published % 1000) / 100;
        const bar: Bar = {
          symbol: 'BTC-USD',
          interval: '1m',
          ts: T0 + published * 60_000,
          open: close,
          high: close,
          low: close,
          close,
          volume: published,
        };
        batch.push(server.bus.publish('bar', bar));
      }
      // Every publish is accepted while the slow client is still paused and reads nothing.
      await Promise.all(batch);
      await yieldToIo();
    }
    expect(server.app.wsGateway.clientCount).toBe(1);

    // The healthy client gets every event, in order.
    while (fastEvents < published) await yieldToIo();
    expect(fastEvents).toBe(published);
    expect(inOrder).toBe(true);

    // Once the slow client reads again it finds the close frame after what was queued before the drop.
    slow.socket.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(1013);
    expect(closed.reason).toMatch(/^client too slow: \d+ bytes unsent, limit 65536; reconnect and resync$/);
    const unsent = Number(/(\d+) bytes unsent/.exec(closed.reason)?.[1]);
    expect(unsent).toBeLessThanOrEqual(LIMIT);
    expect(unsent).toBeGreaterThan(LIMIT - 1024);
    await fast.close();
  });
});
