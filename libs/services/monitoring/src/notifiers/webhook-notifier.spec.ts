import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMetricsRegistry, ManualClock, TimeoutError } from '@rrr/core';
import { AlertManager } from '../alerts/alert-manager';
import type { AlertNotification } from '../alerts/alert-notification';
import { createMonitoringMetrics } from '../metrics/monitoring-metrics';
import type { AlertNotifier } from './alert-notifier';
import { WebhookNotifier, WebhookResponseError } from './webhook-notifier';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback HTTP server answering from a script of responses (the last one repeats); 'hang' never answers. */
async function startServer(script: (number | 'hang' | { status: number; headers: Record<string, string> })[]) {
  const received: Received[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const step = script[Math.min(received.length - 1, script.length - 1)];
      if (step === 'hang') return;
      const { status, headers } = typeof step === 'number' ? { status: step, headers: {} } : step;
      res.writeHead(status, headers).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    received,
    url: `http://127.0.0.1:${port}/hooks/T0KEN-secret`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const notification: AlertNotification = {
  id: '1000-1',
  kind: 'firing',
  reason: 'new',
  rule: 'drawdown',
  key: 'drawdown',
  severity: 'critical',
  labels: {},
  value: 0.2,
  threshold: 0.15,
  message: 'portfolio drawdown: 0.2 > 0.15 (critical)',
  ts: 1_000,
  since: 1_000,
  suppressedCount: 0,
  origin: 'rule',
};

describe('WebhookNotifier', () => {
  const servers: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  async function serve(script: Parameters<typeof startServer>[0]) {
    const server = await startServer(script);
    servers.push(server);
    return server;
  }

  it('POSTs the notification as JSON with the configured headers', async () => {
    const server = await serve([204]);
    const notifier = new WebhookNotifier({ url: server.url, headers: { authorization: 'Bearer abc' } });
    await notifier.notify(notification);
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/hooks/T0KEN-secret');
    expect(request.headers['content-type']).toBe('application/json');
    expect(request.headers['authorization']).toBe('Bearer abc');
    expect(JSON.parse(request.body)).toEqual(notification);
  });

  it('retries 5xx with backoff, honours Retry-After on 429, and then succeeds', async () => {
    const server = await serve([500, { status: 429, headers: { 'retry-after': '2' } }, 200]);
    const delays: number[] = [];
    const notifier = new WebhookNotifier({
      url: server.url,
      baseDelayMs: 100,
      random: () => 0.5,
      sleep: async (ms) => void delays.push(ms),
      body: (n) => ({ text: n.message }),
    });
    await notifier.notify(notification);
    expect(server.received.map((r) => JSON.parse(r.body))).toEqual([
      { text: notification.message },
      { text: notification.message },
      { text: notification.message },
    ]);
    // First retry: full jitter in [0, 100] at random 0.5 → 50; second: the server's 2 s.
    expect(delays).toEqual([50, 2_000]);
  });

  it('does not retry a 4xx (the request itself is wrong) and reports the status', async () => {
    const server = await serve([404]);
    const notifier = new WebhookNotifier({ url: server.url, sleep: async () => undefined });
    const error = await notifier.notify(notification).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WebhookResponseError);
    expect(error).toMatchObject({ status: 404, code: 'SERVICE_FAILED' });
    // The token in the path is never part of the message.
    expect((error as Error).message).toBe(`webhook ${new URL(server.url).origin} answered HTTP 404`);
    expect(server.received).toHaveLength(1);
  });

  it('times out each attempt and gives up after the retries', async () => {
    const server = await serve(['hang']);
    const notifier = new WebhookNotifier({ url: server.url, timeoutMs: 50, retries: 1, sleep: async () => undefined });
    await expect(notifier.notify(notification)).rejects.toBeInstanceOf(TimeoutError);
    expect(server.received).toHaveLength(2);
  });

  it('refuses a URL that is not http(s)', () => {
    expect(() => new WebhookNotifier({ url: 'ftp://example.com/x' })).toThrow(
      'webhook notifier: url: must be an http:// or https:// URL',
    );
  });

  it('a failing webhook does not break alerting: other notifiers still get every alert', async () => {
    const server = await serve([503]);
    const registry = createMetricsRegistry();
    const metrics = createMonitoringMetrics(registry);
    const clock = new ManualClock(0);
    const seen: string[] = [];
    const recorder: AlertNotifier = { name: 'recorder', notify: async (n) => void seen.push(`${n.key}:${n.kind}`) };
    const manager = new AlertManager({
      metrics: registry,
      rules: [
        {
          name: 'drawdown',
          source: { kind: 'metric', metric: 'rrr_drawdown_ratio' },
          op: '>',
          thresholds: { critical: 0.15 },
        },
      ],
      routes: [
        { notifier: new WebhookNotifier({ url: server.url, retries: 2, sleep: async () => undefined }) },
        { notifier: recorder },
      ],
      clock,
      monitoringMetrics: metrics,
    });
    metrics.drawdown.set(0.3);
    expect(await manager.evaluate()).toHaveLength(1);
    metrics.drawdown.set(0);
    clock.advance(1_000);
    expect(await manager.evaluate()).toHaveLength(1);
    await manager.drain();
    expect(seen).toEqual(['drawdown:firing', 'drawdown:resolved']);
    // Two notifications × (1 attempt + 2 retries), all answered 503.
    expect(server.received).toHaveLength(6);
    expect(JSON.parse(server.received[5].body)).toMatchObject({ kind: 'resolved', key: 'drawdown' });
    expect(await registry.metrics()).toContain('rrr_alert_notifier_failures_total{notifier="webhook"} 2');
  });
});
