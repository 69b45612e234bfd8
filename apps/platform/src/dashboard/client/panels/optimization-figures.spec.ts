import { optimizePortfolio, syntheticPortfolio } from '@rrr/quantum-optimization';
import type { OptimizationJob, PortfolioOptimization } from '../api/wire-types';
import {
  assetVolatility,
  formatObjective,
  formatSharpe,
  headlineRun,
  namedSymbols,
  sharpeRatio,
  weightSum,
} from './optimization-figures';

const portfolio = syntheticPortfolio({ assets: 6, seed: 4 });

/** A job as `GET /api/v1/optimizations/:id` answers it, around a result the library computed. */
function jobWith(result: PortfolioOptimization | null): OptimizationJob {
  return {
    id: 'job-1',
    status: result === null ? 'running' : 'completed',
    request: {
      symbols: portfolio.symbols,
      k: 3,
      method: 'all',
      riskAversion: 1,
      seed: 1,
      interval: '1d',
      from: null,
      to: null,
    },
    inputs: {
      symbols: portfolio.symbols,
      expectedReturns: portfolio.expectedReturns,
      covariance: portfolio.covariance,
      observations: 250,
      periodsPerYear: 252,
      firstTs: Date.UTC(2020, 0, 2),
      lastTs: Date.UTC(2020, 11, 31),
    },
    result,
    submittedAt: Date.UTC(2026, 10, 26),
    startedAt: null,
    finishedAt: null,
  };
}

describe('optimisation figures', () => {
  it('sums a job up by the winner’s run, or by the first run when nothing won', () => {
    const all = optimizePortfolio({ ...portfolio, k: 3, method: 'all' });
    expect(all.winner.method).not.toBeNull();
    expect(headlineRun(jobWith(all))).toBe(all.runs.find((run) => run.method === all.winner.method));

    const meanVariance = optimizePortfolio({ ...portfolio, k: 3, method: 'mean-variance' });
    expect(headlineRun(jobWith(meanVariance))?.method).toBe('mean-variance');

    // No selection held k assets and no baseline ran: the library names no winner.
    const nothingWon = {
      ...all,
      winner: { method: null, sentence: 'No method found a selection of exactly 3 assets' },
    };
    expect(headlineRun(jobWith(nothingWon))).toBe(all.runs[0]);

    expect(headlineRun(jobWith(null))).toBeUndefined();
  });

  it('adds up every method’s weights to a fully invested portfolio', () => {
    const all = optimizePortfolio({ ...portfolio, k: 3, method: 'all' });
    for (const run of all.runs) expect(weightSum(run)).toBeCloseTo(1, 6);
    expect(weightSum({ ...all.runs[0], holdings: [] })).toBe(0);
  });

  it('reads each asset’s volatility off the covariance diagonal', () => {
    const job = jobWith(null);
    portfolio.symbols.forEach((_, i) =>
      expect(assetVolatility(job, i) ** 2).toBeCloseTo(portfolio.covariance[i][i], 12),
    );
    expect(assetVolatility(job, portfolio.symbols.length)).toBeNaN();
  });

  it('divides return by volatility for the Sharpe ratio, and gives none without volatility', () => {
    expect(sharpeRatio(0.12, 0.24)).toBe(0.5);
    expect(sharpeRatio(-0.03, 0.15)).toBeCloseTo(-0.2, 12);
    expect(sharpeRatio(0.1, 0)).toBeNull();
    expect(sharpeRatio(Number.NaN, 0.2)).toBeNull();
  });

  it('formats Sharpe ratios and objectives with fixed decimals, and a dash for none', () => {
    expect(formatSharpe(0.0027)).toBe('0.00');
    expect(formatSharpe(-0.0004)).toBe('0.00');
    expect(formatSharpe(1.5)).toBe('1.50');
    expect(formatSharpe(-0.846)).toBe('-0.85');
    expect(formatSharpe(null)).toBe('—');
    expect(formatObjective(0.052)).toBe('0.0520');
    expect(formatObjective(-0.93214)).toBe('-0.9321');
    expect(formatObjective(Number.POSITIVE_INFINITY)).toBe('—');
  });

  it('names the first four symbols and counts the rest', () => {
    expect(namedSymbols(['AAPL', 'SPX'])).toBe('AAPL, SPX');
    expect(namedSymbols(['A01', 'A02', 'A03', 'A04'])).toBe('A01, A02, A03, A04');
    expect(namedSymbols(['A01', 'A02', 'A03', 'A04', 'A05', 'A06'])).toBe('A01, A02, A03, A04 +2');
    expect(namedSymbols([])).toBe('');
  });
});
