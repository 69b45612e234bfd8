import { ValidationError } from '@rrr/core';
import { createRng } from './seeded-rng';

export interface SyntheticPortfolioOptions {
  assets: number;
  seed?: number;
  /** Common risk factors; the covariance is B·Bᵀ + D with B (assets × factors) and D a positive diagonal. Default 3. */
  factors?: number;
}

export interface SyntheticPortfolio {
  symbols: string[];
  expectedReturns: number[];
  covariance: number[][];
}

/**
 * A seeded factor-model universe (annualised figures: returns ≈ 2% ± 8%, volatilities ≈ 15–40%) for demos,
 * benchmarks and tests. B·Bᵀ + D is positive definite by construction, like a real factor-model covariance.
 */
export function syntheticPortfolio(options: SyntheticPortfolioOptions): SyntheticPortfolio {
  const { assets } = options;
  const factors = options.factors ?? 3;
  if (!Number.isInteger(assets) || assets < 1) {
    throw new ValidationError('synthetic portfolio', [
      { field: 'assets', message: 'must be a positive integer', value: assets },
    ]);
  }
  if (!Number.isInteger(factors) || factors < 1) {
    throw new ValidationError('synthetic portfolio', [
      { field: 'factors', message: 'must be a positive integer', value: factors },
    ]);
  }
  const rng = createRng(options.seed ?? 1);
  const loadings = Array.from({ length: assets }, () => Array.from({ length: factors }, () => rng.normal() * 0.15));
  const specific = Array.from({ length: assets }, () => 0.01 + 0.03 * rng.next());
  const covariance = Array.from({ length: assets }, () => new Array<number>(assets).fill(0));
  for (let i = 0; i < assets; i++) {
    for (let j = i; j < assets; j++) {
      let c = i === j ? specific[i] : 0;
      for (let f = 0; f < factors; f++) c += loadings[i][f] * loadings[j][f];
      covariance[i][j] = c;
      covariance[j][i] = c;
    }
  }
  const expectedReturns = Array.from({ length: assets }, () => 0.02 + rng.normal() * 0.08);
  const symbols = Array.from({ length: assets }, (_, i) => `A${String(i + 1).padStart(3, '0')}`);
  return { symbols, expectedReturns, covariance };
}
