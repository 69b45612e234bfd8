import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Bar } from '../domain/bar';
import type { Interval } from '../domain/interval';
import { ValidationError } from '../errors';
import { barToRow } from './bar-row';
import type { Database } from './database';
import { latestBars } from './latest-bars';
import { openDatabase } from './open-database';
import { PostgresTestSchemas } from './testing/postgres-test-schemas';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

/** Bars opening at T0 + i minutes for each i, prices derived from i so every bar differs. */
function series(symbol: string, interval: Interval, minutes: readonly number[]): Bar[] {
  return minutes.map((i) => ({
    symbol,
    interval,
    ts: T0 + i * MIN,
    open: 100 + i,
    high: 102 + i,
    low: 99 + i,
    close: 101 + i,
    volume: 10 + i,
    // Every other bar without vwap and trade count: they must come back absent, not null.
    ...(i % 2 === 0 ? { vwap: 100.5 + i, trades: 3 * i } : {}),
  }));
}

const minutesOf = (bars: readonly Bar[]): number[] => bars.map((b) => (b.ts - T0) / MIN);
const range = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, k) => from + k);

describe.each(['sqlite', 'postgres'] as const)('latestBars (%s)', (dialect) => {
  let dir = '';
  let schemas: PostgresTestSchemas | undefined;
  let db: Database;
  const btc = series('BTC-USD', '1m', range(0, 10));

  beforeAll(async () => {
    if (dialect === 'sqlite') {
      dir = mkdtempSync(join(tmpdir(), 'rrr-latest-bars-'));
      db = await openDatabase({ sqlitePath: join(dir, 'rrr.sqlite') });
    } else {
      schemas = await PostgresTestSchemas.connect();
      db = await openDatabase({ url: (await schemas.create()).url, sqlitePath: '' });
    }
    // Neighbours newer than every BTC-USD 1m bar: the same symbol at another interval, another symbol at the same
    // interval, and a symbol sharing BTC-USD's prefix. A read that leaks any of them returns the wrong newest bars.
    const neighbours = [
      ...series('BTC-USD', '5m', [15, 20, 25]),
      ...series('ETH-USD', '1m', range(5, 20)),
      ...series('BTC-USDT', '1m', range(8, 14)),
    ];
    await db.insertMany('bars', [...btc, ...neighbours].map(barToRow));
  });

  afterAll(async () => {
    await db?.close();
    await schemas?.dropAll();
    if (dir !== '') rmSync(dir, { recursive: true, force: true });
  });

  it('returns the newest n bars of the series, oldest first, exactly as written', async () => {
    const read = await latestBars(db, { symbol: 'BTC-USD', interval: '1m', n: 3 });
    expect(read).toEqual(btc.slice(7));
    expect(read[1]).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
      ts: T0 + 8 * MIN,
      open: 108,
      high: 110,
      low: 107,
      close: 109,
      volume: 18,
      vwap: 108.5,
      trades: 24,
    });
    expect(read[0]).not.toHaveProperty('vwap');
    expect(read[0]).not.toHaveProperty('trades');
  });

  it('returns every stored bar when n exceeds them, and none for n = 0 or an unknown series', async () => {
    expect(await latestBars(db, { symbol: 'BTC-USD', interval: '1m', n: 1_000 })).toEqual(btc);
    expect(await latestBars(db, { symbol: 'BTC-USD', interval: '1m', n: 0 })).toEqual([]);
    expect(await latestBars(db, { symbol: 'SOL-USD', interval: '1m', n: 5 })).toEqual([]);
    expect(await latestBars(db, { symbol: 'BTC-USD', interval: '1h', n: 5 })).toEqual([]);
  });

  it('reads only bars opening before `to` and from `from` on', async () => {
    expect(minutesOf(await latestBars(db, { symbol: 'BTC-USD', interval: '1m', n: 3, to: T0 + 6 * MIN }))).toEqual([
      3, 4, 5,
    ]);
    // `to` between two open times: the bar before it is the newest read.
    expect(minutesOf(await latestBars(db, { symbol: 'BTC-USD', interval: '1m', n: 2, to: T0 + 6 * MIN + 1 }))).toEqual([
      5, 6,
    ]);
    expect(
      minutesOf(
        await latestBars(db, { symbol: 'BTC-USD', interval: '1m', n: 10, from: T0 + 2 * MIN, to: T0 + 6 * MIN }),
      ),
    ).toEqual([2, 3, 4, 5]);
    expect(await latestBars(db, { symbol: 'BTC-USD', interval: '1m', n: 3, to: T0 })).toEqual([]);
  });

  it('reads the other series alike, each without the rest', async () => {
    expect(minutesOf(await latestBars(db, { symbol: 'BTC-USD', interval: '5m', n: 2 }))).toEqual([20, 25]);
    expect(minutesOf(await latestBars(db, { symbol: 'ETH-USD', interval: '1m', n: 4, to: T0 + 9 * MIN }))).toEqual([
      5, 6, 7, 8,
    ]);
    expect(minutesOf(await latestBars(db, { symbol: 'BTC-USDT', interval: '1m', n: 100 }))).toEqual(range(8, 14));
  });

  it("sees a transaction's own uncommitted bars", async () => {
    const [next] = series('BTC-USD', '1m', [10]);
    // A failed expectation inside rejects with its own message, so only a passing read reaches the rollback.
    await expect(
      db.transaction(async (tx) => {
        await tx.insertMany('bars', [barToRow(next)]);
        expect(await latestBars(tx, { symbol: 'BTC-USD', interval: '1m', n: 2 })).toEqual([btc[9], next]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow(/^roll back$/);
    expect(await latestBars(db, { symbol: 'BTC-USD', interval: '1m', n: 2 })).toEqual(btc.slice(8));
  });

  it('refuses a malformed query, naming each bad field', async () => {
    const read = latestBars(db, {
      symbol: '',
      interval: '2m' as Interval,
      n: -1,
      from: 1.5,
      to: Number.NaN,
    });
    await expect(read).rejects.toThrow(ValidationError);
    await expect(read).rejects.toThrow(
      'latest bars query: symbol: is required; interval: must be one of 1m, 5m, 15m, 1h, 4h, 1d; ' +
        'from: must be epoch milliseconds; to: must be epoch milliseconds; n: must be a non-negative integer',
    );
    await expect(latestBars(db, { symbol: 'BTC-USD', interval: '1m', n: 2.5 })).rejects.toThrow(
      'latest bars query: n: must be a non-negative integer',
    );
  });
});
