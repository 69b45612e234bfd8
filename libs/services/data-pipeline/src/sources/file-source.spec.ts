import type { Bar, Trade } from '@rrr/core';
import { TempSqlite } from '../testing/temp-sqlite';
import type { SourceBatch } from './data-source';
import { createFileSource } from './file-source';

const temp = new TempSqlite('rrr-file-source-');
afterAll(() => temp.cleanup());

async function batchesOf<T>(
  source: { batches(o?: { from?: number; to?: number }): AsyncIterable<SourceBatch<T>> },
  read?: { from?: number; to?: number },
) {
  const out: SourceBatch<T>[] = [];
  for await (const batch of source.batches(read)) out.push(batch);
  return out;
}

const DAY = 86_400_000;

describe('createFileSource', () => {
  it('reads a daily CSV into bars, inferring the interval and date format, with line numbers and raw text', async () => {
    const path = temp.file(
      'daily.csv',
      'Date,Open,High,Low,Close,Adj Close,Volume\n2020-01-02,10,12,9,11,10.5,100\n2020-01-03,11,13,10,12,11.5,200\n2020-01-06,12,12,11,11.5,11,150\n',
    );
    const source = createFileSource(path, { symbol: 'SPX' });
    const [batch] = await batchesOf(source);
    expect(batch.items).toEqual([
      { symbol: 'SPX', interval: '1d', ts: Date.UTC(2020, 0, 2), open: 10, high: 12, low: 9, close: 11, volume: 100 },
      { symbol: 'SPX', interval: '1d', ts: Date.UTC(2020, 0, 3), open: 11, high: 13, low: 10, close: 12, volume: 200 },
      {
        symbol: 'SPX',
        interval: '1d',
        ts: Date.UTC(2020, 0, 6),
        open: 12,
        high: 12,
        low: 11,
        close: 11.5,
        volume: 150,
      },
    ]);
    expect(batch.lines).toEqual([2, 3, 4]);
    expect(batch.raw?.[0]).toBe('2020-01-02,10,12,9,11,10.5,100');
    expect(source.info).toMatchObject({
      format: 'csv',
      dateFormat: 'iso',
      interval: '1d',
      ignoredColumns: ['Adj Close'],
    });
    expect(source.describe()).toMatchObject({ name: `file:${path}`, kind: 'bars', symbol: 'SPX', interval: '1d' });
    expect(source.describe().id).toMatch(/^file:.*daily\.csv#\d+-\d+$/);
  });

  it('turns unreadable rows into rejects with line and reason, and keeps going', async () => {
    const path = temp.file(
      'broken.csv',
      'ts,open,high,low,close,volume\n1577836800,1,2,1,2,5\n1577836860,abc,2,1,,5\n1577836920,1,2\nnot-a-time,1,2,1,2,5\n1577836980,1,2,1,2,5\n',
    );
    const [batch] = await batchesOf(createFileSource(path, { symbol: 'BTC-USD', interval: '1m' }));
    expect(batch.items.map((b) => b.ts)).toEqual([1_577_836_800_000, 1_577_836_980_000]);
    expect(batch.rejects).toEqual([
      { line: 3, raw: '1577836860,abc,2,1,,5', reason: 'open "abc" is not a number; close missing is not a number' },
      { line: 5, raw: 'not-a-time,1,2,1,2,5', reason: 'ts "not-a-time" is not epoch seconds' },
      { line: 4, raw: '1577836920,1,2', reason: 'expected 6 fields (ts,open,high,low,close,volume), got 3' },
    ]);
  });

  it('reads zone-less date-times in the given timezone', async () => {
    const path = temp.file(
      'ny.csv',
      'time,open,high,low,close,volume\n01/02/2024 09:30,1,1,1,1,1\n01/02/2024 09:35,1,1,1,1,1\n',
    );
    const [batch] = await batchesOf(createFileSource(path, { symbol: 'AAPL', timezone: 'America/New_York' }));
    expect(batch.items.map((b) => [b.ts, b.interval])).toEqual([
      [Date.UTC(2024, 0, 2, 14, 30), '5m'],
      [Date.UTC(2024, 0, 2, 14, 35), '5m'],
    ]);
  });

  it('reads a JSON array of objects and NDJSON, symbol per record', async () => {
    const json = temp.file(
      'bars.json',
      JSON.stringify([
        { symbol: 'ETH-USD', t: 1_700_000_000_000, o: 1, h: 2, l: 1, c: 2, v: 3, vw: 1.5, n: 4 },
        { symbol: 'ETH-USD', t: 1_700_000_060_000, o: 2, h: 2, l: 2, c: 2, v: 1 },
      ]),
    );
    const [batch] = await batchesOf(createFileSource(json));
    expect(batch.items[0]).toEqual({
      symbol: 'ETH-USD',
      interval: '1m',
      ts: 1_700_000_000_000,
      open: 1,
      high: 2,
      low: 1,
      close: 2,
      volume: 3,
      vwap: 1.5,
      trades: 4,
    });
    const ndjson = temp.file(
      'bars.ndjson',
      '{"time":"2024-01-01","open":1,"high":1,"low":1,"close":1,"volume":1}\n{"time":"2024-01-02","open":1,"high":1,"low":1,"close":1,"volume":1}\n',
    );
    const [nd] = await batchesOf(createFileSource(ndjson, { symbol: 'SPX' }));
    expect(nd.items.map((b) => b.ts)).toEqual([Date.UTC(2024, 0, 1), Date.UTC(2024, 0, 2)]);
    expect(nd.lines).toEqual([1, 2]);
  });

  it('reads array records positionally ([ts, o, h, l, c, v], as ccxt writes them)', async () => {
    const path = temp.file('ohlcv.json', '[[1700000000000,1,2,0.5,1.5,10],[1700003600000,1.5,2,1,2,20]]');
    const [batch] = await batchesOf(createFileSource(path, { symbol: 'BTC-USD' }));
    expect(batch.items.map((b) => [b.interval, b.open, b.volume])).toEqual([
      ['1h', 1, 10],
      ['1h', 1.5, 20],
    ]);
  });

  it('reads trades, with sides in any spelling', async () => {
    const path = temp.file(
      'trades.csv',
      'timestamp,price,size,side,trade_id\n1700000000000,100,0.5,BUY,a1\n1700000000500,101,1,s,a2\n1700000001000,99,1,hold,a3\n',
    );
    const source = createFileSource(path, { kind: 'trades', symbol: 'BTC-USD' });
    const [batch] = await batchesOf<Trade>(source);
    expect(batch.items).toEqual([
      { symbol: 'BTC-USD', ts: 1_700_000_000_000, price: 100, quantity: 0.5, side: 'buy', id: 'a1' },
      { symbol: 'BTC-USD', ts: 1_700_000_000_500, price: 101, quantity: 1, side: 'sell', id: 'a2' },
    ]);
    expect(batch.rejects).toEqual([
      { line: 4, raw: '1700000001000,99,1,hold,a3', reason: 'side "hold" is not buy or sell' },
    ]);
  });

  it('yields only the requested window', async () => {
    const rows = Array.from(
      { length: 10 },
      (_, i) => `${new Date(Date.UTC(2024, 0, 1) + i * DAY).toISOString().slice(0, 10)},1,1,1,1,1`,
    );
    const path = temp.file('window.csv', `date,open,high,low,close,volume\n${rows.join('\n')}\n`);
    const batches = await batchesOf<Bar>(createFileSource(path, { symbol: 'SPX' }), {
      from: Date.UTC(2024, 0, 3),
      to: Date.UTC(2024, 0, 6),
    });
    expect(batches.flatMap((b) => b.items.map((bar) => new Date(bar.ts).getUTCDate()))).toEqual([3, 4, 5]);
    expect(batches.flatMap((b) => b.lines)).toEqual([4, 5, 6]);
  });

  it('iterates plain bars, refusing the first unreadable row', async () => {
    const good = temp.file('good.csv', 'date,open,high,low,close,volume\n2024-01-01,1,1,1,1,1\n2024-01-02,1,1,1,1,1\n');
    const bars: Bar[] = [];
    for await (const bar of createFileSource(good, { symbol: 'SPX' })) bars.push(bar);
    expect(bars).toHaveLength(2);
    const bad = temp.file('bad.csv', 'date,open,high,low,close,volume\n2024-01-01,1,1,1,1,1\n2024-01-02,x,1,1,1,1\n');
    const iterate = async () => {
      for await (const bar of createFileSource(bad, { symbol: 'SPX', interval: '1d' })) bars.push(bar);
    };
    await expect(iterate()).rejects.toThrow(`file:${bad} line 3: record: open "x" is not a number`);
  });

  it('asks for the interval or date format when it cannot tell', async () => {
    const odd = temp.file(
      'odd.csv',
      'date,open,high,low,close,volume\n2024-01-01T00:00:00Z,1,1,1,1,1\n2024-01-01T00:07:00Z,1,1,1,1,1\n',
    );
    await expect(batchesOf(createFileSource(odd, { symbol: 'SPX' }))).rejects.toThrow(
      'cannot infer the bar interval (timestamps mostly 420000 ms apart): pass the interval option',
    );
    const words = temp.file('words.csv', 'date,open,high,low,close,volume\nmonday,1,1,1,1,1\n');
    await expect(batchesOf(createFileSource(words, { symbol: 'SPX', interval: '1d' }))).rejects.toThrow(
      'line 2: cannot tell the date format of column "date" (first value "monday"): pass dateFormat',
    );
  });

  it('checks its options up front', () => {
    expect(() => createFileSource('x.csv', { symbol: 'btc', interval: '2h' as '1h', delimiter: ';;' })).toThrow(
      /symbol: must be 3-20 characters.*interval: must be auto or one of.*delimiter: must be a single character/,
    );
  });
});
