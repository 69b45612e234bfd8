import { psdCheck } from './cholesky';
import { syntheticPortfolio } from './synthetic-portfolio';

describe('syntheticPortfolio', () => {
  it('builds a reproducible, symmetric, positive definite universe with plausible figures', () => {
    const a = syntheticPortfolio({ assets: 30, seed: 5 });
    const b = syntheticPortfolio({ assets: 30, seed: 5 });
    expect(a).toEqual(b);
    expect(a.symbols[0]).toBe('A001');
    expect(a.covariance.every((row, i) => row.every((v, j) => v === a.covariance[j][i]))).toBe(true);
    expect(psdCheck(a.covariance, 0).ok).toBe(true);
    for (let i = 0; i < 30; i++) {
      const vol = Math.sqrt(a.covariance[i][i]);
      expect(vol).toBeGreaterThan(0.09);
      expect(vol).toBeLessThan(0.8);
    }
    expect(syntheticPortfolio({ assets: 30, seed: 6 }).expectedReturns).not.toEqual(a.expectedReturns);
  });

  it('validates its options', () => {
    expect(() => syntheticPortfolio({ assets: 0 })).toThrow(/assets: must be a positive integer/);
  });
});
