import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CliSandbox } from './testing/cli-sandbox';

describe('rrr backtest', () => {
  const sandbox = new CliSandbox('rrr-backtest-cli-');
  const cli = (...argv: string[]) => sandbox.run(...argv);

  beforeAll(() => sandbox.setUp({}));

  afterAll(() => sandbox.tearDown());

  it('runs SMA 20/50 over all of SPX, prints the metrics as JSON and writes an offline HTML report', async () => {
    const report = join(sandbox.dir, 'out.html');
    const result = await cli(
      'backtest',
      '--strategy',
      'sma-cross',
      '--symbol',
      'SPX',
      '--from',
      '2000-01-01',
      '--to',
      '2020-04-17',
      '--param',
      'fast=20',
      '--param',
      'slow=50',
      '--json',
      '--report',
      report,
    );
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.out) as {
      strategy: string;
      symbols: string[];
      from: string;
      metrics: { closedTrades: number; totalReturn: number };
      benchmark: { totalReturn: number };
      stored: boolean;
    };
    expect(summary.strategy).toBe('sma-cross(20,50)');
    expect(summary.symbols).toEqual(['SPX']);
    expect(summary.from.startsWith('2000-01-0')).toBe(true);
    expect(summary.metrics.closedTrades).toBeGreaterThan(40);
    // SPX closed 1455.22 on 2000-01-03 and 2874.56 on 2020-04-17: buy and hold returns about +97 %.
    expect(summary.benchmark.totalReturn).toBeGreaterThan(0.9);
    expect(summary.benchmark.totalReturn).toBeLessThan(1.0);
    expect(summary.stored).toBe(true);
    expect(result.err).toContain(`wrote ${report}`);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).not.toMatch(/https?:\/\//);
  }, 60_000);

  it('refuses fast ≥ slow and an unknown parameter before any work, naming them', async () => {
    const result = await cli(
      'backtest',
      '--strategy',
      'sma-cross',
      '--symbol',
      'SPX',
      '--param',
      'fast=50',
      '--param',
      'slow=20',
      '--param',
      'speed=3',
      '--export',
      join(sandbox.dir, 'never'),
    );
    expect(result.code).toBe(1);
    expect(result.err).toContain('VALIDATION_FAILED');
    expect(result.err).toMatch(/fast/);
    expect(result.err).toMatch(/speed/);
    expect(existsSync(join(sandbox.dir, 'never'))).toBe(false);
  });

  it('runs a Monte Carlo of the trades', async () => {
    const result = await cli(
      'backtest',
      'monte-carlo',
      '--strategy',
      'sma-cross',
      '--symbol',
      'AAPL',
      '--runs',
      '200',
      '--seed',
      '7',
    );
    expect(result.code).toBe(0);
    expect(result.out).toContain('200 trades bootstrap paths (seed 7) of sma-cross(20,50)');
    expect(result.out).toMatch(/probability of profit \d+\.\d\d %/);
  }, 60_000);
});
