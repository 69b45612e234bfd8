import { createLogger, loadConfig, openDatabase } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createPlatform, type Platform } from '../boot/create-platform';
import { ApiKeyStore } from '../security';
import { WsTestClient } from '../ws/testing/ws-test-client';

jest.setTimeout(30_000);

const silent = new Writable({ write: (_chunk, _enc, done) => done() });

interface RawResponse {
  status: number;
  body: string;
}

/** A raw HTTP/1.1 exchange, for requests fetch refuses to send (bad percent-encoding, huge headers). */
function raw(url: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = httpRequest({ host: target.hostname, port: target.port, path, method: 'GET', headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Hostile and broken input against the composed platform (the real route modules, security hooks and WebSocket
 * gateway at their default limits): every request is answered with a 4xx in the API's error shape — or, below the
 * HTTP layer, with Node's own 4xx — every socket is closed with a code and a reason, and the process goes on serving.
 * The per-module specs (security plugin, WebSocket gateway) cover each rule in isolation.
 */
describe('the platform under malformed, oversized and unauthenticated input', () => {
  let dir: string;
  let platform: Platform;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-hostile-'));
    const sqlitePath = join(dir, 'rrr.db');
    const config = loadConfig({
      env: {},
      configDir: dir,
      overrides: {
        server: { port: 0 },
        database: { sqlitePath },
        data: { symbols: ['BTC-USD'] },
        models: { dir: join(dir, 'models') },
      },
    });
    // The key exists before the server starts (a second SQLite handle would contend with its writers).
    const db = await openDatabase({ sqlitePath });
    try {
      token = (await new ApiKeyStore(db).create({ name: 'hostile', scope: 'trade' })).token;
    } finally {
      await db.close();
    }
    platform = createPlatform(config, createLogger({ level: 'silent', destination: silent }), {
      api: { security: { rateLimit: false } },
    });
    await platform.start();
  });

  afterAll(async () => {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function postOrder(
    body: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; body: { error?: { code: string; message: string; details: unknown } } }> {
    const response = await fetch(`${platform.url()}/api/v1/orders`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body,
    });
    return { status: response.status, body: (await response.json()) as { error?: never } };
  }

  it('answers a body that is not JSON with 400 in the error shape', async () => {
    const answer = await postOrder('{"symbol": "BTC-USD", ');
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/JSON/i) });
  });

  it('refuses a body over the 1 MiB limit with 413 in the error shape', async () => {
    const answer = await postOrder(JSON.stringify({ symbol: 'BTC-USD', pad: 'x'.repeat(1024 * 1024) }));
    expect(answer.status).toBe(413);
    expect(answer.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/too large/i),
    });
  });

  it('answers an oversized body without a key with 401, before reading it', async () => {
    const answer = await postOrder(JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }), { authorization: '' });
    expect(answer.status).toBe(401);
    expect(answer.body.error?.code).toBe('UNAUTHORIZED');
  });

  it('answers a body of another media type with 415 in the error shape', async () => {
    const answer = await postOrder('symbol=BTC-USD&side=buy', { 'content-type': 'application/x-www-form-urlencoded' });
    expect(answer.status).toBe(415);
    expect(answer.body.error).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/media type/i),
    });
  });

  it('refuses a __proto__ key in a JSON body with 400 in the error shape', async () => {
    const answer = await postOrder('{"symbol":"BTC-USD","__proto__":{"admin":true}}');
    expect(answer.status).toBe(400);
    expect(answer.body.error?.code).toBe('VALIDATION_FAILED');
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
  });

  it('answers a valid JSON order with an invalid field with 400 naming the field', async () => {
    const answer = await postOrder(
      JSON.stringify({ symbol: 'BTC-USD', side: 'sideways', type: 'market', quantity: 1 }),
    );
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body.error)).toContain('side');
  });

  it('answers a path with broken percent-encoding with 400 in the error shape', async () => {
    const answer = await raw(platform.url(), '/health/%E0%A4%A');
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
  });

  it('answers request headers beyond the HTTP parser limit with 431', async () => {
    const answer = await raw(platform.url(), '/health', { 'x-padding': 'x'.repeat(64 * 1024) });
    expect(answer.status).toBe(431);
  });

  it('refuses a WebSocket upgrade carrying an invalid key with 401', async () => {
    const wsUrl = `${platform.url().replace('http', 'ws')}/ws`;
    expect(await WsTestClient.refusedStatus(wsUrl, { authorization: 'Bearer rrr_000000000000_forged' })).toBe(401);
  });

  it('closes a WebSocket whose frame exceeds the default 64 KiB with 1009 and a reason', async () => {
    const client = await WsTestClient.connect(`${platform.url().replace('http', 'ws')}/ws`);
    client.send(JSON.stringify({ op: 'ping', id: 'x'.repeat(60), pad: 'y'.repeat(70 * 1024) }));
    expect(await client.closed).toEqual({
      code: 1009,
      reason: expect.stringMatching(/^frame of \d+ bytes exceeds the 65536-byte limit$/),
    });
  });

  it('cuts a giant WebSocket frame (over 4× the limit) before buffering it, with 1009', async () => {
    const client = await WsTestClient.connect(`${platform.url().replace('http', 'ws')}/ws`);
    client.send('z'.repeat(1024 * 1024));
    expect((await client.closed).code).toBe(1009);
  });

  it('keeps serving afterwards: health, metrics, WebSocket and authenticated writes', async () => {
    const health = await fetch(`${platform.url()}/health`);
    expect(health.status).toBe(200);
    expect((await fetch(`${platform.url()}/metrics`)).status).toBe(200);
    const client = await WsTestClient.connect(`${platform.url().replace('http', 'ws')}/ws`);
    expect(await client.request({ op: 'ping', id: 'still-here' })).toMatchObject({ op: 'pong', id: 'still-here' });
    await client.close();
    // A well-formed order reaches the OMS (accepted, or refused by risk for want of a price: either way, an answer).
    const answer = await postOrder(JSON.stringify({ symbol: 'BTC-USD', side: 'buy', type: 'market', quantity: 0.001 }));
    expect([201, 422]).toContain(answer.status);
  });
});
