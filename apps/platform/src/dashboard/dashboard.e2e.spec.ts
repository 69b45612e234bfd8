import { runBacktest, type BacktestResult } from '@rrr/backtesting';
import { createLogger, loadConfig, openDatabase, type PlatformConfig } from '@rrr/core';
import { createBackfillSource, runBackfill } from '@rrr/data-pipeline';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPlatform, type Platform } from '../boot/create-platform';
import { ApiKeyStore } from '../security';
import { startApiTestServer, type ApiTestServer } from '../ws/testing/api-test-server';
import { WsTestClient } from '../ws/testing/ws-test-client';
import { LIGHTWEIGHT_CHARTS_FILE } from './register-dashboard';
import { launchTestChromium, type TestChromium } from './testing/launch-test-chromium';
import { dataset, texts, waitForTrue } from './testing/page-probes';
import { offLoopback, watch } from './testing/page-watch';

const ARTIFACTS = join(__dirname, '../../../../dist/test-artifacts/dashboard');
const MINUTE = 60_000;
const HISTORY_BARS = 120;

/**
 * Pixels of the candle colours (#26a69a up, #ef5350 down) painted on the price chart's canvases. A string, since it
 * runs in the page and this file is compiled without the DOM library.
 */
const CANDLE_PIXELS = `(() => {
  let count = 0;
  for (const canvas of document.querySelectorAll('#candles canvas')) {
    const context = canvas.getContext('2d');
    if (!context || canvas.width === 0 || canvas.height === 0) continue;
    const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
    for (let i = 0; i < data.length; i += 4) {
      const near = (r, g, b) => Math.abs(data[i] - r) < 8 && Math.abs(data[i + 1] - g) < 8 && Math.abs(data[i + 2] - b) < 8;
      if (near(0x26, 0xa6, 0x9a) || near(0xef, 0x53, 0x50)) count++;
    }
  }
  return count;
})()`;

let browser: TestChromium;

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchTestChromium();
}, 30_000);

afterAll(async () => browser?.close());

