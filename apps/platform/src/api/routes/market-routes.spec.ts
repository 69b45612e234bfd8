import { createLogger, type Bar, type Signal } from '@rrr/core';
import { BarStore } from '@rrr/data-pipeline';
import { Writable } from 'node:stream';
import { createSignalRecorderService, type SignalRecorderService } from '../../boot/signal-recorder-service';
import { startApiTestServer, type ApiTestServer } from '../../ws/testing/api-test-server';

interface ErrorBody {
  error: { code: string; message: string; details?: { problems?: { field: string; message: string }[] } };
}
interface BarsPage {
  items: { ts: number; open: number; high: number; low: number; close: number; volume: number }[];
  nextCursor: string | null;
}

const DAY = 86_400_000;
const HOUR = 3_600_000;
const SPX_T0 = Date.UTC(2000, 0, 3);
const SPX_BARS = 1_234;
const silent = new Writable({ write: (_chunk, _enc, done) => done() });

function dailyBar(i: number): Bar {
  const close = 1_400 + Math.sin(i / 10) * 50;
  return {
    symbol: 'SPX',
    interval: '1d',
    ts: SPX_T0 + i * DAY,
    open: close - 1,
    high: close + 5,
    low: close - 6,
    close,
    volume: 1e9 + i,
  };
}

