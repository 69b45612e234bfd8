import { mean, sampleCovariance } from 'simple-statistics';
import { estimateInputsFromPrices } from './estimate-inputs-from-prices';
import { createRng } from './seeded-rng';
import { validatePortfolioInputs } from './validate-portfolio-inputs';

function randomWalk(seed: number, days: number, drift: number, vol: number): number[] {
  const rng = createRng(seed);
  const prices = [100];
  for (let d = 1; d < days; d++) prices.push(prices[d - 1] * Math.exp(drift + vol * rng.normal()));
  return prices;
}

describe('estimateInputsFromPrices', () => {
  it('annualises mean and sample covariance of daily log returns by 252, as simple-statistics computes them', () => {
    const closes = {
      AAA: randomWalk(1, 300, 0.0004, 0.01),
      BBB: randomWalk(2, 300, 0.0002, 0.02),
      CCC: randomWalk(3, 300, 0, 0.015),
    };
    const estimated = estimateInputsFromPrices(closes);
    expect(estimated.symbols).toEqual(['AAA', 'BBB', 'CCC']);
    expect(estimated.observations).toBe(299);
    const logReturns = Object.values(closes).map((p) => p.slice(1).map((v, i) => Math.log(v / p[i])));
    for (let i = 0; i < 3; i++) {
      expect(estimated.expectedReturns[i]).toBeCloseTo(252 * mean(logReturns[i]), 12);
      for (let j = 0; j < 3; j++) {
        expect(estimated.covariance[i][j]).toBeCloseTo(252 * sampleCovariance(logReturns[i], logReturns[j]), 12);
      }
    }
    expect(() => validatePortfolioInputs(estimated)).not.toThrow();
  });

  it('gives the exact drift and zero variance for a constant growth path, and takes a Map', () => {
    const growth = Array.from({ length: 10 }, (_, d) => 50 * 1.001 ** d);
    const estimated = estimateInputsFromPrices(new Map([['SPX', growth]]), { periodsPerYear: 365 });
    expect(estimated.expectedReturns[0]).toBeCloseTo(365 * Math.log(1.001), 12);
    expect(estimated.covariance[0][0]).toBeCloseTo(0, 15);
  });

  it('names the symbol and index of bad data', () => {
    expect(() => estimateInputsFromPrices({ AAA: [1, 2, 3], BBB: [1, 2, 3, 4] })).toThrow(
      /closesBySymbol.BBB: has 4 closes but AAA has 3: align the series on common dates first/,
    );
    expect(() => estimateInputsFromPrices({ AAA: [1, 0, 3] })).toThrow(
      /closesBySymbol.AAA\[1\]: must be a positive finite price/,
    );
    expect(() => estimateInputsFromPrices({ AAA: [1, 2] })).toThrow(/closesBySymbol.AAA: needs at least 3 closes/);
    expect(() => estimateInputsFromPrices({})).toThrow(/closesBySymbol: must contain at least one symbol/);
  });
});
