import fc from 'fast-check';
import {
  barToRow,
  PLATFORM_MIGRATIONS,
  PostgresTestSchemas,
  openDatabase,
  type Bar,
  type Database,
  type Interval,
  type OpenDatabaseOptions,
} from '@rrr/core';
import { importFile } from '../ingest/import-file';
import { TempSqlite } from '../testing/temp-sqlite';
import { BarStore, type StoredSeries } from './bar-store';

const MIN = 60_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

/** Bars of one series at T0 + i minutes (or i intervals of `step`) for each i in [from, to). */
function bars(symbol: string, from: number, to: number, interval: Interval = '1m', step = MIN): Bar[] {
  return Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return {
      symbol,
      interval,
      ts: T0 + i * step,
      open: 100 + i,
      high: 102 + i,
      low: 99 + i,
      close: 101 + i,
      volume: i,
    };
  });
}

const series = (symbol: string, interval: Interval, count: number, first: number, last: number): StoredSeries => ({
  symbol,
  interval,
  bars: count,
  firstTs: T0 + first * MIN,
  lastTs: T0 + last * MIN,
});

/** What the summary must equal: the bars themselves, grouped (the scan the summary replaces). */
async function groupedBars(db: Database): Promise<StoredSeries[]> {
  const rows = await db.query<{ symbol: string; interval: Interval; n: number; first_ts: number; last_ts: number }>(
    'SELECT symbol, interval, COUNT(*) AS n, MIN(ts) AS first_ts, MAX(ts) AS last_ts FROM bars ' +
      'GROUP BY symbol, interval ORDER BY symbol, interval',
  );
  return rows.map((r) => ({
    symbol: r.symbol,
    interval: r.interval,
    bars: Number(r.n),
    firstTs: Number(r.first_ts),
    lastTs: Number(r.last_ts),
  }));
}

/** The summary as listed, after checking it against the bars. */
async function listed(db: Database, symbol?: string): Promise<StoredSeries[]> {
  const summary = await new BarStore(db).series(symbol);
  const truth = await groupedBars(db);
  expect(summary).toEqual(symbol === undefined ? truth : truth.filter((s) => s.symbol === symbol));
  return summary;
}

