import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliSandbox } from './testing/cli-sandbox';

describe('rrr model and rrr optimize on the bundled data', () => {
  const sandbox = new CliSandbox('rrr-model-cli-');
  const cli = (...argv: string[]) => sandbox.run(...argv);

  beforeAll(() => sandbox.setUp((dir) => ({ RRR_MODELS_DIR: join(dir, 'models') })));

  afterAll(() => sandbox.tearDown());

  it('trains a logistic model on AAPL from a fresh database, registers it and lists it', async () => {
    const trained = await cli('model', 'train', '--symbol', 'AAPL', '--model', 'logistic');
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    expect(trained.out).toMatch(/^registered aapl-logistic-1d@1 \(active\) in /m);
    expect(trained.out).toContain('baseline: majority');

    const listed = await cli('model', 'list');
    expect(listed.code).toBe(0);
    // Training starts after the indicators warm up and ends before the 20 % holdout.
    expect(listed.out).toMatch(
      /aapl-logistic-1d@1\s+logistic\s+AAPL\s+1d\s+active\s+trained 2013-\d\d-\d\d\.\.201[78]-\d\d-\d\d/,
    );
  }, 60_000);

  it('trains on a feature subset given by --features and stores the subset with the model', async () => {
    const trained = await cli('model', 'train', '--symbol', 'AAPL', '--features', 'rsi14, macdPct');
    expect(trained.err).toBe('');
    expect(trained.code).toBe(0);
    const dir = /^registered aapl-logistic-1d@\d+ \(active\) in (.+)$/m.exec(trained.out)?.[1];
    expect(dir).toBeDefined();
    const descriptor = JSON.parse(readFileSync(join(dir as string, 'model.json'), 'utf8')) as Record<string, unknown>;
    expect(JSON.stringify(descriptor)).toContain('["rsi14","macdPct"]');

    const bad = await cli('model', 'evaluate', '--symbol', 'AAPL', '--features', 'rsi14,volumeOfTheMoon');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('volumeOfTheMoon');
  }, 60_000);

  it('rejects an unknown model kind and a bad interval before any work', async () => {
    const result = await cli('model', 'train', '--symbol', 'AAPL', '--model', 'transformer');
    expect(result.code).toBe(2);
    expect(result.err).toContain('Invalid values');
    const bad = await cli('model', 'evaluate', '--interval', '2d');
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('--symbol: is required for `rrr model evaluate`');
    expect(bad.err).toContain('--interval: must be one of');
  });

  it('optimizes a 2-of-2 SPX/AAPL selection exactly and says which method won', async () => {
    const result = await cli('optimize', 'portfolio', '--symbols', 'SPX,AAPL', '--method', 'exact', '--k', '1');
    expect(result.err).toBe('');
    expect(result.code).toBe(0);
    expect(result.out).toContain('exact');
    expect(result.out).toMatch(/won|winner|best/i);
  }, 30_000);

  it('estimates the returns from the bars of --from … --to only', async () => {
    const args = ['optimize', 'portfolio', '--symbols', 'SPX,AAPL', '--method', 'mean-variance'];
    // Over all the bundled history AAPL wins outright; over 2016 alone SPX does (AAPL fell in the first half).
    const whole = await cli(...args);
    const year = await cli(...args, '--from', '2016-01-01', '--to', '2016-12-31');
    expect([whole.code, year.code]).toEqual([0, 0]);
    expect(whole.out).toMatch(/^mean-variance .* AAPL 100\.00%$/m);
    expect(year.out).toMatch(/^mean-variance .* SPX 100\.00%$/m);
  }, 30_000);

  it('names a symbol without data and an impossible k', async () => {
    const result = await cli('optimize', 'portfolio', '--symbols', 'SPX,DOGE-USD', '--k', '3');
    expect(result.code).toBe(1);
    expect(result.err).toContain('--k: must be an integer from 1 to the number of symbols (2)');
    // The API's own request check, every problem at once, each named by its flag.
    const refused = await cli(
      'optimize',
      'portfolio',
      '--symbols',
      'SPX,AAPL',
      '--risk-aversion',
      '-1',
      '--from',
      '2019-13-01',
    );
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('--risk-aversion: must be a number >= 0');
    expect(refused.err).toContain('--from: must be epoch milliseconds or an ISO-8601 date or date-time');
    const missing = await cli('optimize', 'portfolio', '--symbols', 'SPX,DOGE-USD');
    expect(missing.err).toContain(
      '--symbols: DOGE-USD has no 1d bars stored: load some first, e.g. `rrr data backfill --source synthetic --symbol DOGE-USD',
    );
  });
});
