import { ManualClock, isRrrError, type Database } from '@rrr/core';
import { BarStore } from '../storage/bar-store';
import { countQuarantined, readQuarantined } from '../storage/quarantine-store';
import { readSymbols } from '../storage/symbol-registry';
import { TempSqlite } from '../testing/temp-sqlite';
import { StrictImportError, importFile, type ImportProgress } from './import-file';

const temp = new TempSqlite('rrr-import-');
afterAll(() => temp.cleanup());

const HEADER = 'date,open,high,low,close,volume';
/** Lines 2–8: two broken rows (4 and 6) among good ones, and one inconsistent bar (line 7). */
const BROKEN_CSV = [
  HEADER,
  '2024-01-01,100,110,95,105,1000',
  '2024-01-02,105,112,101,110,1200',
  '2024-01-03,110,abc,108,111,900',
  '2024-01-04,111,115,109,114,1100',
  '2024-01-05,114,116',
  '2024-01-08,114,113,110,112,800',
  '2024-01-09,112,118,111,117,1300',
].join('\n');

async function freshDb(): Promise<Database> {
  return temp.open(`db${Math.random().toString(36).slice(2)}`);
}

async function storedCloses(db: Database, symbol = 'SPX'): Promise<number[]> {
  return (await new BarStore(db).page({ symbol, interval: '1d' })).bars.map((b) => b.close);
}

