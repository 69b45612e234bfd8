import { ValidationError } from '@rrr/core';
import { memoryBarLoader } from '../data/bar-loader';
import { randomWalkBars } from '../testing/scripted-strategy';
import { runMonteCarlo } from './run-monte-carlo';

describe('runMonteCarlo', () => {
  const loader = memoryBarLoader(randomWalkBars('AAA', 500, 13));

  it('runs the backtest, then resamples its trades or its returns, reproducibly', async () => {
    const phases = new Set<string>();
    const trades = await runMonteCarlo(
      { strategy: 'sma-cross', symbols: 'AAA', params: { fast: 5, slow: 20 }, monteCarlo: { runs: 300, seed: 4 } },
      { loader },
      (p) => phases.add(p.phase),
    );
    expect(trades.backtest.metrics.closedTrades).toBeGreaterThan(5);
    expect(trades.monteCarlo).toMatchObject({
      method: 'trades',
      runs: 300,
      pathLength: trades.backtest.metrics.closedTrades,
    });
    // The unshuffled trades compound to the run's closed-trade growth.
    const growth = trades.backtest.trades
      .filter((t) => t.pnl !== null)
      .reduce((g, t) => g * (1 + (t.pnl as number) / t.equityAtEntry), 1);
    expect(trades.monteCarlo.original.totalReturn).toBeCloseTo(growth - 1, 9);
    expect([...phases]).toEqual(expect.arrayContaining(['load', 'run', 'simulate']));

    const blocks = await runMonteCarlo(
      {
        strategy: 'sma-cross',
        symbols: 'AAA',
        params: { fast: 5, slow: 20 },
        monteCarlo: { runs: 300, seed: 4, method: 'blocks' },
      },
      { loader },
    );
    expect(blocks.monteCarlo.pathLength).toBe(blocks.backtest.curve.equity.length - 1);
    expect(blocks.monteCarlo.original.totalReturn).toBeCloseTo(blocks.backtest.metrics.totalReturn as number, 9);
    expect(blocks.monteCarlo.original.sharpe).toBeCloseTo(blocks.backtest.metrics.sharpe as number, 9);
    const again = await runMonteCarlo(
      {
        strategy: 'sma-cross',
        symbols: 'AAA',
        params: { fast: 5, slow: 20 },
        monteCarlo: { runs: 300, seed: 4, method: 'blocks' },
      },
      { loader },
    );
    expect(again.monteCarlo).toEqual(blocks.monteCarlo);
  });

  it('reports request and Monte Carlo problems together, before running anything', async () => {
    const error = await runMonteCarlo(
      { strategy: 'sma-cross', symbols: 'AAA', params: { fast: 30, slow: 10 }, monteCarlo: { runs: 0, blockSize: 0 } },
      { loader },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).problems.map((p) => p.field)).toEqual([
      'params.fast',
      'monteCarlo.runs',
      'monteCarlo.blockSize',
    ]);
  });
});