describe('the dashboard, served by the platform and driven in Chromium', () => {
  let dir: string;
  let config: PlatformConfig;
  let platform: Platform;
  let tradeKey: string;
  let backtest: BacktestResult;
  let historyFrom: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-dashboard-e2e-'));
    const sqlitePath = join(dir, 'rrr.db');
    config = loadConfig({ env: {}, configDir: dir, overrides: { server: { port: 0 }, database: { sqlitePath } } });
    const db = await openDatabase({ sqlitePath });
    try {
      // What a user would have done before opening the dashboard: a key for trading (`rrr api-key create`), two hours
      // of BTC-USD minute bars (`rrr data backfill --source synthetic`) and a stored run (`rrr backtest`).
      tradeKey = (await new ApiKeyStore(db).create({ name: 'e2e', scope: 'trade' })).token;
      const to = Math.floor(Date.now() / MINUTE) * MINUTE;
      historyFrom = to - HISTORY_BARS * MINUTE;
      const spec = { source: 'synthetic' as const, symbol: 'BTC-USD', interval: '1m' as const, from: historyFrom, to };
      await runBackfill(db, { ...spec, source: createBackfillSource(spec) });
      backtest = await runBacktest(
        { strategy: 'sma-cross', symbols: 'SPX', from: '2017-01-01', to: '2020-04-17', params: { fast: 10, slow: 30 } },
        { db, config: config.backtest, riskLimits: config.risk },
      );
    } finally {
      await db.close();
    }
    // Trades every 200 ms: the forming candle moves and a market order fills within a second.
    platform = createPlatform(config, createLogger({ level: 'error' }), {
      api: { security: { rateLimit: false } },
      liveFeed: { tickMs: 200 },
    });
    await platform.start();
  }, 60_000);

  afterAll(async () => {
    await platform?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows live candles with a marker for a paper fill, the positions, orders, health and the stored backtest', async () => {
    expect(backtest.stored).toBe(true);
    const page = await browser.context.newPage();
    const watched = watch(page);

    const base = platform.url();
    await page.goto(`${base}/?symbol=BTC-USD`);

    // The candle chart: the stored history over REST, then the forming bar from live trades.
    await page.waitForSelector('#candles[data-state="ready"][data-symbol="BTC-USD"]');
    await waitForTrue(page, `Number(document.querySelector('#candles').dataset.liveUpdates) > 2`);
    const stored = (await (
      await fetch(`${base}/api/v1/bars?symbol=BTC-USD&interval=1m&from=${historyFrom}&limit=5000`)
    ).json()) as {
      items: { ts: number }[];
    };
    expect(stored.items.length).toBeGreaterThanOrEqual(HISTORY_BARS);
    const candles = await dataset(page, '#candles');
    expect(candles['interval']).toBe('1m');
    // History plus the live minute(s) since the backfill ended.
    expect(Number(candles['bars'])).toBeGreaterThanOrEqual(stored.items.length + 1);
    expect(Number(candles['bars'])).toBeLessThanOrEqual(stored.items.length + 3);
    expect(await page.evaluate<number>(CANDLE_PIXELS)).toBeGreaterThan(500);
    expect(candles['fillMarkers']).toBe('0');

    // A paper market order through the gateway, as a strategy or another client would place it.
    const client = await WsTestClient.connect(`${base.replace('http', 'ws')}/ws`, {
      authorization: `Bearer ${tradeKey}`,
    });
    const placed = (await client.request({
      op: 'order',
      id: 1,
      request: {
        symbol: 'BTC-USD',
        side: 'buy',
        type: 'market',
        // Eight decimals, as a fill sized from cash gives: the tables must show it whole.
        quantity: 0.12345678,
        clientOrderId: 'dash-e2e-1',
      },
    })) as { op: string; order: { id: string } };
    client.socket.close();
    expect(placed.op).toBe('order.placed');
    const orderId = placed.order.id;

    await page.waitForSelector('#candles[data-fill-markers="1"]');
    await page.waitForSelector(`#orders tr[data-key="${orderId}"]`);
    await waitForTrue(
      page,
      `document.querySelector('#orders tr[data-key="${orderId}"]').textContent.includes('filled')`,
    );
    await page.waitForSelector('#positions tr[data-key="BTC-USD"]');
    const position = await texts(page, '#positions tr[data-key="BTC-USD"] td');
    expect(position[0]).toBe('BTC-USD');
    expect(position[1]).toBe('0.12345678');
    expect(await page.getAttribute('#positions tr[data-key="BTC-USD"] td:nth-child(2)', 'class')).toBe('up');
    const order = await texts(page, `#orders tr[data-key="${orderId}"] td`);
    expect(order.slice(1, 6)).toEqual(['BTC-USD', 'buy', 'market', '0.12345678', '0.12345678']);
    // At 1440 px every column of the position and order tables is in view, none behind a horizontal scroll.
    const hiddenWidth = await page.evaluate<Record<string, number>>(
      `Object.fromEntries(['positions', 'orders'].map((id) => {
        const wrap = document.querySelector('#' + id + ' .table-wrap');
        return [id, wrap.scrollWidth - wrap.clientWidth];
      }))`,
    );
    expect(hiddenWidth).toEqual({ positions: 0, orders: 0 });

    // Service health: every service /health reports, with its status.
    const health = (await (await fetch(`${base}/health`)).json()) as { services: Record<string, { status: string }> };
    await page.waitForSelector('#health[data-state="ready"]');
    const services = await texts(page, '#health tbody tr td:first-child');
    expect(services.sort()).toEqual(Object.keys(health.services).sort());
    expect(services).toEqual(
      expect.arrayContaining(['database', 'event-bus', 'data-pipeline', 'trading-engine', 'api']),
    );

    // The stored backtest: in the list, and its detail with the run's own metrics and trades.
    await page.waitForSelector(`#backtests tr[data-key="${backtest.id}"]`);
    await page.click(`#backtests tr[data-key="${backtest.id}"]`);
    await page.waitForSelector(`#backtests .backtest-detail[data-state="ready"][data-id="${backtest.id}"]`);
    const percent = new Intl.NumberFormat('en-US', {
      style: 'percent',
      minimumFractionDigits: 2,
      maximumFractionDigits: 2,
    });
    expect(await page.textContent('[data-metric="totalReturn"] .value')).toBe(
      percent.format(backtest.metrics.totalReturn as number),
    );
    expect(await page.textContent('[data-metric="maxDrawdown"] .value')).toBe(
      percent.format(backtest.metrics.maxDrawdown),
    );
    expect(await page.getAttribute('#backtests .backtest-detail', 'data-trades')).toBe(String(backtest.trades.length));
    // The run's equity curve, one point per bar close.
    expect(await page.getAttribute('#backtests .backtest-detail', 'data-points')).toBe(
      String(backtest.curve.ts.length),
    );

    await page.waitForSelector('#equity[data-state="ready"]');
    await page.waitForSelector('#alerts[data-state="ready"]');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.setViewportSize({ width: 420, height: 900 });
    // The narrow layout (one column) after the page has re-laid out and painted.
    await page.evaluate('new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-narrow.png'), fullPage: true });

    expect(watched.consoleErrors).toEqual([]);
    expect(watched.pageErrors).toEqual([]);
    expect(new URL(base).hostname).toBe('127.0.0.1');
    expect(offLoopback(watched)).toEqual([]);
    expect(watched.requests).toEqual(
      expect.arrayContaining([
        `${base}/?symbol=BTC-USD`,
        `${base}/dashboard/app.js`,
        `${base}/dashboard/vendor/${LIGHTWEIGHT_CHARTS_FILE}`,
        `${base.replace('http', 'ws')}/ws`,
      ]),
    );
    await page.close();
  }, 40_000);
});

