import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barToRow, openDatabase, type Bar, type Database } from '@rrr/core';
import { loadBarsFromDatabase } from './load-bars';

const T0 = Date.UTC(2024, 0, 1);
const DAY = 86_400_000;

function dailyBar(symbol: string, day: number): Bar {
  return {
    symbol,
    interval: '1d',
    ts: T0 + day * DAY,
    open: 10 + day,
    high: 11 + day,
    low: 9 + day,
    close: 10.5 + day,
    volume: 100,
  };
}

const days = (bars: readonly Bar[]): number[] => bars.map((b) => (b.ts - T0) / DAY);

describe('loadBarsFromDatabase', () => {
  let dir: string;
  let db: Database;
  const query = { symbol: 'SPX', interval: '1d' as const };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-load-bars-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    const stored = [
      ...Array.from({ length: 10 }, (_, day) => dailyBar('SPX', day)),
      dailyBar('AAPL', 12),
      { ...dailyBar('SPX', 11), interval: '1h' as const },
    ];
    await db.insertMany('bars', stored.map(barToRow));
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads a series in time order within [from, to], both ends inclusive', async () => {
    expect(days(await loadBarsFromDatabase(db, query))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(days(await loadBarsFromDatabase(db, { ...query, from: T0 + 2 * DAY, to: T0 + 5 * DAY }))).toEqual([
      2, 3, 4, 5,
    ]);
    expect(days(await loadBarsFromDatabase(db, { ...query, limit: 3 }))).toEqual([0, 1, 2]);
  });

  it('reads the newest `limit` bars oldest first, `to` still inclusive', async () => {
    const newest = await loadBarsFromDatabase(db, { ...query, newest: true, limit: 3 });
    expect(newest).toEqual([7, 8, 9].map((day) => dailyBar('SPX', day)));
    expect(days(await loadBarsFromDatabase(db, { ...query, newest: true, limit: 3, to: T0 + 5 * DAY }))).toEqual([
      3, 4, 5,
    ]);
    expect(
      days(await loadBarsFromDatabase(db, { ...query, newest: true, limit: 30, from: T0 + 4 * DAY, to: T0 + 6 * DAY })),
    ).toEqual([4, 5, 6]);
    expect(await loadBarsFromDatabase(db, { ...query, newest: true, limit: -2 })).toEqual([]);
    // Without a limit the newest bars are all of them.
    expect(days(await loadBarsFromDatabase(db, { ...query, newest: true, from: T0 + 8 * DAY }))).toEqual([8, 9]);
  });
});
