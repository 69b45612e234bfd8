import { ManualClock, type Database } from '@rrr/core';
import { TempSqlite } from '../testing/temp-sqlite';
import { importFile, type ImportFileOptions, type ImportProgress, type ImportResult } from './import-file';

const temp = new TempSqlite('rrr-import-worker-');
afterAll(() => temp.cleanup());

const T0 = Date.UTC(2024, 0, 1);
const iso = (minute: number) => new Date(T0 + minute * 60_000).toISOString();

/**
 * 400 one-minute rows of two series (BTC-USD, with a few ETH-USD rows) holding every kind of problem the checks know:
 * unreadable rows (a word for a number, a missing field, an unreadable date), inconsistent OHLC, a price out of
 * bounds, a negative volume, a vwap outside the range, a fractional trade count, a bad symbol, a duplicate, an
 * out-of-order row, a gap, a spike and a volume outlier; some rows lack vwap/trades, one is quoted.
 */
function problemCsv(): string {
  const rows = ['timestamp,symbol,open,high,low,close,volume,vwap,trades'];
  let minute = 0;
  for (let i = 0; i < 400; i++) {
    if (i === 150) minute += 30; // gap
    const price = 100 + 5 * Math.sin(i / 15);
    const [o, c] = [price.toFixed(2), (price + 0.3 * Math.cos(i)).toFixed(2)];
    const h = (Math.max(+o, +c) + 0.5).toFixed(2);
    const l = (Math.min(+o, +c) - 0.5).toFixed(2);
    const volume = 1000 + ((i * 37) % 200);
    const extras = i % 7 === 0 ? ',,' : `,${((+h + +l) / 2).toFixed(3)},${10 + (i % 5)}`;
    const symbol = i % 50 === 7 ? 'ETH-USD' : 'BTC-USD';
    let row = `${iso(minute)},${symbol},${o},${h},${l},${c},${volume}${extras}`;
    if (i === 20) row = `${iso(minute)},BTC-USD,abc,${h},${l},${c},${volume},,`;
    if (i === 25) row = `${iso(minute)},BTC-USD,${o},${h}`;
    if (i === 30) row = `not-a-date,BTC-USD,${o},${h},${l},${c},${volume},,`;
    if (i === 40) row = `${iso(minute)},BTC-USD,${o},${(+l - 1).toFixed(2)},${l},${c},${volume},,`;
    if (i === 45) row = `${iso(minute)},BTC-USD,0,${h},${l},${c},${volume},,`;
    if (i === 50) row = `${iso(minute)},BTC-USD,${o},${h},${l},${c},-5,,`;
    if (i === 55) row = `${iso(minute)},BTC-USD,${o},${h},${l},${c},${volume},${+h + 10},3`;
    if (i === 60) row = `${iso(minute)},BTC-USD,${o},${h},${l},${c},${volume},${o},2.5`;
    if (i === 65) row = `${iso(minute)},b@d,${o},${h},${l},${c},${volume},,`;
    if (i === 70) row = `${iso(minute - 1)},BTC-USD,${o},${h},${l},${c},${volume},,`;
    if (i === 80) row = `${iso(10)},BTC-USD,${o},${h},${l},${c},${volume},,`;
    if (i === 100) row = `${iso(minute)},BTC-USD,${o},140,${l},135,${volume},,`;
    if (i === 120) row = `${iso(minute)},BTC-USD,${o},${h},${l},${c},${volume * 50},,`;
    if (i === 130) row = `"${iso(minute)}","BTC-USD",${o},${h},${l},${c},${volume},,`;
    rows.push(row);
    minute++;
  }
  return `${rows.join('\n')}\n`;
}

interface Outcome {
  results: Omit<ImportResult, 'durationMs'>[];
  progress: ImportProgress[];
  bars: unknown[];
  quarantined: unknown[];
  symbols: unknown[];
}

/** Imports the file twice (the second time over what the first stored) and reads back everything it wrote. */
async function run(path: string, options: ImportFileOptions, worker: boolean): Promise<Outcome> {
  const db: Database = await temp.open(`db-${Math.random().toString(36).slice(2)}`);
  const progress: ImportProgress[] = [];
  const results: Outcome['results'] = [];
  for (let i = 0; i < 2; i++) {
    const { durationMs: _durationMs, ...result } = await importFile(
      db,
      path,
      { ...options, worker, clock: new ManualClock(1_000 + i) },
      (p) => progress.push(p),
    );
    results.push(result);
  }
  return {
    results,
    progress,
    bars: await db.query('SELECT * FROM bars ORDER BY symbol, interval, ts'),
    quarantined: await db.query('SELECT * FROM quarantined_rows ORDER BY id'),
    symbols: await db.query('SELECT * FROM symbols ORDER BY symbol'),
  };
}

async function failure(path: string, options: ImportFileOptions, worker: boolean) {
  const db = await temp.open(`db-${Math.random().toString(36).slice(2)}`);
  const error = await importFile(db, path, { ...options, worker }).catch((e: unknown) => e);
  return { error, bars: await db.query('SELECT COUNT(*) AS n FROM bars') };
}

