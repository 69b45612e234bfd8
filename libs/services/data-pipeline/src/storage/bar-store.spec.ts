import { PostgresTestSchemas, openDatabase, type Bar, type Database } from '@rrr/core';
import { TempSqlite } from '../testing/temp-sqlite';
import { BarStore } from './bar-store';
import { readCheckpoint, writeCheckpoint } from './checkpoint-store';
import { countQuarantined, readQuarantined, storeQuarantined } from './quarantine-store';
import { readSymbols, registerSymbols } from './symbol-registry';

const MIN = 60_000;
const T0 = Date.UTC(2024, 0, 1);

function bars(n: number, symbol = 'BTC-USD', extra: Partial<Bar> = {}): Bar[] {
  return Array.from({ length: n }, (_, i) => ({
    symbol,
    interval: '1m' as const,
    ts: T0 + i * MIN,
    open: 100 + i,
    high: 101 + i,
    low: 99 + i,
    close: 100.5 + i,
    volume: 10 + i,
    ...(i % 2 === 0 ? { vwap: 100.25 + i, trades: i } : {}),
    ...extra,
  }));
}

async function collect(stream: AsyncIterable<Bar[]>): Promise<Bar[][]> {
  const out: Bar[][] = [];
  for await (const batch of stream) out.push(batch);
  return out;
}

