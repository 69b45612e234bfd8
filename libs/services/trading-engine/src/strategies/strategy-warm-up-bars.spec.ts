import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barToRow, openDatabase, type Database } from '@rrr/core';
import { makeBar } from '../testing/make-bar';
import { readWarmUpBars } from './strategy-warm-up-bars';

const T0 = Date.UTC(2024, 0, 1);
const MIN = 60_000;

describe('readWarmUpBars', () => {
  let dir: string;
  let db: Database;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-warm-up-bars-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    const stored = [
      ...Array.from({ length: 6 }, (_, i) => makeBar('BTC-USD', T0 + i * MIN, { open: 100 + i })),
      // Newer bars of the symbol at another interval, and of another symbol: never warm-up bars of BTC-USD 1m.
      makeBar('BTC-USD', T0 + 10 * MIN, { open: 500 }, '5m'),
      makeBar('ETH-USD', T0 + 3 * MIN, { open: 900 }),
    ];
    await db.insertMany('bars', stored.map(barToRow));
  });

  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the newest `need` bars of the interval opening before the first live bar, oldest first', async () => {
    // The live bar at minute 5 is stored already: it is fed live, not as warm-up.
    const bars = await readWarmUpBars(db, 'BTC-USD', '1m', 3, T0 + 5 * MIN);
    expect(bars).toEqual([2, 3, 4].map((i) => makeBar('BTC-USD', T0 + i * MIN, { open: 100 + i })));
  });

  it('reads fewer when fewer are stored before the live bar', async () => {
    const bars = await readWarmUpBars(db, 'BTC-USD', '1m', 10, T0 + 2 * MIN);
    expect(bars.map((b) => b.open)).toEqual([100, 101]);
    expect(await readWarmUpBars(db, 'BTC-USD', '1m', 10, T0)).toEqual([]);
  });
});
