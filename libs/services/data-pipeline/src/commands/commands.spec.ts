import type { Database } from '@rrr/core';
import { runBackfill } from '../backfill/run-backfill';
import { importFile } from '../ingest/import-file';
import { createBundledSource } from '../sources/bundled-datasets';
import { TempSqlite } from '../testing/temp-sqlite';
import { createBackfillSource } from './create-backfill-source';
import { formatSymbolListing, listSymbols } from './list-symbols';
import { formatSymbolQualityReport, qualityReport } from './quality-report-for-symbol';

describe('data commands', () => {
  const temp = new TempSqlite('rrr-data-commands-');
  let db: Database;

  beforeAll(async () => {
    db = await temp.open();
    await runBackfill(db, { source: createBundledSource('SPX'), assetClass: 'index' });
    const path = temp.file(
      'eth.csv',
      'date,open,high,low,close,volume\n2024-01-01,1,2,1,2,1\n2024-01-02,2,1,1,2,1\n2024-01-03,2,3,2,3,1\n',
    );
    await importFile(db, path, { symbol: 'ETH-USD', policy: 'quarantine' });
  });

  afterAll(() => temp.cleanup());

  it('lists every symbol with its stored series', async () => {
    const listings = await listSymbols(db);
    expect(listings).toEqual([
      {
        symbol: 'ETH-USD',
        assetClass: 'crypto',
        series: [{ interval: '1d', bars: 2, firstTs: Date.UTC(2024, 0, 1), lastTs: Date.UTC(2024, 0, 3) }],
      },
      {
        symbol: 'SPX',
        assetClass: 'index',
        series: [{ interval: '1d', bars: 5105, firstTs: Date.UTC(2000, 0, 3), lastTs: Date.UTC(2020, 3, 17) }],
      },
    ]);
    expect(formatSymbolListing(listings).split('\n')).toEqual([
      'symbol   class   interval  bars  from                      to',
      'ETH-USD  crypto  1d        2     2024-01-01T00:00:00.000Z  2024-01-03T00:00:00.000Z',
      'SPX      index   1d        5105  2000-01-03T00:00:00.000Z  2020-04-17T00:00:00.000Z',
    ]);
  });

  it('re-checks a stored series: the real 9/11 market closure shows as a gap, crash days as spikes', async () => {
    const report = await qualityReport(db, { symbol: 'SPX' });
    const [spx] = report.series;
    expect(spx.interval).toBe('1d');
    expect(spx.report).toMatchObject({ rows: 5105, accepted: 5105, errors: 0 });
    expect(spx.report.problems.filter((p) => p.check === 'gap').map((p) => p.reason)).toEqual([
      '7 intervals between 2001-09-10T00:00:00.000Z and 2001-09-17T00:00:00.000Z (more than 5)',
    ]);
    expect(spx.report.problems.some((p) => p.check === 'spike' && p.ts === Date.UTC(2008, 9, 13))).toBe(true);
    expect(report.quarantined).toBe(0);
    const text = formatSymbolQualityReport(report, { maxLines: 3 });
    expect(text).toContain('quality report for stored:SPX:1d');
    expect(text).toContain('quarantined rows for SPX: 0');
  });

  it('reports quarantined rows with their line and reason', async () => {
    const report = await qualityReport(db, { symbol: 'ETH-USD' });
    expect(report.quarantined).toBe(1);
    expect(formatSymbolQualityReport(report)).toMatch(
      /#\d+ file:.*eth\.csv line 3 2024-01-02T00:00:00\.000Z: high 1 is below max\(open, close, low\) = 2/,
    );
  });

  it('says so for a symbol with nothing stored', async () => {
    await expect(qualityReport(db, { symbol: 'DOGE-USD' })).rejects.toThrow(
      'stored bars of symbol "DOGE-USD" not found',
    );
  });

  it('builds backfill sources from CLI-style specs, naming what is missing', () => {
    expect(
      createBackfillSource({ source: 'synthetic', symbol: 'BTC-USD', interval: '1m', from: 0, to: 60_000 }).describe()
        .name,
    ).toBe('synthetic:BTC-USD');
    expect(createBackfillSource({ source: 'bundled', symbol: 'AAPL', interval: '1d' }).describe().name).toBe(
      'bundled:AAPL',
    );
    expect(() => createBackfillSource({ source: 'synthetic', symbol: 'BTC-USD', interval: '1m' })).toThrow(
      'synthetic backfill source: from: is required for a synthetic source; to: is required for a synthetic source',
    );
    expect(() => createBackfillSource({ source: 'polygon', symbol: 'AAPL', interval: '1d', from: 0, to: 1 })).toThrow(
      'polygon client (set POLYGON_API_KEY) "polygon" not found',
    );
    expect(() => createBackfillSource({ source: 'ftp' as 'file', symbol: 'AAPL', interval: '1d' })).toThrow(
      'source: must be one of synthetic, bundled, file, polygon, exchange',
    );
  });
});