describe('importFile', () => {
  it('imports the good rows of a CSV with broken rows and reports each bad one with its line and reason', async () => {
    const db = await freshDb();
    const path = temp.file('broken.csv', `${BROKEN_CSV}\n`);
    const progress: ImportProgress[] = [];
    const result = await importFile(db, path, { symbol: 'SPX' }, (p) => progress.push(p));
    expect(result).toMatchObject({
      rowsRead: 7,
      barsStored: 4,
      rejected: 3,
      repaired: 0,
      quarantined: 0,
      interval: '1d',
      symbols: ['SPX'],
    });
    expect(result.problems.map((p) => [p.line, p.check, p.reason, p.action])).toEqual([
      [4, 'unparseable', 'high "abc" is not a number', 'rejected'],
      [6, 'unparseable', 'expected 6 fields (date,open,high,low,close,volume), got 3', 'rejected'],
      [7, 'ohlc-inconsistent', 'high 113 is below max(open, close, low) = 114', 'rejected'],
    ]);
    expect(result.problems.every((p) => p.source === `file:${path}`)).toBe(true);
    expect(await storedCloses(db)).toEqual([105, 110, 114, 117]);
    expect(await readSymbols(db)).toEqual([{ symbol: 'SPX', assetClass: 'equity', active: true }]);
    expect(progress[progress.length - 1]).toMatchObject({
      done: true,
      fraction: 1,
      rowsRead: 7,
      barsAccepted: 4,
      problems: 3,
    });
  });

  it('is idempotent: importing the same file again leaves the same rows', async () => {
    const db = await freshDb();
    const path = temp.file('twice.csv', `${BROKEN_CSV}\n`);
    await importFile(db, path, { symbol: 'SPX' });
    const again = await importFile(db, path, { symbol: 'SPX' });
    expect(again.barsStored).toBe(4);
    expect(await storedCloses(db)).toEqual([105, 110, 114, 117]);
  });

  it('strict: any bad row fails the import and nothing is written', async () => {
    const db = await freshDb();
    const path = temp.file('strict.csv', `${BROKEN_CSV}\n`);
    const error = await importFile(db, path, { symbol: 'SPX', strict: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StrictImportError);
    const strict = error as StrictImportError;
    expect(strict.code).toBe('DATA_INVALID');
    expect(strict.message).toContain(
      `${path}: strict import refused, nothing written: 3 bad row(s): file:${path} line 4: unparseable — high "abc" is not a number [rejected]; `,
    );
    expect(strict.report.problems.map((p) => p.line)).toEqual([4, 6, 7]);
    expect(await new BarStore(db).series()).toEqual([]);
    expect(await readSymbols(db)).toEqual([]);
  });

  it('strict: a clean file imports whole', async () => {
    const db = await freshDb();
    const path = temp.file('clean.csv', `${HEADER}\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1.5,2,1,2,10\n`);
    expect((await importFile(db, path, { symbol: 'SPX', strict: true })).barsStored).toBe(2);
  });

  it('repair: fixes what it can, recording each change, and stores the repaired bar', async () => {
    const db = await freshDb();
    const path = temp.file('repair.csv', `${BROKEN_CSV}\n`);
    const result = await importFile(db, path, { symbol: 'SPX', policy: 'repair' });
    expect(result).toMatchObject({ barsStored: 5, repaired: 1, rejected: 2 });
    expect(result.problems[2]).toMatchObject({
      line: 7,
      action: 'repaired',
      changes: [{ field: 'high', from: 113, to: 114 }],
    });
    expect(
      (await new BarStore(db).page({ symbol: 'SPX', interval: '1d', from: Date.UTC(2024, 0, 8) })).bars[0],
    ).toMatchObject({
      high: 114,
      low: 110,
    });
  });

  it('quarantine: keeps bad rows out of bars and stores them, raw, in quarantined_rows', async () => {
    const db = await freshDb();
    const path = temp.file('quarantine.csv', `${BROKEN_CSV}\n`);
    const result = await importFile(db, path, { symbol: 'SPX', policy: 'quarantine', clock: new ManualClock(1234) });
    expect(result).toMatchObject({ barsStored: 4, quarantined: 3, rejected: 0 });
    const rows = await readQuarantined(db, { source: `file:${path}` });
    expect(rows.map((r) => [r.line, r.raw, r.problems[0].check])).toEqual([
      [4, '2024-01-03,110,abc,108,111,900', 'unparseable'],
      [6, '2024-01-05,114,116', 'unparseable'],
      [7, '2024-01-08,114,113,110,112,800', 'ohlc-inconsistent'],
    ]);
    expect(rows[2]).toMatchObject({ symbol: 'SPX', interval: '1d', ts: Date.UTC(2024, 0, 8), createdAt: 1234 });
    await importFile(db, path, { symbol: 'SPX', policy: 'quarantine' });
    expect(await countQuarantined(db)).toBe(3);
  });

  it('fails with a clear error, writing nothing, on a truncated file', async () => {
    const db = await freshDb();
    const path = temp.file('truncated.csv', `${HEADER}\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1.5,2`);
    await expect(importFile(db, path, { symbol: 'SPX' })).rejects.toThrow(
      `${path}: line 3: the file ends in the middle of a row (3 of 6 fields): it looks truncated`,
    );
    expect(await new BarStore(db).series()).toEqual([]);
  });

  it('fails clearly on missing columns, empty files and wrong encodings', async () => {
    const db = await freshDb();
    const missing = temp.file('missing.csv', 'date,price\n2024-01-01,1\n');
    const err = await importFile(db, missing, { symbol: 'SPX' }).catch((e: unknown) => e);
    expect(isRrrError(err) && err.code).toBe('DATA_INVALID');
    expect((err as Error).message).toMatch(
      new RegExp(`^${missing.replace(/[.]/g, '\\.')}: line 1: no column for open`),
    );
    const wrongMapping = temp.file('mapping.csv', `${HEADER}\n2024-01-01,1,2,0.5,1.5,10\n`);
    await expect(importFile(db, wrongMapping, { symbol: 'SPX', mapping: { close: 'Close Price' } })).rejects.toThrow(
      'mapping.close names column "Close Price", which is not in the file',
    );
    await expect(importFile(db, temp.file('empty.csv', ''), { symbol: 'SPX' })).rejects.toThrow(
      'empty.csv: is empty (0 bytes)',
    );
    const utf16 = temp.file(
      'utf16.csv',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(`${HEADER}\n`, 'utf16le')]),
    );
    await expect(importFile(db, utf16, { symbol: 'SPX' })).rejects.toThrow(
      'utf16.csv: is UTF-16 (little-endian) text, not UTF-8',
    );
    const binary = temp.file('image.csv', Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 31) % 256)));
    await expect(importFile(db, binary, { symbol: 'SPX' })).rejects.toThrow(/image\.csv: contains binary data/);
    await expect(importFile(db, temp.path('nope.csv'), { symbol: 'SPX' })).rejects.toThrow('nope.csv: no such file');
    expect(await new BarStore(db).series()).toEqual([]);
  });

  it('reports every row of a file whose rows are all malformed, storing nothing', async () => {
    const db = await freshDb();
    const path = temp.file('all-bad.csv', `${HEADER}\n2024-01-01,1\n2024-01-02,2\n`);
    const result = await importFile(db, path, { symbol: 'SPX' });
    expect(result).toMatchObject({ barsStored: 0, rejected: 2, rowsRead: 2, symbols: [] });
    expect(result.problems.map((p) => [p.line, p.check])).toEqual([
      [2, 'unparseable'],
      [3, 'unparseable'],
    ]);
  });

  it('imports a trades file by aggregating it into bars', async () => {
    const db = await freshDb();
    const t0 = Date.UTC(2024, 0, 1);
    const rows = ['ts,price,qty,side'];
    for (let i = 0; i < 180; i++)
      rows.push(`${t0 + i * 1000},${100 + (i % 7)},${1 + (i % 3)},${i % 2 ? 'buy' : 'sell'}`);
    rows.push(`${t0 + 30_000},100,1,buy`);
    const path = temp.file('trades.csv', `${rows.join('\n')}\n`);
    const result = await importFile(db, path, { kind: 'trades', symbol: 'BTC-USD', barInterval: '1m' });
    expect(result).toMatchObject({ barsStored: 3, interval: '1m', rejected: 1 });
    expect(result.problems[0]).toMatchObject({ check: 'out-of-order', line: 182, action: 'rejected' });
    const stored = (await new BarStore(db).page({ symbol: 'BTC-USD', interval: '1m' })).bars;
    expect(stored.map((b) => b.trades)).toEqual([60, 60, 60]);
    expect(stored[0].volume).toBe(120);
  });
});
