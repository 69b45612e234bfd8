/**
 * WebSocket fan-out: bar updates published on the bus of a real API server (its own child process, SQLite, the
 * in-process bus) reach 100 and then 1,000 subscribed clients; latency is publish → receipt per client and bar.
 * Both processes read the same wall clock (`performance.timeOrigin + performance.now()`), so the figures include the
 * gateway's serialisation, every socket write, the loopback and the client's event loop — all on one 2-core machine.
 */
import { createLogger, createMetricsRegistry, InProcessEventBus, openDatabase, type Bar } from '@rrr/core';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { createApiServer } from '../api/create-api-server';
import { ApiKeyStore } from '../security';
import { placeOrderUnavailable } from '../ws';
import { runForkedServerBench } from './run-forked-server-bench';

const SYMBOL = 'BTC-USD';
const BARS = 200;
const BARS_PER_SECOND = 20;
const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;

const wallNow = (): number => performance.timeOrigin + performance.now();

type ToChild = { op: 'publish'; count: number; perSecond: number } | { op: 'stop' };
type FromChild = { url: string } | { published: number[] };

/** Child mode: the API server on an ephemeral port; publishes bars on request and reports when each went out. */
async function serve(dir: string): Promise<void> {
  const db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
  const bus = new InProcessEventBus();
  const app = createApiServer({
    logger: createLogger({ level: 'error' }),
    metrics: createMetricsRegistry(),
    health: { health: async () => ({ status: 'up', ts: Date.now(), services: {} }) },
    apiKeys: new ApiKeyStore(db),
    bus,
    placeOrder: placeOrderUnavailable,
    security: { rateLimit: false },
    // No client answers application-level heartbeats during the run.
    ws: { heartbeatIntervalMs: 600_000 },
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  process.send?.({ url } satisfies FromChild);
  process.on('message', (message: ToChild) => {
    if (message.op === 'stop') {
      void app.close().then(() => db.close().then(() => process.exit(0)));
      return;
    }
    void (async () => {
      const published: number[] = [];
      for (let i = 0; i < message.count; i++) {
        const bar: Bar = {
          symbol: SYMBOL,
          interval: '1m',
          ts: T0 + i * MINUTE,
          open: 100 + i,
          high: 101 + i,
          low: 99 + i,
          close: 100.5 + i,
          volume: 10,
        };
        published.push(wallNow());
        await bus.publish('bar', bar);
        await new Promise((resolve) => setTimeout(resolve, 1000 / message.perSecond));
      }
      await bus.idle();
      process.send?.({ published } satisfies FromChild);
    })();
  });
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface PhaseResult {
  clients: number;
  deliveries: number;
  expected: number;
  p50: number;
  p99: number;
  max: number;
  connectMs: number;
}

async function phase(child: ChildProcess, wsUrl: string, clients: number): Promise<PhaseResult> {
  const received: number[][] = Array.from({ length: BARS }, () => []);
  const connectStarted = performance.now();
  const sockets = await Promise.all(
    Array.from(
      { length: clients },
      () =>
        new Promise<WebSocket>((resolve, reject) => {
          const socket = new WebSocket(wsUrl);
          socket.once('error', reject);
          socket.on('message', (data) => {
            const at = wallNow();
            const frame = JSON.parse(String(data)) as { op: string; id?: string; data?: { ts: number } };
            if (frame.op === 'event' && frame.data !== undefined) received[(frame.data.ts - T0) / MINUTE]?.push(at);
            else if (frame.op === 'subscribed') resolve(socket);
            else if (frame.op === 'welcome') {
              socket.send(JSON.stringify({ op: 'subscribe', id: 's', channels: ['bars'], symbols: [SYMBOL] }));
            }
          });
        }),
    ),
  );
  const connectMs = performance.now() - connectStarted;
  const published = await new Promise<number[]>((resolve) => {
    const onMessage = (message: FromChild) => {
      if ('published' in message) {
        child.off('message', onMessage);
        resolve(message.published);
      }
    };
    child.on('message', onMessage);
    child.send({ op: 'publish', count: BARS, perSecond: BARS_PER_SECOND } satisfies ToChild);
  });
  // Let the last frames arrive.
  const expected = BARS * clients;
  const deadline = Date.now() + 10_000;
  while (received.reduce((n, r) => n + r.length, 0) < expected && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const latencies = received.flatMap((times, i) => times.map((at) => at - published[i])).sort((a, b) => a - b);
  await Promise.all(
    sockets.map(
      (socket) =>
        new Promise((resolve) => {
          socket.once('close', resolve);
          socket.close();
        }),
    ),
  );
  return {
    clients,
    deliveries: latencies.length,
    expected,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1],
    connectMs,
  };
}

async function measureFanOut(url: string, child: ChildProcess): Promise<void> {
  const wsUrl = `${url.replace('http', 'ws')}/ws`;
  const results = [await phase(child, wsUrl, 100), await phase(child, wsUrl, 1_000)];

  console.log('### WebSocket fan-out of bar updates (publish on the bus → receipt by each client)');
  console.log('');
  console.log(
    `${BARS} bars at ${BARS_PER_SECOND}/s on the \`bars\` channel of one symbol; the API server in a child process, ` +
      'the clients (ws) in the benchmark process, loopback.',
  );
  console.log('');
  console.log('| clients | deliveries | p50 ms | p99 ms | max ms | connect + subscribe all (ms) |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    console.log(
      `| ${r.clients.toLocaleString('en-US')} | ${r.deliveries.toLocaleString('en-US')} of ${r.expected.toLocaleString('en-US')} | ` +
        `${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} | ${r.max.toFixed(2)} | ${r.connectMs.toFixed(0)} |`,
    );
  }
  console.log('');
  console.log(`p99 at 1,000 clients is ${(results[1].p99 / results[0].p99).toFixed(1)}× p99 at 100 clients.`);
}

runForkedServerBench({
  tmpPrefix: 'rrr-ws-bench-',
  serve,
  measure: measureFanOut,
  stopMessage: { op: 'stop' } satisfies ToChild,
});
