import { createLogger, loadConfig, openDatabase } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createPlatform, type Platform } from '../boot/create-platform';
import { ApiKeyStore } from '../security';
import { WsTestClient } from './testing/ws-test-client';

describe('the platform serves the secured API and the WebSocket gateway', () => {
  let dir: string;
  let platform: Platform;
  let trade: string;
  const logs: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-platform-api-'));
    const sqlitePath = join(dir, 'rrr.db');
    // The key is created the way `rrr api-key create` does it: on the database, before the server runs.
    const db = await openDatabase({ sqlitePath });
    trade = (await new ApiKeyStore(db).create({ name: 'bot', scope: 'trade' })).token;
    await db.close();
    const config = loadConfig({
      env: {},
      configDir: dir,
      overrides: { server: { port: 0, corsOrigins: ['https://dash.example'] }, database: { sqlitePath } },
    });
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    platform = createPlatform(config, createLogger({ level: 'info', destination }));
    await platform.start();
  });

  afterAll(async () => {
    await platform.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers an unauthenticated mutating request with 401 and honours server.corsOrigins', async () => {
    const response = await fetch(`${platform.url()}/services/api/restart`, {
      method: 'POST',
      headers: { origin: 'https://dash.example' },
    });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    expect(response.headers.get('access-control-allow-origin')).toBe('https://dash.example');
    expect(logs.join('')).not.toContain('no active API keys');
  });

  it('places WebSocket orders through the trading engine (OMS + pre-trade risk), and closes with 1001 on stop', async () => {
    const client = await WsTestClient.connect(`${platform.url().replace('http', 'ws')}/ws`, {
      authorization: `Bearer ${trade}`,
    });
    const limit = await client.request({
      op: 'order',
      id: 1,
      request: { symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.1, price: 40_000, clientOrderId: 'ws-1' },
    });
    expect(limit).toMatchObject({
      op: 'order.placed',
      id: 1,
      order: {
        symbol: 'BTC-USD',
        side: 'buy',
        type: 'limit',
        status: 'accepted',
        clientOrderId: 'ws-1',
        price: 40_000,
      },
    });
    // 25 % of the 100,000 paper equity breaks the 20 % position limit: pre-trade risk refuses it, naming the rule.
    const tooBig = await client.request({
      op: 'order',
      id: 2,
      request: { symbol: 'BTC-USD', side: 'buy', type: 'limit', quantity: 0.5, price: 50_000 },
    });
    expect(tooBig).toMatchObject({ op: 'error', id: 2, error: { code: 'RISK_REJECTED' } });
    await platform.stop();
    expect(await client.closed).toEqual({ code: 1001, reason: 'server shutting down' });
  });
});
