import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sampleCovariance, sampleVariance } from 'simple-statistics';
import { maxDrawdown, equityCurveFromReturns } from './drawdown';
import { assessPortfolioRisk } from './portfolio-risk-report';
import { portfolioReturns } from './return-series';
import { historicalVar } from './value-at-risk';

/** A data file inside an installed package (the packages' `exports` hide their data from require.resolve). */
function packageFile(pkg: string, file: string): string {
  const found = (require.resolve.paths(pkg) ?? []).map((dir) => join(dir, pkg, file)).find((path) => existsSync(path));
  if (found === undefined) throw new Error(`${pkg}/${file} not found: run npm ci at the workspace root`);
  return found;
}

/** date → adjusted close from a Yahoo-style CSV shipped in an npm package. */
function adjustedCloses(pkg: string, file: string, adjColumn: string): Map<string, number> {
  const [header, ...rows] = readFileSync(packageFile(pkg, file), 'utf8').trim().split('\n');
  const columns = header.split(',');
  const dateAt = columns.findIndex((c) => c.toLowerCase() === 'date');
  const closeAt = columns.indexOf(adjColumn);
  return new Map(rows.map((row) => row.split(',')).map((cells) => [cells[dateAt], Number(cells[closeAt])]));
}

// Real daily data: AAPL 2013-05-13..2018-05-11 and the S&P 500, aligned on common dates.
const aapl = adjustedCloses('@observablehq/sample-datasets', 'aapl.csv', 'Adj Close');
const spx = adjustedCloses('vega-datasets', 'data/sp500-2000.csv', 'adjclose');
const dates = [...aapl.keys()].filter((d) => spx.has(d)).sort();
const toReturns = (prices: Map<string, number>) =>
  dates.slice(1).map((d, i) => (prices.get(d) as number) / (prices.get(dates[i]) as number) - 1);
const aaplReturns = toReturns(aapl);
const spxReturns = toReturns(spx);

describe('assessPortfolioRisk on AAPL and the S&P 500, 2013–2018', () => {
  const report = assessPortfolioRisk({
    returns: [aaplReturns, spxReturns],
    weights: [0.5, 0.5],
    benchmark: spxReturns,
    seed: 42,
  });
  const series = portfolioReturns([aaplReturns, spxReturns], [0.5, 0.5]);

  it('uses about five years of aligned days', () => {
    expect(dates.length).toBeGreaterThan(1_250);
    expect(dates[0]).toBe('2013-05-13');
  });

  it('computes beta as an independent covariance / variance does', () => {
    expect(report.beta).toBeCloseTo(sampleCovariance(series, spxReturns) / sampleVariance(spxReturns), 10);
    // Half the index (beta 1) and half AAPL (beta near 1): the blend sits near 1.
    expect(report.beta).toBeGreaterThan(0.8);
    expect(report.beta).toBeLessThan(1.3);
  });

  it('reports VaR by all three methods in a plausible band for a large-cap blend', () => {
    expect(report.var.historical.estimates).toEqual(historicalVar(series));
    for (const method of ['historical', 'parametric', 'monte-carlo'] as const) {
      const [v95, v99] = report.var[method].estimates;
      expect(v95.var).toBeGreaterThan(0.008);
      expect(v95.var).toBeLessThan(0.03);
      expect(v99.cvar).toBeGreaterThan(v95.cvar);
    }
    // Fat tails: the historical 99 % CVaR exceeds the normal model's.
    expect(report.var.historical.estimates[1].cvar).toBeGreaterThan(report.var.parametric.estimates[1].cvar);
  });

  it('measures volatility, correlation and drawdown, and checks the limits', () => {
    expect(report.volatility).toBeGreaterThan(0.1);
    expect(report.volatility).toBeLessThan(0.25);
    expect(report.correlation[0][1]).toBeGreaterThan(0.3);
    expect(report.correlation[0][1]).toBeLessThan(0.9);
    expect(report.drawdown).toEqual(maxDrawdown(equityCurveFromReturns(series)));
    expect(report.drawdown.maxDrawdown).toBeGreaterThan(0.1);
    expect(report.check.outcomes.map((o) => [o.rule, o.pass])).toEqual([
      ['max-var95', true],
      ['max-volatility', true],
      ['max-drawdown', true],
    ]);
  });

  it('fails the volatility limit for AAPL alone at 1.5× leverage', () => {
    const levered = assessPortfolioRisk({ returns: [aaplReturns], weights: [1.5], seed: 1, scenarios: 2_000 });
    expect(levered.volatility).toBeGreaterThan(0.25);
    expect(levered.check.ok).toBe(false);
    expect(levered.check.outcomes.find((o) => o.rule === 'max-volatility')?.pass).toBe(false);
  });
});
