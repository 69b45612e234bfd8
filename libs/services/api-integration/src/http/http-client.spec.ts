import {
  createLogger,
  createMetricsRegistry,
  ManualClock,
  RrrError,
  ValidationError,
  type MetricsRegistry,
} from '@rrr/core';
import { Writable } from 'node:stream';
import { createServer } from 'node:net';
import { z } from 'zod';
import { CapturingApiLogger } from '../testing/capturing-api-logger';
import { FakeHttpServer } from '../testing/fake-http-server';
import { waitUntil } from '../testing/wait-until';
import type { ApiLogger } from './api-logger';
import { HttpClient, type HttpClientOptions } from './http-client';
import { HttpError } from './http-error';

const priceSchema = z.object({ symbol: z.string(), price: z.number().positive() });

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('HttpClient', () => {
  let fake: FakeHttpServer;
  let client: HttpClient;
  let delays: number[];
  let metrics: MetricsRegistry;
  let logger: CapturingApiLogger;

  function makeClient(options: HttpClientOptions = {}): HttpClient {
    return new HttpClient({
      defaultRateLimit: { refillPerSecond: 10_000 },
      retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000 },
      sleep: async (ms) => {
        delays.push(ms);
      },
      random: () => 0.5,
      metrics,
      logger,
      ...options,
    });
  }

  beforeEach(async () => {
    fake = await FakeHttpServer.start((request) => ({
      status: 200,
      body: { symbol: request.query['symbol'] ?? 'BTC-USD', price: 50_000 },
    }));
    delays = [];
    metrics = createMetricsRegistry();
    logger = new CapturingApiLogger();
    client = makeClient();
  });

  afterEach(async () => {
    await client.close();
    await fake.close();
  });

  it('decodes JSON and reuses kept-alive connections for sequential requests', async () => {
    const results = [];
    for (let i = 0; i < 10; i++) {
      results.push(await client.requestJson({ url: `${fake.url}/price`, query: { symbol: `S${i}-USD` } }, priceSchema));
    }
    expect(results.map((r) => r.symbol)).toEqual(Array.from({ length: 10 }, (_, i) => `S${i}-USD`));
    expect(fake.requests).toHaveLength(10);
    // undici may open a second socket while the first is still settling; without keep-alive there would be ten.
    expect(fake.connectionsAccepted).toBeLessThanOrEqual(2);
  });

  it('waits exactly the Retry-After seconds of a 429 before retrying', async () => {
    fake.injectFaults([{ status: 429, headers: { 'retry-after': '2' }, body: { error: 'slow down' } }]);
    const response = await client.requestJson({ url: `${fake.url}/price` }, priceSchema);
    expect(response.price).toBe(50_000);
    expect(delays).toEqual([2_000]);
    expect(fake.requests).toHaveLength(2);
    const text = await metrics.metrics();
    expect(text).toContain(`rrr_http_requests_total{host="${fake.host}",method="GET",status="429"} 1`);
    expect(text).toContain(`rrr_http_requests_total{host="${fake.host}",method="GET",status="200"} 1`);
    expect(text).toContain(`rrr_http_errors_total{host="${fake.host}",code="RATE_LIMITED"} 1`);
  });

  it('reads a Retry-After HTTP date against the injected clock', async () => {
    const clock = new ManualClock(Date.parse('2026-01-05T10:00:00Z'));
    await client.close();
    client = makeClient({ clock });
    fake.injectFaults([{ status: 429, headers: { 'retry-after': 'Mon, 05 Jan 2026 10:00:03 GMT' } }]);
    await client.request({ url: `${fake.url}/price` });
    expect(delays).toEqual([3_000]);
  });

  it('fails with RATE_LIMITED at once when Retry-After exceeds maxRetryAfterMs', async () => {
    await client.close();
    client = makeClient({ retry: { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000, maxRetryAfterMs: 5_000 } });
    fake.injectFaults([{ status: 429, headers: { 'retry-after': '120' } }]);
    const error = await client.request({ url: `${fake.url}/price` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).code).toBe('RATE_LIMITED');
    expect((error as HttpError).retryAfterMs).toBe(120_000);
    expect((error as HttpError).message).toBe(
      `GET ${fake.host}/price: HTTP 429 Too Many Requests (Retry-After 120000 ms)`,
    );
    expect(delays).toEqual([]);
    expect(fake.requests).toHaveLength(1);
  });

  it('retries 5xx with exponential backoff and full jitter, then gives up with SERVICE_UNAVAILABLE', async () => {
    fake.injectFaults([{ status: 503 }, { status: 502 }, { status: 500 }, { status: 503 }]);
    const error = (await client.request({ url: `${fake.url}/price` }).catch((e: unknown) => e)) as HttpError;
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.status).toBe(503);
    expect(error.message).toBe(`GET ${fake.host}/price: HTTP 503 Service Unavailable`);
    // random() = 0.5 draws floor(0.5 * (ceiling + 1)) from ceilings 100, 200, 400.
    expect(delays).toEqual([50, 100, 200]);
    expect(fake.requests).toHaveLength(4);
  });

  it('retries a connection reset and a timeout, naming host and path when it finally times out', async () => {
    await client.close();
    client = makeClient({ timeoutMs: 50, retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 10 } });
    fake.injectFaults([{ reset: true }]);
    expect((await client.requestJson({ url: `${fake.url}/price` }, priceSchema)).price).toBe(50_000);
    expect(fake.requests).toHaveLength(2);

    fake.injectFaults([{ delayMs: 200 }, { delayMs: 200 }, { delayMs: 200 }]);
    const error = (await client.request({ url: `${fake.url}/slow` }).catch((e: unknown) => e)) as HttpError;
    expect(error.code).toBe('TIMEOUT');
    expect(error.message).toBe(`GET ${fake.host}/slow: no complete response within 50 ms`);
    expect(fake.requestsTo('/slow')).toHaveLength(3);
  });

  it('reports a refused connection as SERVICE_UNAVAILABLE with the network code', async () => {
    const port = await freePort();
    const error = (await client.request({ url: `http://127.0.0.1:${port}/x` }).catch((e: unknown) => e)) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(error.networkCode).toBe('ECONNREFUSED');
    expect(error.message).toBe(`GET 127.0.0.1:${port}/x: network error ECONNREFUSED`);
    expect(delays).toHaveLength(3);
  });

  it('does not resend a POST after a 503 (it may have been processed) but does after a 429', async () => {
    fake.injectFaults([{ status: 503 }]);
    const error = (await client
      .request({ url: `${fake.url}/order`, method: 'POST', body: 'x=1' })
      .catch((e: unknown) => e)) as HttpError;
    expect(error.status).toBe(503);
    expect(fake.requestsTo('/order')).toHaveLength(1);

    fake.injectFaults([{ status: 429, headers: { 'retry-after': '1' } }]);
    const response = await client.request({ url: `${fake.url}/order`, method: 'POST', body: 'x=1' });
    expect(response.status).toBe(200);
    expect(response.attempts).toBe(2);
    expect(fake.requestsTo('/order')).toHaveLength(3);
    expect(fake.requestsTo('/order')[2].body).toBe('x=1');
  });

  describe('circuit breaker', () => {
    let clock: ManualClock;

    beforeEach(async () => {
      await client.close();
      clock = new ManualClock(1_000_000);
      client = makeClient({
        clock,
        retry: { retries: 0 },
        breaker: { failureThreshold: 3, resetTimeoutMs: 5_000 },
      });
    });

    it('opens after a 5xx burst, refuses without calling the host, and closes after a successful half-open probe', async () => {
      fake.injectFaults([{ status: 500 }, { status: 502 }, { status: 503 }]);
      for (let i = 0; i < 3; i++) {
        await expect(client.request({ url: `${fake.url}/price` })).rejects.toMatchObject({
          code: 'SERVICE_UNAVAILABLE',
        });
      }
      expect(client.circuitState(fake.host)).toBe('open');

      const refused = (await client.request({ url: `${fake.url}/price` }).catch((e: unknown) => e)) as HttpError;
      expect(refused.code).toBe('CIRCUIT_OPEN');
      expect(refused.message).toBe(
        `GET ${fake.host}/price: circuit for ${fake.host} is open after repeated failures; next attempt allowed at ${new Date(1_005_000).toISOString()}`,
      );
      expect(fake.requests).toHaveLength(3);

      clock.advance(5_000);
      const probe = await client.requestJson({ url: `${fake.url}/price` }, priceSchema);
      expect(probe.price).toBe(50_000);
      expect(client.circuitState(fake.host)).toBe('closed');
      expect(fake.requests).toHaveLength(4);
      expect(logger.at('warn').some((line) => line.message === 'http circuit state change')).toBe(true);
    });

    it('tells circuit listeners about every transition of every host, until they unsubscribe', async () => {
      const changes: string[] = [];
      const unsubscribe = client.onCircuitStateChange((c) => changes.push(`${c.name} ${c.from}->${c.to} @${c.at}`));
      fake.injectFaults([{ status: 503 }, { status: 503 }, { status: 503 }]);
      for (let i = 0; i < 3; i++) await client.request({ url: `${fake.url}/p` }).catch(() => undefined);
      clock.advance(5_000);
      await client.request({ url: `${fake.url}/p` });
      expect(changes).toEqual([
        `${fake.host} closed->open @1000000`,
        `${fake.host} open->half-open @1005000`,
        `${fake.host} half-open->closed @1005000`,
      ]);
      unsubscribe();
      fake.injectFaults([{ status: 503 }, { status: 503 }, { status: 503 }]);
      for (let i = 0; i < 3; i++) await client.request({ url: `${fake.url}/p` }).catch(() => undefined);
      expect(client.circuitState(fake.host)).toBe('open');
      expect(changes).toHaveLength(3);
    });

    it('re-opens when the half-open probe fails', async () => {
      fake.injectFaults([{ status: 503 }, { status: 503 }, { status: 503 }, { status: 503 }]);
      for (let i = 0; i < 3; i++) await client.request({ url: `${fake.url}/p` }).catch(() => undefined);
      clock.advance(5_000);
      await expect(client.request({ url: `${fake.url}/p` })).rejects.toMatchObject({ status: 503 });
      expect(client.circuitState(fake.host)).toBe('open');
      await expect(client.request({ url: `${fake.url}/p` })).rejects.toMatchObject({ code: 'CIRCUIT_OPEN' });
      expect(fake.requests).toHaveLength(4);
    });

    it('does not count 4xx other than 429 as failures', async () => {
      fake.setHandler(() => ({ status: 404, body: { error: 'no such ticker' } }));
      for (let i = 0; i < 6; i++) {
        await expect(client.request({ url: `${fake.url}/missing` })).rejects.toMatchObject({ code: 'NOT_FOUND' });
      }
      expect(client.circuitState(fake.host)).toBe('closed');
      fake.setHandler(() => ({ status: 429 }));
      for (let i = 0; i < 3; i++) await client.request({ url: `${fake.url}/busy` }).catch(() => undefined);
      expect(client.circuitState(fake.host)).toBe('open');
    });
  });

  it('refuses requests once closed', async () => {
    await client.close();
    await expect(client.request({ url: `${fake.url}/price?apiKey=k1` })).rejects.toThrow(
      new RrrError('SERVICE_UNAVAILABLE', `GET ${fake.host}/price: the http client is closed`),
    );
    expect(fake.requests).toHaveLength(0);
  });

  it('holds requests beyond a host rate limit until its bucket refills', async () => {
    await client.close();
    const clock = new ManualClock(0);
    client = makeClient({ clock, rateLimits: { [fake.host]: { refillPerSecond: 20, capacity: 2 } } });
    const calls = [1, 2, 3].map((i) => client.request({ url: `${fake.url}/price`, query: { symbol: `S${i}-USD` } }));
    await waitUntil(
      () => fake.requests.length === 2 && client.rateLimitWaiting(fake.host) === 1,
      'two requests through',
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.requests).toHaveLength(2);
    clock.advance(50);
    await Promise.all(calls);
    expect(fake.requests.map((r) => r.query['symbol'])).toEqual(['S1-USD', 'S2-USD', 'S3-USD']);
  });

  it('rejects a malformed payload with DATA_INVALID naming the field', async () => {
    fake.injectFaults([{ status: 200, body: { symbol: 'BTC-USD', price: 'fifty thousand' } }]);
    const error = (await client
      .requestJson({ url: `${fake.url}/price` }, priceSchema)
      .catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('DATA_INVALID');
    expect(error.problems.map((p) => p.field)).toEqual(['price']);
    expect(error.message).toMatch(
      new RegExp(`^GET ${fake.host}/price \\(HTTP 200\\) response: price: .*expected number`),
    );
    expect(await metrics.metrics()).toContain(`rrr_http_errors_total{host="${fake.host}",code="DATA_INVALID"} 1`);

    fake.injectFaults([{ status: 200, body: '<html>502 Bad Gateway</html>' }]);
    const notJson = (await client
      .requestJson({ url: `${fake.url}/price` }, priceSchema)
      .catch((e: unknown) => e)) as ValidationError;
    expect(notJson.problems[0].field).toBe('(body)');
    expect(notJson.message).toContain('is not valid JSON');
  });

  it("writes through core's pino logger as structured lines, the key redacted", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(
          ...chunk
            .toString()
            .split('\n')
            .filter((line) => line !== ''),
        );
        done();
      },
    });
    const pinoLogger: ApiLogger = createLogger({ level: 'debug', destination });
    await client.close();
    client = makeClient({ logger: pinoLogger, retry: { retries: 1, baseDelayMs: 1, maxDelayMs: 1 } });
    fake.injectFaults([{ status: 502 }]);
    await client.request({ url: `${fake.url}/v2/aggs`, query: { apiKey: 'pino-secret-key' } });
    const records = lines.map(
      (line) => JSON.parse(line) as { level: string; msg: string; url?: string; status?: number },
    );
    expect(records.map((r) => [r.level, r.msg, r.status])).toEqual([
      ['debug', 'http response', 502],
      ['warn', 'http attempt failed; retrying', 502],
      ['debug', 'http response', 200],
    ]);
    expect(records[1].url).toBe(`${fake.url}/v2/aggs?apiKey=[redacted]`);
    expect(lines.join('\n')).not.toContain('pino-secret-key');
  });

  it('keeps API keys out of error messages, details and log lines', async () => {
    const secret = 'pk_live_9f8e7d6c5b4a';
    client.addSecrets(secret);
    fake.setHandler(() => ({ status: 503, body: { error: `key ${secret} is over quota` } }));
    const error = (await client
      .request({ url: `${fake.url}/v2/aggs?apiKey=${secret}`, query: { token: secret } })
      .catch((e: unknown) => e)) as RrrError;
    expect(error.code).toBe('SERVICE_UNAVAILABLE');
    expect(fake.requests[0].query['apiKey']).toBe(secret);
    const everything = [error.message, JSON.stringify(error.toJSON()), logger.text()].join('\n');
    expect(everything).not.toContain(secret);
    expect(JSON.stringify(error.toJSON())).toContain('key [redacted] is over quota');
    expect(logger.text()).toContain('apiKey=[redacted]');
    expect(logger.at('warn').filter((line) => line.message === 'http attempt failed; retrying')).toHaveLength(3);
  });
});
