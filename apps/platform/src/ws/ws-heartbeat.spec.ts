import { startApiTestServer, type ApiTestServer } from './testing/api-test-server';
import { WsTestClient } from './testing/ws-test-client';

describe('WebSocket gateway: heartbeats', () => {
  let server: ApiTestServer;

  beforeEach(async () => {
    server = await startApiTestServer({ ws: { heartbeatIntervalMs: 50, maxMissedHeartbeats: 3 } });
  });

  afterEach(() => server.close());

  it('closes a client that answers no heartbeat with 4000 and a reason, and keeps one that answers', async () => {
    const silent = await WsTestClient.connect(server.wsUrl);
    const alive = await WsTestClient.connect(server.wsUrl);
    let pongs = 0;
    alive.socket.on('message', (data) => {
      const frame = JSON.parse(String(data)) as { op: string; ts?: number };
      if (frame.op === 'ping') {
        pongs++;
        alive.send({ op: 'pong', ts: frame.ts });
      }
    });

    expect(await silent.closed).toEqual({
      code: 4000,
      reason: 'missed 3 heartbeats (50 ms apart): answer {"op":"ping"} with {"op":"pong"}',
    });
    expect(silent.received.filter((m) => m.op === 'ping')).toEqual([
      { op: 'ping', ts: expect.any(Number) },
      { op: 'ping', ts: expect.any(Number) },
      { op: 'ping', ts: expect.any(Number) },
    ]);
    // The answering client keeps answering well past the point where the silent one was dropped, and stays connected.
    while (pongs < 6) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(alive.socket.readyState).toBe(alive.socket.OPEN);
    expect(server.app.wsGateway.clientCount).toBe(1);
    await alive.close();
  });
});