describe('importFile on a worker thread', () => {
  const csv = temp.file('problems.csv', problemCsv());

  it.each([
    ['reject', { policy: 'reject' }],
    ['repair', { policy: 'repair' }],
    ['quarantine', { policy: 'quarantine' }],
    ['quarantine errors and anomalies', { policy: { errors: 'quarantine', anomalies: 'quarantine' } }],
    [
      'repair errors, reject anomalies, 25 problems listed',
      { policy: { errors: 'repair', anomalies: 'reject' }, maxProblems: 25 },
    ],
  ] as [string, ImportFileOptions][])(
    'stores the same rows and reports the same problems as the single-threaded path (%s)',
    async (_name, policy) => {
      const options: ImportFileOptions = { interval: '1m', batchSize: 16, ...policy };
      const single = await run(csv, options, false);
      const pipelined = await run(csv, options, true);
      expect(pipelined).toEqual(single);
      // The file really has every kind of problem, and the run really stored and reported them.
      expect(Object.keys(single.results[0].report.byCheck).sort()).toEqual([
        'duplicate-timestamp',
        'gap',
        'invalid-field',
        'negative-volume',
        'ohlc-inconsistent',
        'out-of-order',
        'price-out-of-bounds',
        'spike',
        'unparseable',
        'volume-outlier',
      ]);
      expect(single.results[0].rowsRead).toBe(400);
      expect(single.bars.length).toBe(single.results[0].report.accepted);
      expect(single.progress.filter((p) => !p.done).length).toBeGreaterThan(20);
    },
  );

  it('stores bars, quarantined rows and vwap/trade gaps field for field', async () => {
    const pipelined = await run(csv, { interval: '1m', policy: 'quarantine', batchSize: 16 }, true);
    expect(pipelined.results[0]).toMatchObject({ rowsRead: 400, symbols: ['BTC-USD', 'ETH-USD'], interval: '1m' });
    expect(pipelined.bars[0]).toEqual({
      symbol: 'BTC-USD',
      interval: '1m',
      ts: T0,
      open: 100,
      high: 100.8,
      low: 99.5,
      close: 100.3,
      volume: 1000,
      vwap: null,
      trades: null,
    });
    expect(pipelined.bars[1]).toMatchObject({ ts: T0 + 60_000, vwap: expect.any(Number), trades: 11 });
    expect(pipelined.quarantined).toContainEqual(
      expect.objectContaining({
        line: 27,
        raw: expect.stringMatching(/^2024-01-01T00:25:00\.000Z,BTC-USD,[\d.]+,[\d.]+$/),
      }),
    );
  });

  it('strict: refuses the file with the same error, writing nothing', async () => {
    const options: ImportFileOptions = { interval: '1m', batchSize: 16, strict: true };
    const single = await failure(csv, options, false);
    const pipelined = await failure(csv, options, true);
    expect(pipelined.error).toBeInstanceOf(Error);
    expect(pipelined.error).toEqual(single.error);
    expect(pipelined.error?.constructor).toBe(single.error?.constructor);
    expect((pipelined.error as Error).message).toContain('strict import refused, nothing written');
    expect(pipelined.bars).toEqual([{ n: 0 }]);
  });

  it('fails a truncated file with the same DataFileError, writing nothing', async () => {
    const text = problemCsv();
    const path = temp.file('truncated.csv', text.slice(0, text.length - 30));
    const single = await failure(path, { interval: '1m', batchSize: 16 }, false);
    const pipelined = await failure(path, { interval: '1m', batchSize: 16 }, true);
    expect((single.error as Error).message).toMatch(/line 401: the file ends in the middle of a row/);
    expect(pipelined.error?.constructor).toBe(single.error?.constructor);
    expect(pipelined.error).toMatchObject({
      message: (single.error as Error).message,
      code: 'DATA_INVALID',
      details: (single.error as { details: unknown }).details,
    });
    expect(pipelined.bars).toEqual([{ n: 0 }]);
  });

  it('aggregates a trades file into the same bars and late-trade problems', async () => {
    const rows = ['ts,price,qty,side'];
    for (let i = 0; i < 600; i++)
      rows.push(`${T0 + i * 1000},${100 + (i % 7)},${1 + (i % 3)},${i % 2 ? 'buy' : 'sell'}`);
    rows.splice(400, 0, `${T0 + 30_000},100,1,buy`, `${T0 + 400_000},oops,1,buy`);
    const path = temp.file('trades.csv', `${rows.join('\n')}\n`);
    const options: ImportFileOptions = { kind: 'trades', symbol: 'BTC-USD', barInterval: '1m', batchSize: 50 };
    const single = await run(path, options, false);
    expect(single.results[0]).toMatchObject({ barsStored: 10, rejected: 2 });
    expect(await run(path, options, true)).toEqual(single);
  });

  it('stops with the abort reason when the signal fires, writing nothing', async () => {
    const db = await temp.open('aborted');
    const controller = new AbortController();
    const error = await importFile(
      db,
      csv,
      { interval: '1m', batchSize: 16, worker: true, signal: controller.signal },
      (p) => {
        if (p.rowsRead >= 64) controller.abort(new Error('stopped by the user'));
      },
    ).catch((e: unknown) => e);
    expect(error).toEqual(new Error('stopped by the user'));
    expect(await db.query('SELECT COUNT(*) AS n FROM bars')).toEqual([{ n: 0 }]);
  });
});
