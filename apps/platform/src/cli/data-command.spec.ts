import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliSandbox } from './testing/cli-sandbox';

describe('rrr data', () => {
  const sandbox = new CliSandbox('rrr-data-cli-');
  const cli = (...argv: string[]) => sandbox.run(...argv);

  beforeEach(() => sandbox.setUp({}));

  afterEach(() => sandbox.tearDown());

  it('imports the good rows of a CSV, reports each bad one with its line, and exits 1', async () => {
    const file = join(sandbox.dir, 'btc.csv');
    writeFileSync(
      file,
      [
        'date,open,high,low,close,volume',
        '2024-01-01,100,110,95,105,1000',
        '2024-01-02,105,104,100,103,900',
        '2024-01-03,103,108,101,107,abc',
        '2024-01-04,107,112,106,111,1200',
      ].join('\n') + '\n',
    );
    const result = await cli('data', 'import', file, '--symbol', 'BTC-USD');
    expect(result.code).toBe(1);
    expect(result.out).toContain('imported 2 bars of BTC-USD (1d)');
    expect(result.out).toContain('4 rows read, 2 rejected');
    expect(result.err).toMatch(/line 3: .*high/);
    expect(result.err).toMatch(/line 4: .*volume/);

    const listing = await cli('data', 'list');
    expect(listing.code).toBe(0);
    expect(listing.out).toMatch(/BTC-USD\s+crypto\s+1d\s+2\s+2024-01-01T00:00:00.000Z\s+2024-01-04T00:00:00.000Z/);
  });

  it('--strict writes nothing when any row is bad', async () => {
    const file = join(sandbox.dir, 'bad.csv');
    writeFileSync(
      file,
      'date,open,high,low,close,volume\n2024-01-01,100,110,95,105,1000\n2024-01-02,105,104,100,103,900\n',
    );
    const result = await cli('data', 'import', file, '--symbol', 'ETH-USD', '--strict');
    expect(result.code).toBe(1);
    expect(result.err).toContain('line 3');
    expect((await cli('data', 'list')).out).not.toContain('ETH-USD');
  });

  it('backfills a synthetic series and resumes as already complete', async () => {
    const args = [
      'data',
      'backfill',
      '--source',
      'synthetic',
      '--symbol',
      'BTC-USD',
      '--interval',
      '1h',
      '--from',
      '2024-01-01',
      '--to',
      '2024-01-03',
    ];
    const first = await cli(...args);
    expect(first.code).toBe(0);
    expect(first.out).toMatch(/completed: 48 bars written by this run, 48 in total/);
    const second = await cli(...args);
    expect(second.out).toMatch(/was already complete: 48 bars stored/);
    const quality = await cli('data', 'quality', '--symbol', 'BTC-USD');
    expect(quality.code).toBe(0);
    expect(quality.out).toContain('BTC-USD');
  });

  it('names every missing or malformed flag before doing any work', async () => {
    const result = await cli('data', 'backfill', '--symbol', 'BTC-USD', '--interval', '7m', '--from', 'soon');
    expect(result.code).toBe(1);
    expect(result.err).toContain('--source: is required for `rrr data backfill`');
    expect(result.err).toContain('--interval: must be one of 1m, 5m, 15m, 1h, 4h, 1d');
    expect(result.err).toContain('--from: must be an ISO date such as 2020-01-31');
  });
});
