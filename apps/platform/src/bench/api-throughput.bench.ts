/**
 * API throughput: autocannon against the composed platform (SQLite, bundled SPX/AAPL history, every service running,
 * rate limits off) in a child process of its own, so the load generator does not share the server's event loop.
 * Routes measured in one run: GET /health (every service's health), GET /metrics (Prometheus text), and GET
 * /api/v1/bars — its first page of 500 daily SPX bars and a later page reached through the cursor.
 */
import { createLogger, loadConfig } from '@rrr/core';
import autocannon from 'autocannon';
import { join } from 'node:path';
import { createPlatform } from '../boot/create-platform';
import { runForkedServerBench } from './run-forked-server-bench';

const DURATION_S = 8;
const CONNECTIONS = 32;

/** Child mode: run the platform and report its URL to the parent. */
async function serve(dir: string): Promise<void> {
  const config = loadConfig({
    env: {},
    configDir: dir,
    overrides: {
      server: { port: 0 },
      database: { sqlitePath: join(dir, 'rrr.db') },
      models: { dir: join(dir, 'models') },
      logging: { level: 'error' },
    },
  });
  const platform = createPlatform(config, createLogger({ level: 'error' }), {
    api: { security: { rateLimit: false } },
  });
  await platform.start();
  process.send?.({ url: platform.url() });
  process.on('message', () => {
    void platform.stop().then(() => process.exit(0));
  });
}

interface RouteResult {
  name: string;
  path: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  bytesPerSecond: number;
  non2xx: number;
  errors: number;
}

async function measure(url: string, name: string, path: string): Promise<RouteResult> {
  const result = await autocannon({ url: `${url}${path}`, connections: CONNECTIONS, duration: DURATION_S });
  return {
    name,
    path,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    bytesPerSecond: result.throughput.average,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

async function measureRoutes(url: string): Promise<void> {
  const first = (await (await fetch(`${url}/api/v1/bars?symbol=SPX&interval=1d&limit=500`)).json()) as {
    items: unknown[];
    nextCursor: string | null;
  };
  if (first.items.length !== 500 || first.nextCursor === null) throw new Error('expected a full first page of SPX');
  // The sixth page: the cursor has been followed five times.
  let cursor: string = first.nextCursor;
  for (let i = 0; i < 4; i++) {
    const page = (await (
      await fetch(`${url}/api/v1/bars?symbol=SPX&interval=1d&limit=500&cursor=${encodeURIComponent(cursor)}`)
    ).json()) as { nextCursor: string | null };
    if (page.nextCursor === null) throw new Error('SPX ran out of pages');
    cursor = page.nextCursor;
  }
  const routes: Array<[string, string]> = [
    ['GET /health', '/health'],
    ['GET /metrics', '/metrics'],
    ['GET /api/v1/bars, first page (500 bars)', '/api/v1/bars?symbol=SPX&interval=1d&limit=500'],
    [
      'GET /api/v1/bars, sixth page via cursor (500 bars)',
      `/api/v1/bars?symbol=SPX&interval=1d&limit=500&cursor=${encodeURIComponent(cursor)}`,
    ],
    ['GET /api/v1/bars, 50 bars', '/api/v1/bars?symbol=SPX&interval=1d&limit=50'],
  ];
  const results: RouteResult[] = [];
  for (const [name, path] of routes) results.push(await measure(url, name, path));

  console.log('### API throughput (autocannon, platform in a child process)');
  console.log('');
  console.log(
    `Platform on SQLite with the bundled SPX/AAPL history and every service running, rate limits off; autocannon ` +
      `${CONNECTIONS} connections, ${DURATION_S} s per route, from the parent process on the same machine.`,
  );
  console.log('');
  console.log('| route | requests/s | p50 ms | p99 ms | MB/s | non-2xx | errors |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.name} | ${Math.round(r.requestsPerSecond).toLocaleString('en-US')} | ${r.p50} | ${r.p99} | ` +
        `${(r.bytesPerSecond / 1e6).toFixed(1)} | ${r.non2xx} | ${r.errors} |`,
    );
  }
  const health = results[0].requestsPerSecond;
  const bars = results[2].requestsPerSecond;
  console.log('');
  console.log(`A 500-bar page costs ${(health / bars).toFixed(1)}× a /health call.`);
}

runForkedServerBench({ tmpPrefix: 'rrr-api-bench-', serve, measure: measureRoutes, stopMessage: 'stop' });
