import { createSeededRng } from '@rrr/risk-management';
import { monteCarlo, resamplePath } from './monte-carlo';

const base = { periodsPerYear: 252, years: 1 };

describe('monteCarlo: trade bootstrap', () => {
  // Two trades, +10 % and −5 %: a 2-trade path is +21 % (¼), +4.5 % (½) or −9.75 % (¼); its drawdown 0, 5 % or 9.75 %.
  const input = { ...base, returns: [], tradeReturns: [0.1, -0.05] };

  it('converges to the exact outcome probabilities', () => {
    const report = monteCarlo(input, { runs: 20_000, seed: 7, ruinDrawdown: 0.09 });
    expect(report.probabilityOfProfit).toBeCloseTo(0.75, 1);
    expect(report.probabilityOfRuin).toBeCloseTo(0.25, 1);
    expect(report.totalReturn.p5).toBeCloseTo(-0.0975, 12);
    expect(report.totalReturn.p50).toBeCloseTo(0.045, 12);
    expect(report.totalReturn.p95).toBeCloseTo(0.21, 12);
    expect(report.maxDrawdown.p95).toBeCloseTo(0.0975, 12);
    expect(report.totalReturn.mean).toBeCloseTo(0.25 * 0.21 + 0.5 * 0.045 - 0.25 * 0.0975, 2);
    expect(report).toMatchObject({ method: 'trades', runs: 20_000, pathLength: 2 });
    expect(report.original.totalReturn).toBeCloseTo(0.045, 12);
  });

  it('is reproducible from its seed and changes with it', () => {
    const series = { ...base, returns: [], tradeReturns: [0.03, -0.02, 0.05, -0.04, 0.01, 0.02, -0.01] };
    expect(monteCarlo(series, { seed: 42 })).toEqual(monteCarlo(series, { seed: 42 }));
    expect(monteCarlo(series, { seed: 42 }).totalReturn.p50).not.toBe(monteCarlo(series, { seed: 43 }).totalReturn.p50);
    expect(monteCarlo(series).runs).toBe(1_000);
  });

  it('annualises trade-path Sharpe with trades per year (N / years)', () => {
    const report = monteCarlo({ ...base, years: 2, returns: [], tradeReturns: [0.1, -0.1, 0.1, 0] }, { runs: 1 });
    // As the metrics' Sharpe with P = 4 trades / 2 years = 2: 0.025 / 0.0957427 × √2
    expect(report.original.sharpe).toBeCloseTo((0.025 / Math.sqrt(0.0275 / 3)) * Math.SQRT2, 9);
    expect(report.original.maxDrawdown).toBeCloseTo(0.1, 12);
  });

  it('names what is wrong before simulating anything', () => {
    expect(() => monteCarlo(input, { runs: 0, method: 'shuffle' as 'trades', ruinDrawdown: 2 })).toThrow(
      'monte carlo: monteCarlo.runs: must be an integer in [1, 1000000]; monteCarlo.method: must be one of trades, blocks; monteCarlo.ruinDrawdown: must be a fraction in (0, 1]',
    );
    expect(() => monteCarlo({ ...input, tradeReturns: [0.1] })).toThrow('need at least 2 closed trades');
  });
});

describe('monteCarlo: block bootstrap of returns', () => {
  it('draws contiguous blocks of 5 from anywhere in the series', () => {
    const source = Array.from({ length: 23 }, (_, i) => i / 1_000);
    const path = new Float64Array(23);
    const rng = createSeededRng(3);
    for (let run = 0; run < 50; run += 1) {
      resamplePath('blocks', source, 5, rng, path);
      for (let i = 0; i < 23; i += 1) {
        // Inside a block each return follows its predecessor in the source.
        if (i % 5 !== 0) expect(Math.round(path[i] * 1_000)).toBe(Math.round(path[i - 1] * 1_000) + 1);
        expect(path[i]).toBeLessThanOrEqual(0.022);
      }
    }
  });

  it('with one block as long as the series, every path is the original', () => {
    const returns = [0.1, -0.1, 0.1, 0];
    const report = monteCarlo(
      { ...base, periodsPerYear: 4, returns, tradeReturns: [] },
      { method: 'blocks', blockSize: 4, runs: 10 },
    );
    expect(report.totalReturn.p5).toBeCloseTo(0.089, 12);
    expect(report.totalReturn.p95).toBeCloseTo(0.089, 12);
    expect(report.sharpe.p50).toBeCloseTo(0.5222329679, 9);
    expect(report.maxDrawdown.p50).toBeCloseTo(0.1, 12);
    expect(report.probabilityOfProfit).toBe(1);
  });

  it('counts a path as ruined once a loss of 100 % or more wipes it out', () => {
    const report = monteCarlo(
      { ...base, returns: [-1.2, 0.5], tradeReturns: [] },
      { method: 'blocks', blockSize: 1, runs: 400, seed: 5 },
    );
    // A path containing −120 % is ruined for good (equity floored at 0): ¾ of 2-return paths contain it.
    expect(report.probabilityOfRuin).toBeCloseTo(0.75, 1);
    expect(report.maxDrawdown.p95).toBe(1);
  });
});
