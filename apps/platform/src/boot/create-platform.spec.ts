import { createLogger, loadConfig, openDatabase, type PlatformConfig, type RegistryHealth } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createPlatform, type Platform } from './create-platform';

const silent = new Writable({ write: (_chunk, _enc, done) => done() });

describe('createPlatform on embedded defaults', () => {
  let dir: string;
  let platform: Platform;
  let config: PlatformConfig;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-platform-'));
    config = loadConfig({
      env: {},
      configDir: dir,
      overrides: { server: { port: 0 }, database: { sqlitePath: join(dir, 'rrr.db') } },
    });
    platform = createPlatform(config, createLogger({ level: 'warn', destination: silent }));
    await platform.start();
  });

  afterAll(async () => {
    await platform.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('starts services in dependency order', () => {
    expect(platform.registry.startOrder()).toEqual([
      'database',
      'event-bus',
      'signal-recorder',
      'api-integration',
      'monitoring',
      'data-pipeline',
      'neural-network',
      'risk-management',
      'backtesting',
      'quantum-optimization',
      'trading-engine',
      'api',
    ]);
    expect(platform.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('loads the bundled real daily data on start', async () => {
    const db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    try {
      const rows = await db.query<{ symbol: string; n: number; first: number; last: number }>(
        `SELECT symbol, COUNT(*) AS n, MIN(ts) AS first, MAX(ts) AS last FROM bars WHERE interval = '1d' GROUP BY symbol ORDER BY symbol`,
      );
      expect(rows).toEqual([
        { symbol: 'AAPL', n: 1260, first: Date.UTC(2013, 4, 13), last: Date.UTC(2018, 4, 11) },
        { symbol: 'SPX', n: 5105, first: Date.UTC(2000, 0, 3), last: Date.UTC(2020, 3, 17) },
      ]);
    } finally {
      await db.close();
    }
  });

  it('GET /health reports every service up', async () => {
    const response = await fetch(`${platform.url()}/health`);
    const body = (await response.json()) as RegistryHealth;
    expect(response.status).toBe(200);
    expect(body.status).toBe('up');
    expect(Object.keys(body.services).sort()).toEqual([
      'api',
      'api-integration',
      'backtesting',
      'data-pipeline',
      'database',
      'event-bus',
      'monitoring',
      'neural-network',
      'quantum-optimization',
      'risk-management',
      'signal-recorder',
      'trading-engine',
    ]);
    expect(body.services.database.details?.dialect).toBe('sqlite');
    // No exchange or vendor credentials in the environment: connected to nothing, and saying so.
    expect(body.services['api-integration']).toMatchObject({ status: 'up', details: { idle: true, clients: {} } });
  });

  it('GET /health/:service answers for one service and 404s in the error shape for an unknown one', async () => {
    const one = await fetch(`${platform.url()}/health/database`);
    expect(one.status).toBe(200);
    expect(((await one.json()) as { name: string }).name).toBe('database');
    const unknown = await fetch(`${platform.url()}/health/nope`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'service "nope" not found', details: { what: 'service', id: 'nope' } },
    });
  });

  it('rejects a malformed path parameter with a field-named 400', async () => {
    const response = await fetch(`${platform.url()}/health/Bad_Name`);
    const body = (await response.json()) as { error: { code: string; details: { problems: { field: string }[] } } };
    expect(response.status).toBe(400);
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.problems[0].field).toBe('params.service');
  });

  it('serves Prometheus metrics including the API latency of the calls above', async () => {
    const response = await fetch(`${platform.url()}/metrics`);
    const text = await response.text();
    expect(response.headers.get('content-type')).toContain('text/plain');
    expect(text).toMatch(/rrr_api_request_duration_seconds_count\{method="GET",route="\/health",status="200"\} [1-9]/);
  });

  it('serves the /api/v1 routes over the database and the trading engine, documented at /docs/json', async () => {
    const symbols = (await (await fetch(`${platform.url()}/api/v1/symbols`)).json()) as {
      items: { symbol: string; intervals: { interval: string; bars: number }[] }[];
    };
    expect(symbols.items.find((s) => s.symbol === 'SPX')?.intervals).toContainEqual(
      expect.objectContaining({ interval: '1d', bars: 5105 }),
    );
    const portfolio = (await (await fetch(`${platform.url()}/api/v1/portfolio`)).json()) as { cash: number };
    expect(portfolio.cash).toBe(config.paper.initialCash);
    const doc = (await (await fetch(`${platform.url()}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/bars', '/api/v1/orders', '/api/v1/portfolio/equity']),
    );
  });
});
