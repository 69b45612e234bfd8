import type { Bar, Database, Trade } from '@rrr/core';
import { defineSource, type DataSource, type SourceBatch, type SourceReadOptions } from '../sources/data-source';
import { createFileSource } from '../sources/file-source';
import { createSyntheticSource, createSyntheticTradeSource } from '../sources/synthetic-source';
import { readCheckpoint } from '../storage/checkpoint-store';
import { TempSqlite } from '../testing/temp-sqlite';
import { backfillJobId } from './backfill-job-id';
import { runBackfill, type BackfillProgress } from './run-backfill';

const temp = new TempSqlite('rrr-backfill-');
afterAll(() => temp.cleanup());

const T0 = Date.UTC(2024, 0, 1);
const HOUR = 3_600_000;

async function allRows(db: Database) {
  return db.query(
    'SELECT symbol, interval, ts, open, high, low, close, volume, vwap, trades FROM bars ORDER BY symbol, interval, ts',
  );
}

async function fresh(): Promise<Database> {
  return temp.open(`db${Math.random().toString(36).slice(2)}`);
}

/** Runs a backfill that aborts itself after `batches` committed batches; resolves once it has failed. */
async function interrupted(db: Database, source: DataSource<Bar> | DataSource<Trade>, batches: number, extra = {}) {
  const controller = new AbortController();
  const run = runBackfill(db, {
    source,
    signal: controller.signal,
    onBatchCommitted: (p) => {
      if (p.batches === batches) controller.abort(new Error('stopped by the test'));
    },
    ...extra,
  });
  await expect(run).rejects.toThrow('stopped by the test');
}

/** A source that serves `bars` in batches and throws after `failAfter` batches (a network cut, say). */
function flakySource(bars: Bar[], batchSize: number, failAfter: number): DataSource<Bar> {
  return defineSource<Bar>(
    'bars',
    () => ({ id: 'flaky', name: 'flaky:test', kind: 'bars', symbol: 'BTC-USD', interval: '1h' }),
    async function* (read?: SourceReadOptions): AsyncGenerator<SourceBatch<Bar>> {
      const wanted = bars.filter((b) => b.ts >= (read?.from ?? -Infinity) && b.ts < (read?.to ?? Infinity));
      for (let i = 0, n = 0; i < wanted.length; i += batchSize, n++) {
        if (n === failAfter) throw new Error('connection reset');
        yield { items: wanted.slice(i, i + batchSize) };
      }
    },
  );
}