describe.each(['sqlite', 'postgres'] as const)('BarStore (%s)', (dialect) => {
  const temp = new TempSqlite('rrr-bar-store-');
  let schemas: PostgresTestSchemas | undefined;
  let db: Database;
  let store: BarStore;

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      db = await temp.open();
    } else {
      schemas = await PostgresTestSchemas.connect();
      db = await openDatabase({ url: (await schemas.create()).url, sqlitePath: ':memory:' });
    }
    store = new BarStore(db);
  });

  afterAll(async () => {
    if (dialect === 'postgres') await db.close();
    await schemas?.dropAll();
    await temp.cleanup();
  });

  it('upserts idempotently, reading back exactly what was written (vwap and trades only where given)', async () => {
    const written = bars(50);
    expect(await store.upsert(written)).toBe(50);
    expect(await store.upsert(written)).toBe(50);
    expect(await store.count({ symbol: 'BTC-USD', interval: '1m' })).toBe(50);
    const page = await store.page({ symbol: 'BTC-USD', interval: '1m', limit: 50 });
    expect(page.bars).toEqual(written);
  });

  it('bulk-inserts a batch of one series and a batch mixing series alike', async () => {
    const one = bars(30, 'ONE-USD');
    const mixed = [...bars(20, 'MIX-USD'), ...bars(20, 'MIX-EUR', { interval: '5m' })];
    expect(await store.upsert(one)).toBe(30);
    expect(await store.upsert(mixed)).toBe(40);
    expect((await store.page({ symbol: 'ONE-USD', interval: '1m' })).bars).toEqual(one);
    expect((await store.page({ symbol: 'MIX-USD', interval: '1m' })).bars).toEqual(mixed.slice(0, 20));
    expect((await store.page({ symbol: 'MIX-EUR', interval: '5m' })).bars).toEqual(mixed.slice(20));
    await store.delete({ symbol: 'ONE-USD', interval: '1m' });
    await store.delete({ symbol: 'MIX-USD', interval: '1m' });
    await store.delete({ symbol: 'MIX-EUR', interval: '5m' });
  });

  it('overwrites a bar on conflict: the last write wins, including clearing vwap', async () => {
    const [first] = bars(1);
    await store.upsert([{ ...first, close: 111, high: 111, vwap: undefined, trades: undefined }]);
    const {
      bars: [read],
    } = await store.page({ symbol: 'BTC-USD', interval: '1m', to: T0 + 1 });
    expect(read).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
      ts: T0,
      open: 100,
      high: 111,
      low: 99,
      close: 111,
      volume: 10,
    });
    await store.upsert(bars(1));
  });

  it('falls back from the bulk insert to the upsert when a new range repeats a bar (last write wins)', async () => {
    const [a] = bars(1, 'SOL-USD');
    expect(await store.upsert([a, { ...a, close: 100.75 }])).toBe(1);
    expect((await store.page({ symbol: 'SOL-USD', interval: '1m' })).bars).toEqual([{ ...a, close: 100.75 }]);
  });

  it('pages by key over a range and streams in batches', async () => {
    const query = { symbol: 'BTC-USD', interval: '1m' as const, from: T0 + 10 * MIN, to: T0 + 35 * MIN };
    const first = await store.page({ ...query, limit: 10 });
    expect(first.bars.map((b) => (b.ts - T0) / MIN)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(first.nextFrom).toBe(T0 + 19 * MIN + 1);
    const second = await store.page({ ...query, from: first.nextFrom, limit: 10 });
    const third = await store.page({ ...query, from: second.nextFrom, limit: 10 });
    expect(third.bars).toHaveLength(5);
    expect(third.nextFrom).toBeUndefined();
    const streamed = await collect(store.stream(query, 7));
    expect(streamed.map((b) => b.length)).toEqual([7, 7, 7, 4]);
    expect(streamed.flat()).toEqual([...first.bars, ...second.bars, ...third.bars]);
  });

  it('reads the newest n bars before a time, oldest first, and lists series', async () => {
    await store.upsert(bars(3, 'ETH-USD'));
    const latest = await store.latest({ symbol: 'BTC-USD', interval: '1m', to: T0 + 20 * MIN, n: 3 });
    expect(latest.map((b) => (b.ts - T0) / MIN)).toEqual([17, 18, 19]);
    // A resumed backfill reads back from its job's start only.
    const resumed = await store.latest({
      symbol: 'BTC-USD',
      interval: '1m',
      from: T0 + 18 * MIN,
      to: T0 + 20 * MIN,
      n: 5,
    });
    expect(resumed).toEqual(bars(20).slice(18));
    expect(await store.series()).toEqual([
      { symbol: 'BTC-USD', interval: '1m', bars: 50, firstTs: T0, lastTs: T0 + 49 * MIN },
      { symbol: 'ETH-USD', interval: '1m', bars: 3, firstTs: T0, lastTs: T0 + 2 * MIN },
      { symbol: 'SOL-USD', interval: '1m', bars: 1, firstTs: T0, lastTs: T0 },
    ]);
  });

  it('refuses malformed queries with the field named', async () => {
    await expect(store.page({ symbol: 'BTC-USD', interval: '2m' as '1m', limit: 0 })).rejects.toThrow(
      'bar query: interval: must be one of 1m, 5m, 15m, 1h, 4h, 1d; limit: must be an integer in [1, 10000]',
    );
  });

  it('registers symbols once, keeping what is already registered', async () => {
    await registerSymbols(db, [{ symbol: 'BTC-USD', assetClass: 'crypto', exchange: 'binance' }], 1);
    await registerSymbols(
      db,
      [
        { symbol: 'BTC-USD', assetClass: 'equity' },
        { symbol: 'SPX', assetClass: 'index' },
      ],
      2,
    );
    expect(await readSymbols(db)).toEqual([
      { symbol: 'BTC-USD', assetClass: 'crypto', exchange: 'binance', active: true },
      { symbol: 'SPX', assetClass: 'index', active: true },
    ]);
  });

  it('stores quarantined rows once per row and reads them back', async () => {
    const entry = {
      source: 'file:x.csv',
      symbol: 'BTC-USD',
      interval: '1m',
      line: 7,
      ts: T0,
      raw: '2024-01-01T00:00:00Z,1,0.5,2,1,1',
      problems: [
        {
          source: 'file:x.csv',
          check: 'ohlc-inconsistent' as const,
          severity: 'error' as const,
          reason: 'high 0.5 is below …',
          action: 'quarantined' as const,
        },
      ],
    };
    expect(await storeQuarantined(db, [entry, { ...entry, line: 8 }], 1000)).toBe(2);
    expect(await storeQuarantined(db, [entry], 2000)).toBe(0);
    expect(await countQuarantined(db, { symbol: 'BTC-USD' })).toBe(2);
    const [row] = await readQuarantined(db, { source: 'file:x.csv', limit: 1 });
    expect(row).toEqual({ ...entry, id: row.id, createdAt: 1000 });
  });

  it('writes and reads backfill checkpoints', async () => {
    expect(await readCheckpoint(db, 'job-1')).toBeUndefined();
    await writeCheckpoint(db, {
      jobId: 'job-1',
      cursor: { lastTs: T0, complete: false },
      rowsWritten: 10,
      updatedAt: 5,
    });
    await writeCheckpoint(db, {
      jobId: 'job-1',
      cursor: { lastTs: T0 + MIN, complete: true },
      rowsWritten: 11,
      updatedAt: 6,
    });
    expect(await readCheckpoint(db, 'job-1')).toEqual({
      jobId: 'job-1',
      cursor: { lastTs: T0 + MIN, complete: true },
      rowsWritten: 11,
      updatedAt: 6,
    });
  });
});