describe('market routes (symbols, bars, predictions, signals)', () => {
  let server: ApiTestServer;
  let recorder: SignalRecorderService;
  const spx = Array.from({ length: SPX_BARS }, (_, i) => dailyBar(i));
  const btcT0 = Date.UTC(2024, 0, 1);

  const get = async <T>(path: string): Promise<{ status: number; body: T }> => {
    const response = await fetch(`${server.url}${path}`);
    return { status: response.status, body: (await response.json()) as T };
  };

  beforeAll(async () => {
    server = await startApiTestServer({ deps: ({ db }) => ({ db }) });
    const store = new BarStore(server.db);
    await store.upsert(spx);
    await store.upsert(
      Array.from({ length: 30 }, (_, i) => ({
        symbol: 'BTC-USD',
        interval: '1h' as const,
        ts: btcT0 + i * HOUR,
        open: 40_000,
        high: 40_100,
        low: 39_900,
        close: 40_050,
        volume: 12.5,
      })),
    );
    await server.db.insertMany('ml_models', [
      {
        id: 7,
        name: 'spx-logistic-1d',
        version: 3,
        kind: 'logistic',
        symbol: 'SPX',
        interval: '1d',
        horizon_ms: DAY,
        status: 'active',
        created_at: SPX_T0,
      },
    ]);
    await server.db.insertMany(
      'predictions',
      [0, 1, 2].map((i) => ({
        model_id: 7,
        symbol: i === 1 ? 'AAPL' : 'SPX',
        interval: '1d',
        ts: SPX_T0 + (i + 1) * DAY,
        label: 'up',
        probabilities: { down: 0.2, flat: 0.3, up: 0.5 },
        confidence: 0.5,
        created_at: SPX_T0,
      })),
    );
    recorder = createSignalRecorderService({
      db: server.db,
      bus: server.bus,
      logger: createLogger({ level: 'silent', destination: silent }),
    });
    await recorder.start();
  });

  afterAll(async () => {
    await recorder.stop();
    await server.close();
  });

  it('lists each symbol with its intervals, bar counts and time ranges', async () => {
    const { status, body } = await get<{ items: unknown[] }>('/api/v1/symbols');
    expect(status).toBe(200);
    expect(body.items).toEqual([
      { symbol: 'BTC-USD', intervals: [{ interval: '1h', bars: 30, firstTs: btcT0, lastTs: btcT0 + 29 * HOUR }] },
      {
        symbol: 'SPX',
        intervals: [{ interval: '1d', bars: SPX_BARS, firstTs: SPX_T0, lastTs: SPX_T0 + (SPX_BARS - 1) * DAY }],
      },
    ]);
  });

  it('pages through a series with the cursor: every bar exactly once, in order, and no empty last page', async () => {
    const seen: number[] = [];
    let pages = 0;
    let path = '/api/v1/bars?symbol=SPX&limit=100';
    for (;;) {
      const { status, body } = await get<BarsPage>(path);
      expect(status).toBe(200);
      pages += 1;
      expect(body.items.length).toBeGreaterThan(0);
      seen.push(...body.items.map((b) => b.ts));
      if (body.nextCursor === null || pages >= 100) break;
      path = `/api/v1/bars?symbol=SPX&limit=100&cursor=${body.nextCursor}`;
    }
    expect(pages).toBe(Math.ceil(SPX_BARS / 100));
    expect(seen).toEqual(spx.map((b) => b.ts));

    const first = await get<BarsPage>('/api/v1/bars?symbol=SPX&interval=1d&limit=2');
    expect(first.body.items).toEqual(
      spx.slice(0, 2).map(({ ts, open, high, low, close, volume }) => ({ ts, open, high, low, close, volume })),
    );
    // A page that ends exactly at the last bar says so.
    const all = await get<BarsPage>(`/api/v1/bars?symbol=SPX&limit=${SPX_BARS}`);
    expect(all.body.items.length).toBe(SPX_BARS);
    expect(all.body.nextCursor).toBeNull();
  });

  it('reads [from, to) given as ISO dates or epoch milliseconds, and keeps the range across pages', async () => {
    const from = '2000-01-13';
    const to = SPX_T0 + 20 * DAY;
    const one = await get<BarsPage>(`/api/v1/bars?symbol=SPX&from=${from}&to=${to}`);
    expect(one.body.items.map((b) => b.ts)).toEqual(spx.slice(10, 20).map((b) => b.ts));
    expect(one.body.nextCursor).toBeNull();

    const page1 = await get<BarsPage>(`/api/v1/bars?symbol=SPX&from=${from}&to=${to}&limit=6`);
    expect(page1.body.items.length).toBe(6);
    const page2 = await get<BarsPage>(
      `/api/v1/bars?symbol=SPX&from=${from}&to=${to}&limit=6&cursor=${page1.body.nextCursor}`,
    );
    expect([...page1.body.items, ...page2.body.items].map((b) => b.ts)).toEqual(spx.slice(10, 20).map((b) => b.ts));
    expect(page2.body.nextCursor).toBeNull();
    const unknown = await get<BarsPage>('/api/v1/bars?symbol=ETH-USD');
    expect(unknown).toEqual({ status: 200, body: { items: [], nextCursor: null } });
  });

  it('answers bad queries with 400 naming the parameter and the problem', async () => {
    const otherSeries = (await get<BarsPage>('/api/v1/bars?symbol=BTC-USD&interval=1h&limit=1')).body.nextCursor;
    const cases: [string, string, string][] = [
      ['/api/v1/bars?symbol=SPX&limit=5001', 'querystring.limit', 'must be <= 5000'],
      ['/api/v1/bars?symbol=SPX&limit=0', 'querystring.limit', 'must be >= 1'],
      ['/api/v1/bars?symbol=btc-usd', 'querystring.symbol', 'must match pattern'],
      ['/api/v1/bars?interval=1d', 'querystring.symbol', "must have required property 'symbol'"],
      ['/api/v1/bars?symbol=SPX&interval=2d', 'querystring.interval', 'must be one of "1m", "5m"'],
      ['/api/v1/bars?symbol=SPX&from=yesterday', 'querystring.from', 'must be epoch milliseconds or an ISO-8601'],
      ['/api/v1/bars?symbol=SPX&to=2020-13-45', 'querystring.to', 'must be epoch milliseconds or an ISO-8601'],
      ['/api/v1/bars?symbol=SPX&from=2020-02-01&to=2020-01-01', 'querystring.to', 'must not be before from'],
      ['/api/v1/bars?symbol=SPX&cursor=not-a-cursor', 'querystring.cursor', 'is not a cursor this server issued'],
      [`/api/v1/bars?symbol=SPX&cursor=${otherSeries}`, 'querystring.cursor', 'was issued for BTC-USD 1h'],
      ['/api/v1/predictions?limit=1001', 'querystring.limit', 'must be <= 1000'],
      ['/api/v1/signals?symbol=x', 'querystring.symbol', 'must'],
    ];
    for (const [path, field, message] of cases) {
      const { status, body } = await get<ErrorBody>(path);
      expect({ path, status, code: body.error.code }).toEqual({ path, status: 400, code: 'VALIDATION_FAILED' });
      expect(body.error.details?.problems?.[0].field).toBe(field);
      expect(body.error.details?.problems?.[0].message).toContain(message);
    }
  });

  it('lists predictions newest first with the model that made them, optionally of one symbol', async () => {
    const all = await get<{ items: { ts: number; symbol: string }[] }>('/api/v1/predictions');
    expect(all.body.items.map((p) => [p.symbol, p.ts])).toEqual([
      ['SPX', SPX_T0 + 3 * DAY],
      ['AAPL', SPX_T0 + 2 * DAY],
      ['SPX', SPX_T0 + DAY],
    ]);
    const spxOnly = await get<{ items: unknown[] }>('/api/v1/predictions?symbol=SPX&limit=1');
    expect(spxOnly.body.items).toEqual([
      {
        id: expect.any(Number),
        ts: SPX_T0 + 3 * DAY,
        symbol: 'SPX',
        interval: '1d',
        model: 'spx-logistic-1d@3',
        kind: 'logistic',
        horizonMs: DAY,
        predicted: 'up',
        probabilities: { down: 0.2, flat: 0.3, up: 0.5 },
        confidence: 0.5,
        predictedReturn: null,
      },
    ]);
  });

  it('persists the signals published on the bus once each, and lists them newest first by symbol and source', async () => {
    const t0 = Date.UTC(2024, 0, 2);
    const signals: Signal[] = [
      { symbol: 'BTC-USD', ts: t0, direction: 'long', strength: 0.8, source: 'sma-cross(20,50)', price: 40_000 },
      {
        symbol: 'ETH-USD',
        ts: t0 + 60_000,
        direction: 'short',
        strength: 0.6,
        source: 'eth-mlp@2',
        reason: 'p(down)=0.6',
      },
      { symbol: 'BTC-USD', ts: t0 + 120_000, direction: 'flat', strength: 0, source: 'sma-cross(20,50)' },
    ];
    for (const signal of signals) await server.bus.publish('signal', signal);
    // A redelivery and an invalid payload: neither becomes a row.
    await server.bus.publish('signal', signals[0]);
    await server.bus.publish('signal', { ...signals[0], strength: 2 });
    await server.bus.idle();
    await recorder.flush();
    expect(recorder.health()).toMatchObject({
      status: 'up',
      details: { recorded: 3, duplicates: 1, invalid: 1, failedWrites: 0, pending: 0 },
    });

    const all = await get<{ items: { ts: number; source: string }[] }>('/api/v1/signals');
    expect(all.body.items.map((s) => s.ts)).toEqual([t0 + 120_000, t0 + 60_000, t0]);
    expect(all.body.items[2]).toEqual({
      id: expect.any(Number),
      ...signals[0],
      reason: null,
    });
    const btc = await get<{ items: { ts: number }[] }>('/api/v1/signals?symbol=BTC-USD&limit=1');
    expect(btc.body.items.map((s) => s.ts)).toEqual([t0 + 120_000]);
    const model = await get<{ items: unknown[] }>('/api/v1/signals?source=eth-mlp@2');
    expect(model.body.items).toEqual([{ id: expect.any(Number), ...signals[1], price: null }]);
  });
});