describe('runBackfill', () => {
  const synthetic = () =>
    createSyntheticSource({
      symbol: 'ETH-USD',
      interval: '1h',
      seed: 11,
      from: T0,
      to: T0 + 500 * HOUR,
      batchSize: 60,
    });

  it('stores a range batch by batch, reporting progress, then recognises the finished job', async () => {
    const db = await fresh();
    const progress: BackfillProgress[] = [];
    const result = await runBackfill(db, { source: synthetic() }, (p) => progress.push(p));
    expect(result).toMatchObject({ status: 'completed', barsStored: 500, rowsWritten: 500, otherSeriesSkipped: 0 });
    expect(result.jobId).toMatch(
      /^synthetic:ETH-USD:1h:2024-01-01T00:00:00\.000Z\.\.2024-01-21T20:00:00\.000Z:[0-9a-f]{12}$/,
    );
    expect(progress.map((p) => p.batches)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(progress[0].fraction).toBeCloseTo(60 / 500, 9);
    expect(progress[progress.length - 1]).toMatchObject({
      done: true,
      fraction: 1,
      cursor: T0 + 499 * HOUR,
      rowsWritten: 500,
    });

    const again = await runBackfill(db, { source: synthetic() });
    expect(again).toMatchObject({ status: 'already-complete', barsStored: 0, rowsWritten: 500 });
    const restarted = await runBackfill(db, { source: synthetic(), restart: true });
    expect(restarted).toMatchObject({ status: 'completed', barsStored: 500 });
    expect(await allRows(db)).toHaveLength(500);
  });

  it('resumes an interrupted job after its cursor and ends with the rows of an uninterrupted run', async () => {
    const whole = await fresh();
    await runBackfill(whole, { source: synthetic(), policy: { errors: 'reject', anomalies: 'quarantine' } });

    const db = await fresh();
    await interrupted(db, synthetic(), 3, { policy: { errors: 'reject', anomalies: 'quarantine' } });
    const jobId = backfillJobId(synthetic().describe(), 'ETH-USD', '1h', T0, T0 + 500 * HOUR);
    const checkpoint = await readCheckpoint(db, jobId);
    expect(checkpoint?.cursor.complete).toBe(false);
    expect(checkpoint?.rowsWritten).toBe((await allRows(db)).length);

    const resumed = await runBackfill(db, {
      source: synthetic(),
      policy: { errors: 'reject', anomalies: 'quarantine' },
    });
    expect(resumed.status).toBe('completed');
    expect(resumed.resumedAfter).toBe(checkpoint?.cursor.lastTs);
    expect(await allRows(db)).toEqual(await allRows(whole));
    expect(resumed.rowsWritten).toBe((await allRows(whole)).length);
  });

  it('keeps what committed before a source failure and picks up from there', async () => {
    const bars: Bar[] = [];
    for await (const bar of createSyntheticSource({
      symbol: 'BTC-USD',
      interval: '1h',
      seed: 1,
      from: T0,
      to: T0 + 100 * HOUR,
    }))
      bars.push(bar);
    const db = await fresh();
    await expect(runBackfill(db, { source: flakySource(bars, 30, 2) })).rejects.toThrow('connection reset');
    expect(await allRows(db)).toHaveLength(60);
    const result = await runBackfill(db, { source: flakySource(bars, 30, 99) });
    expect(result).toMatchObject({ resumedAfter: T0 + 59 * HOUR, barsStored: 40, rowsWritten: 100 });
    expect((await allRows(db)).map((r) => r['ts'])).toEqual(bars.map((b) => b.ts));
  });

  it('resumes a trade source at the next bar window, so no bar is built twice or from half its trades', async () => {
    const trades = () =>
      createSyntheticTradeSource({
        symbol: 'BTC-USD',
        seed: 4,
        from: T0,
        to: T0 + 30 * 60_000,
        everyMs: 2_000,
        batchSize: 200,
      });
    const whole = await fresh();
    const full = await runBackfill(whole, { source: trades(), interval: '1m' });
    expect(full.barsStored).toBe(30);
    const db = await fresh();
    await interrupted(db, trades(), 2, { interval: '1m' });
    await runBackfill(db, { source: trades(), interval: '1m' });
    const rows = await allRows(db);
    expect(rows).toEqual(await allRows(whole));
    expect(rows.every((r) => r['trades'] === 30)).toBe(true);
  });

  it('fills only its own series from a multi-symbol file, counting the rest', async () => {
    const path = temp.file(
      'multi.csv',
      'symbol,date,open,high,low,close,volume\nSPX,2024-01-01,1,1,1,1,1\nAAPL,2024-01-01,2,2,2,2,2\nSPX,2024-01-02,1,1,1,1,1\n',
    );
    const db = await fresh();
    const result = await runBackfill(db, { source: createFileSource(path, { interval: '1d' }), symbol: 'SPX' });
    expect(result).toMatchObject({ barsStored: 2, otherSeriesSkipped: 1 });
  });

  it('names what it needs when the job is not defined', async () => {
    const db = await fresh();
    const source = createFileSource(temp.file('x.csv', 'a\n1\n'), {});
    await expect(runBackfill(db, { source })).rejects.toThrow(
      'backfill: symbol: must name the series to backfill (a valid symbol); interval: must name the interval to backfill',
    );
  });
});