describe('the dashboard on a server without the /api/v1 routes', () => {
  let server: ApiTestServer;

  beforeAll(async () => {
    // The real API server with no route sources given: /health and /ws only, every /api/v1 path answers 404.
    server = await startApiTestServer();
  });

  afterAll(async () => server?.close());

  it('says in each panel which request failed and how, and keeps the rest working', async () => {
    const page = await browser.context.newPage();
    const watched = watch(page);
    await page.goto(`${server.url}/`);
    const panels = [
      'candles',
      'equity',
      'signals',
      'predictions',
      'positions',
      'orders',
      'risk-controls',
      'alerts',
      'backtests',
      'optimizations',
    ];
    for (const panel of panels) {
      await page.waitForSelector(`#${panel}[data-state="error"]`);
    }
    const error = (panel: string) => page.textContent(`#${panel} .panel-error`);
    expect(await error('positions')).toBe(
      'GET /api/v1/positions failed: 404 NOT_FOUND — no route GET /api/v1/positions',
    );
    expect(await error('orders')).toBe(
      'GET /api/v1/orders?limit=100 failed: 404 NOT_FOUND — no route GET /api/v1/orders',
    );
    // No symbol listing, and no live feed in /health to fall back on: the chart says why it is empty.
    expect(await error('risk-controls')).toBe(
      'GET /api/v1/risk/circuit-breaker failed: 404 NOT_FOUND — no route GET /api/v1/risk/circuit-breaker',
    );
    expect(await error('candles')).toBe('GET /api/v1/symbols failed: 404 NOT_FOUND — no route GET /api/v1/symbols');
    expect(await error('predictions')).toBe('GET /api/v1/symbols failed: 404 NOT_FOUND — no route GET /api/v1/symbols');
    expect(await error('signals')).toBe(
      'GET /api/v1/signals?limit=50 failed: 404 NOT_FOUND — no route GET /api/v1/signals',
    );
    expect(await error('backtests')).toContain('GET /api/v1/backtests?limit=50 failed: 404 NOT_FOUND');
    expect(await error('optimizations')).toContain('GET /api/v1/optimizations?limit=50 failed: 404 NOT_FOUND');
    expect(await page.getAttribute('#summary', 'data-state')).toBe('error');
    // /health answers (with no services registered), and the live connection is up.
    await page.waitForSelector('#health[data-state="ready"][data-rows="0"]');
    expect(await page.textContent('#health .empty')).toBe('No services.');
    await page.waitForSelector('#connection[data-state="open"]');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-routes-missing.png'), fullPage: true });
    // The only console errors are the browser's own lines for the 404 answers; no script failed.
    expect(watched.pageErrors).toEqual([]);
    expect(watched.consoleErrors.length).toBeGreaterThan(0);
    for (const line of watched.consoleErrors) expect(line).toMatch(/^Failed to load resource: .* 404 \(Not Found\)$/);
    await page.close();
  }, 20_000);
});