describe.each(['sqlite', 'postgres'] as const)('bar_series summary kept by BarStore (%s)', (dialect) => {
  const temp = new TempSqlite('rrr-bar-series-');
  const opened: Database[] = [];
  let schemas: PostgresTestSchemas | undefined;

  /** Options for a new, empty database of this dialect. */
  async function freshOptions(): Promise<OpenDatabaseOptions> {
    if (dialect === 'sqlite') return { sqlitePath: temp.path(`db-${opened.length}-${Date.now()}.db`) };
    schemas ??= await PostgresTestSchemas.connect();
    return { url: (await schemas.create()).url, sqlitePath: ':memory:' };
  }

  async function open(options: OpenDatabaseOptions): Promise<Database> {
    const db = await openDatabase(options);
    opened.push(db);
    return db;
  }

  const fresh = async (): Promise<Database> => open(await freshOptions());

  afterAll(async () => {
    await Promise.all(opened.map((db) => db.close()));
    await schemas?.dropAll();
    await temp.cleanup();
  });

  it('after an import in several batches, and unchanged by importing the same file again', async () => {
    const db = await fresh();
    const lines = ['date,open,high,low,close,volume'];
    for (let i = 0; i < 1_000; i++) lines.push(`${new Date(T0 + i * DAY).toISOString().slice(0, 10)},10,12,9,11,5`);
    const path = temp.file(`daily-${dialect}.csv`, `${lines.join('\n')}\n`);
    const expected = [{ symbol: 'SPX', interval: '1d', bars: 1_000, firstTs: T0, lastTs: T0 + 999 * DAY }];

    expect((await importFile(db, path, { symbol: 'SPX', batchSize: 128, worker: false })).barsStored).toBe(1_000);
    expect(await listed(db)).toEqual(expected);
    expect((await importFile(db, path, { symbol: 'SPX', batchSize: 128, worker: false })).barsStored).toBe(1_000);
    expect(await listed(db)).toEqual(expected);
  });

  it('counts only the new bars of an overlapping batch, and widens the range on either side', async () => {
    const db = await fresh();
    const store = new BarStore(db);
    await store.upsert(bars('BTC-USD', 0, 100));
    expect(await listed(db)).toEqual([series('BTC-USD', '1m', 100, 0, 99)]);

    expect(await store.upsert(bars('BTC-USD', 50, 150))).toBe(100);
    expect(await listed(db)).toEqual([series('BTC-USD', '1m', 150, 0, 149)]);

    // Inside the stored range, every bar already there: the bars are rewritten, the count stays.
    await store.upsert(bars('BTC-USD', 120, 131).map((b) => ({ ...b, close: b.high })));
    expect(await listed(db)).toEqual([series('BTC-USD', '1m', 150, 0, 149)]);

    // Before the first bar, overlapping it: 10 new.
    await store.upsert(bars('BTC-USD', -10, 6));
    expect(await listed(db)).toEqual([series('BTC-USD', '1m', 160, -10, 149)]);

    // A sparse batch whose range spans stored bars: only its one missing bar is new.
    await store.upsert([...bars('BTC-USD', 0, 1), ...bars('BTC-USD', 200, 201), ...bars('BTC-USD', 149, 150)]);
    expect(await listed(db)).toEqual([series('BTC-USD', '1m', 161, -10, 200)]);
  });

  it('counts a new series whose batch repeats a bar once (the bulk insert falls back to the upsert)', async () => {
    const db = await fresh();
    const [bar] = bars('SOL-USD', 7, 8);
    expect(await new BarStore(db).upsert([bar, { ...bar, close: 100.75 }, ...bars('SOL-USD', 8, 10)])).toBe(3);
    expect(await listed(db)).toEqual([series('SOL-USD', '1m', 3, 7, 9)]);
  });

  it('keeps every series of a mixed batch, new or overlapping, in the order the listing always had', async () => {
    const db = await fresh();
    const store = new BarStore(db);
    const interleave = (...groups: Bar[][]): Bar[] =>
      groups
        .flatMap((g, gi) => g.map((b, i) => ({ b, key: i * groups.length + gi })))
        .sort((x, y) => x.key - y.key)
        .map((x) => x.b);

    // All new: one bulk insert across three series.
    await store.upsert(
      interleave(bars('ETH-USD', 0, 10), bars('BTC-USD', 0, 20), bars('BTC-USD', 0, 5, '5m', 5 * MIN)),
    );
    expect(await listed(db)).toEqual([
      series('BTC-USD', '1m', 20, 0, 19),
      series('BTC-USD', '5m', 5, 0, 20),
      series('ETH-USD', '1m', 10, 0, 9),
    ]);

    // Overlapping two of them and starting a fourth.
    await store.upsert(interleave(bars('ETH-USD', 5, 15), bars('AAPL', 0, 3, '1d', DAY), bars('BTC-USD', 18, 25)));
    expect(await listed(db)).toEqual([
      { symbol: 'AAPL', interval: '1d', bars: 3, firstTs: T0, lastTs: T0 + 2 * DAY },
      series('BTC-USD', '1m', 25, 0, 24),
      series('BTC-USD', '5m', 5, 0, 20),
      series('ETH-USD', '1m', 15, 0, 14),
    ]);
    expect(await listed(db, 'BTC-USD')).toEqual([
      series('BTC-USD', '1m', 25, 0, 24),
      series('BTC-USD', '5m', 5, 0, 20),
    ]);
  });

  it('is unchanged by a rolled-back transaction, and by a rolled-back savepoint inside a committed one', async () => {
    const db = await fresh();
    const store = new BarStore(db);
    await store.upsert(bars('KEEP-USD', 0, 10));

    await expect(
      db.transaction(async (tx) => {
        await store.upsert(bars('KEEP-USD', 5, 30), tx);
        await store.upsert(bars('GONE-USD', 0, 4), tx);
        throw new Error('undo the whole transaction');
      }),
    ).rejects.toThrow('undo the whole transaction');
    expect(await listed(db)).toEqual([series('KEEP-USD', '1m', 10, 0, 9)]);

    await db.transaction(async (tx) => {
      await store.upsert(bars('KEEP-USD', 10, 12), tx);
      await expect(
        tx.transaction(async (inner) => {
          await store.upsert(bars('KEEP-USD', -5, 20), inner);
          await store.upsert(bars('GONE-USD', 0, 4), inner);
          throw new Error('undo the savepoint');
        }),
      ).rejects.toThrow('undo the savepoint');
    });
    expect(await listed(db)).toEqual([series('KEEP-USD', '1m', 12, 0, 11)]);
  });

  it('stays exact when writers of the same series run at once', async () => {
    const db = await fresh();
    const store = new BarStore(db);
    await Promise.all([
      store.upsert(bars('BTC-USD', 0, 400)),
      store.upsert(bars('BTC-USD', 200, 600)),
      store.upsert([...bars('BTC-USD', 500, 700), ...bars('ETH-USD', 0, 300)]),
      // A mixed batch claims its series in key order whatever order its bars come in.
      store.upsert([...bars('ETH-USD', 100, 500), ...bars('BTC-USD', 650, 800)]),
      // A transaction of several batches holds each series it wrote until it commits: writing them in key order
      // keeps it from deadlocking with the mixed batches on PostgreSQL.
      db.transaction(async (tx) => {
        await store.upsert(bars('BTC-USD', 790, 810), tx);
        await store.upsert(bars('ETH-USD', 450, 520), tx);
      }),
    ]);
    expect(await listed(db)).toEqual([series('BTC-USD', '1m', 810, 0, 809), series('ETH-USD', '1m', 520, 0, 519)]);
  });

  it('is filled by its migration from the bars stored before it ran', async () => {
    const options = await freshOptions();
    const summaryVersion = PLATFORM_MIGRATIONS.find((m) => m.name === 'bar-series')?.version;
    expect(summaryVersion).toBeDefined();
    const before = await openDatabase({
      ...options,
      migrations: PLATFORM_MIGRATIONS.filter((m) => m.version < (summaryVersion ?? 0)),
    });
    try {
      // Written as an older build wrote them: straight into bars.
      for (const batch of [bars('ETH-USD', 3, 40), bars('BTC-USD', 0, 25), bars('BTC-USD', 0, 4, '1h', 60 * MIN)]) {
        await before.insertMany('bars', batch.map(barToRow));
      }
      await expect(before.query('SELECT * FROM bar_series')).rejects.toThrow();
    } finally {
      await before.close();
    }

    const db = await open(options);
    expect(await listed(db)).toEqual([
      series('BTC-USD', '1h', 4, 0, 180),
      series('BTC-USD', '1m', 25, 0, 24),
      series('ETH-USD', '1m', 37, 3, 39),
    ]);
    // And kept from there on.
    await new BarStore(db).upsert(bars('ETH-USD', 30, 45));
    expect(await listed(db, 'ETH-USD')).toEqual([series('ETH-USD', '1m', 42, 3, 44)]);
  });

  it('follows deletes: the first bars, the last, the middle, and a whole series', async () => {
    const db = await fresh();
    const store = new BarStore(db);
    await store.upsert([...bars('BTC-USD', 0, 100), ...bars('ETH-USD', 0, 10)]);
    const query = { symbol: 'BTC-USD', interval: '1m' as const };

    expect(await store.delete({ ...query, to: T0 + 10 * MIN })).toBe(10);
    expect(await listed(db, 'BTC-USD')).toEqual([series('BTC-USD', '1m', 90, 10, 99)]);
    expect(await store.delete({ ...query, from: T0 + 95 * MIN })).toBe(5);
    expect(await listed(db, 'BTC-USD')).toEqual([series('BTC-USD', '1m', 85, 10, 94)]);
    expect(await store.delete({ ...query, from: T0 + 20 * MIN, to: T0 + 30 * MIN })).toBe(10);
    expect(await listed(db, 'BTC-USD')).toEqual([series('BTC-USD', '1m', 75, 10, 94)]);
    expect(await store.delete({ ...query, from: T0 + 20 * MIN, to: T0 + 30 * MIN })).toBe(0);
    expect(await store.delete({ symbol: 'NONE-USD', interval: '1m' })).toBe(0);
    expect(await listed(db, 'BTC-USD')).toEqual([series('BTC-USD', '1m', 75, 10, 94)]);

    expect(await store.delete(query)).toBe(75);
    expect(await listed(db)).toEqual([series('ETH-USD', '1m', 10, 0, 9)]);
    await expect(store.delete({ symbol: '', interval: '2m' as '1m' })).rejects.toThrow(
      'bar query: symbol: is required; interval: must be one of 1m, 5m, 15m, 1h, 4h, 1d',
    );
  });

  it('equals the grouped bars after any sequence of upserts and deletes', async () => {
    const db = await fresh();
    const store = new BarStore(db);
    const symbols = ['AAA', 'BBB', 'CCC'];
    const span = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 25 }));
    const operation = fc.oneof(
      fc.record({
        kind: fc.constant('upsert' as const),
        spans: fc.array(fc.tuple(fc.constantFrom(...symbols), span), { minLength: 1, maxLength: 3 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), symbol: fc.constantFrom(...symbols), span }),
    );
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 8 }), async (operations) => {
        // Each run writes its own symbols, so runs do not see each other's bars.
        const prefix = `R${++run}`;
        for (const op of operations) {
          if (op.kind === 'upsert') {
            await store.upsert(op.spans.flatMap(([symbol, [from, n]]) => bars(`${prefix}${symbol}`, from, from + n)));
          } else {
            const [from, n] = op.span;
            await store.delete({
              symbol: `${prefix}${op.symbol}`,
              interval: '1m',
              from: T0 + from * MIN,
              to: T0 + (from + n) * MIN,
            });
          }
        }
        await listed(db);
      }),
      { numRuns: 25, seed: 20_241_126 },
    );
  });
});
