import { ConfigError, ValidationError, type Bar } from '@rrr/core';
import { HttpClient } from '../http/http-client';
import { HttpError } from '../http/http-error';
import { CapturingApiLogger } from '../testing/capturing-api-logger';
import { collect } from '../testing/collect';
import { FakePolygonServer, type FakePolygonAggregate } from '../testing/fake-polygon-server';
import { PolygonRestClient } from './polygon-rest-client';

const MINUTE = 60_000;
const START = Date.parse('2026-03-02T00:00:00Z');

function minuteBars(count: number): FakePolygonAggregate[] {
  return Array.from({ length: count }, (_, i) => {
    const open = 60_000 + i * 10;
    return {
      t: START + i * MINUTE,
      o: open,
      h: open + 25,
      l: open - 15,
      c: open + 5,
      v: 1.5 + i,
      vw: open + 2,
      n: 10 + i,
    };
  });
}

describe('PolygonRestClient.aggregates', () => {
  let fake: FakePolygonServer;
  let http: HttpClient;
  let client: PolygonRestClient;
  let delays: number[];
  let logger: CapturingApiLogger;

  beforeEach(async () => {
    fake = await FakePolygonServer.start({ apiKey: 'polygon-secret-key-123', pageSize: 3 });
    fake.setAggregates('X:BTCUSD', minuteBars(7));
    delays = [];
    logger = new CapturingApiLogger();
    http = new HttpClient({
      defaultRateLimit: { refillPerSecond: 10_000 },
      retry: { retries: 2, baseDelayMs: 10, maxDelayMs: 10 },
      sleep: async (ms) => {
        delays.push(ms);
      },
      logger,
    });
    client = new PolygonRestClient({ apiKey: fake.apiKey, baseUrl: fake.restUrl, http, logger });
  });

  afterEach(async () => {
    await client.close();
    await http.close();
    await fake.close();
  });

  it('follows next_url page by page, re-attaching the key, and maps every field to a core Bar', async () => {
    const bars = await collect(
      client.aggregates({
        ticker: 'X:BTCUSD',
        multiplier: 1,
        timespan: 'minute',
        from: START,
        to: START + 10 * MINUTE,
      }),
    );
    expect(bars).toHaveLength(7);
    expect(bars[0]).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
      ts: START,
      open: 60_000,
      high: 60_025,
      low: 59_985,
      close: 60_005,
      volume: 1.5,
      vwap: 60_002,
      trades: 10,
    });
    expect(bars.map((b) => b.ts)).toEqual(Array.from({ length: 7 }, (_, i) => START + i * MINUTE));
    expect(fake.requests).toHaveLength(3);
    expect(fake.requests[0].path).toBe(`/v2/aggs/ticker/X%3ABTCUSD/range/1/minute/${START}/${START + 10 * MINUTE}`);
    expect(fake.requests[0].query).toMatchObject({ adjusted: 'true', sort: 'asc', limit: '50000' });
    expect(fake.requests.map((r) => r.query['apiKey'])).toEqual(Array(3).fill(fake.apiKey));
    expect(fake.requests.map((r) => r.query['cursor'])).toEqual([undefined, expect.any(String), expect.any(String)]);
    expect(logger.text()).not.toContain(fake.apiKey);
  });

  it('accepts YYYY-MM-DD edges and an explicit symbol', async () => {
    fake.setAggregates('AAPL', [
      { t: Date.parse('2026-03-02T14:30:00Z'), o: 180, h: 182, l: 179, c: 181, v: 1_000_000 },
      { t: Date.parse('2026-03-03T14:30:00Z'), o: 181, h: 185, l: 180, c: 184, v: 1_200_000 },
      { t: Date.parse('2026-03-04T14:30:00Z'), o: 184, h: 186, l: 183, c: 185, v: 900_000 },
    ]);
    const bars = await collect(
      client.aggregates({ ticker: 'AAPL', from: '2026-03-02', to: '2026-03-03', symbol: 'AAPL' }),
    );
    expect(bars.map((b) => [b.symbol, b.interval, b.close])).toEqual([
      ['AAPL', '1d', 181],
      ['AAPL', '1d', 184],
    ]);
    expect(bars[0].vwap).toBeUndefined();
  });

  it('honours a 429 Retry-After in the middle of pagination without losing or repeating bars', async () => {
    const iterator = client.aggregates({
      ticker: 'X:BTCUSD',
      timespan: 'minute',
      from: START,
      to: START + 10 * MINUTE,
    });
    const first = await iterator.next();
    expect(first.value).toMatchObject({ ts: START });
    fake.injectFaults([{ status: 429, headers: { 'retry-after': '3' }, body: { status: 'ERROR', error: 'too many' } }]);
    const rest: Bar[] = [];
    for await (const bar of { [Symbol.asyncIterator]: () => iterator }) rest.push(bar);
    expect([first.value as Bar, ...rest].map((b) => b.ts)).toEqual(
      Array.from({ length: 7 }, (_, i) => START + i * MINUTE),
    );
    expect(delays).toEqual([3_000]);
    expect(fake.requests).toHaveLength(4);
  });

  it('rejects a malformed page with DATA_INVALID naming the field, after yielding the good pages', async () => {
    const iterator = client.aggregates({
      ticker: 'X:BTCUSD',
      timespan: 'minute',
      from: START,
      to: START + 10 * MINUTE,
    });
    const seen: Bar[] = [];
    for (let i = 0; i < 3; i++) seen.push((await iterator.next()).value as Bar);
    const good = minuteBars(5);
    fake.injectFaults([{ status: 200, body: { status: 'OK', results: [good[3], { ...good[4], o: 'n/a' }] } }]);
    const error = (await iterator.next().catch((e: unknown) => e)) as ValidationError;
    expect(seen.map((b) => b.ts)).toEqual([START, START + MINUTE, START + 2 * MINUTE]);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.code).toBe('DATA_INVALID');
    expect(error.problems.map((p) => p.field)).toEqual(['results[1].o']);
    expect(error.message).toMatch(
      new RegExp(
        `^GET ${fake.host}/v2/aggs/ticker/X%3ABTCUSD/range/1/minute/${START}/${START + 10 * MINUTE} \\(HTTP 200\\) response: results\\[1\\]\\.o: `,
      ),
    );
    expect(error.message).not.toContain(fake.apiKey);
  });

  it('refuses a next_url on another origin rather than sending the key there', async () => {
    fake.injectFaults([
      {
        status: 200,
        body: { status: 'OK', results: minuteBars(1), next_url: 'https://evil.example/v2/aggs?cursor=x' },
      },
    ]);
    const bars: Bar[] = [];
    const error = await (async () => {
      for await (const bar of client.aggregates({ ticker: 'X:BTCUSD', timespan: 'minute', from: START, to: START })) {
        bars.push(bar);
      }
    })().catch((e: unknown) => e);
    expect(bars).toHaveLength(1);
    expect(error).toMatchObject({ code: 'DATA_INVALID', problems: [{ field: 'next_url' }] });
    expect((error as Error).message).toContain('refusing to send the API key to https://evil.example');
    expect(fake.requests).toHaveLength(1);
  });

  it('reports a rejected key as UNAUTHORIZED without echoing it', async () => {
    const wrong = new PolygonRestClient({ apiKey: 'wrong-key-0000', baseUrl: fake.restUrl, http });
    const error = (await collect(wrong.aggregates({ ticker: 'AAPL', from: '2026-03-02', to: '2026-03-03' })).catch(
      (e: unknown) => e,
    )) as HttpError;
    expect(error).toBeInstanceOf(HttpError);
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.message).toBe(
      `GET ${fake.host}/v2/aggs/ticker/AAPL/range/1/day/2026-03-02/2026-03-03: HTTP 401 Unauthorized`,
    );
    expect(JSON.stringify(error.toJSON())).not.toContain('wrong-key-0000');
    expect(fake.requests).toHaveLength(1);
  });

  it('validates the query and the configuration up front', async () => {
    const error = (await collect(
      client.aggregates({
        ticker: 'X:BTC USD',
        multiplier: 0,
        timespan: 'minute',
        from: 'yesterday',
        to: START,
        limit: 60_000,
      }),
    ).catch((e: unknown) => e)) as ValidationError;
    expect(error.problems.map((p) => p.field)).toEqual(['ticker', 'multiplier', 'limit', 'from']);
    await expect(
      collect(client.aggregates({ ticker: 'AAPL', multiplier: 2, timespan: 'minute', from: START, to: START })),
    ).rejects.toThrow(/multiplier\/timespan: must be one of/);
    expect(() => new PolygonRestClient({ env: {}, baseUrl: fake.restUrl })).toThrow(ConfigError);
    expect(() => new PolygonRestClient({ env: {}, baseUrl: fake.restUrl })).toThrow(/POLYGON_API_KEY: is required/);
    expect(fake.requests).toHaveLength(0);
  });
});
