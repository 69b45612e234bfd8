import { Matrix, inverse } from 'ml-matrix';
import { meanVariance } from './mean-variance';
import { createRng } from './seeded-rng';
import { syntheticPortfolio } from './synthetic-portfolio';

/** Five assets with mild positive correlations: the unconstrained solutions are long-only, so closed forms apply. */
const mu = [0.08, 0.1, 0.12, 0.07, 0.09];
const vols = [0.15, 0.2, 0.25, 0.12, 0.18];
const covariance = vols.map((a, i) => vols.map((b, j) => (i === j ? a * a : 0.2 * a * b)));

function variance(w: readonly number[], sigma: readonly (readonly number[])[]): number {
  let v = 0;
  for (let i = 0; i < w.length; i++) for (let j = 0; j < w.length; j++) v += w[i] * sigma[i][j] * w[j];
  return v;
}

describe('meanVariance', () => {
  it('min-variance matches the closed form Σ⁻¹1 / 1ᵀΣ⁻¹1 computed with ml-matrix', () => {
    const inv = inverse(new Matrix(covariance));
    const raw = inv.mmul(Matrix.columnVector(new Array(5).fill(1))).to1DArray();
    const total = raw.reduce((s, v) => s + v, 0);
    const closedForm = raw.map((v) => v / total);
    expect(closedForm.every((w) => w > 0)).toBe(true);
    const result = meanVariance({ expectedReturns: mu, covariance, objective: 'min-variance' });
    result.weights.forEach((w, i) => expect(w).toBeCloseTo(closedForm[i], 9));
    expect(result.variance).toBeCloseTo(1 / total, 10);
    expect(result.ridge).toBe(0);
  });

  it('min-variance of two assets matches the hand formula w₁ = (σ₂² − σ₁₂)/(σ₁² + σ₂² − 2σ₁₂)', () => {
    // σ₁ = 20%, σ₂ = 30%, ρ = 0.1 → σ₁₂ = 0.006; w₁ = 0.084 / 0.118.
    const result = meanVariance({
      expectedReturns: [0.05, 0.1],
      covariance: [
        [0.04, 0.006],
        [0.006, 0.09],
      ],
      objective: 'min-variance',
    });
    expect(result.weights[0]).toBeCloseTo(0.084 / 0.118, 12);
    expect(result.weights[1]).toBeCloseTo(0.034 / 0.118, 12);
    expect(result.expectedReturn).toBeCloseTo(0.05 * (0.084 / 0.118) + 0.1 * (0.034 / 0.118), 12);
  });

  it('max-Sharpe matches the tangency portfolio Σ⁻¹(μ − r_f) / 1ᵀΣ⁻¹(μ − r_f)', () => {
    const rf = 0.02;
    const raw = inverse(new Matrix(covariance))
      .mmul(Matrix.columnVector(mu.map((m) => m - rf)))
      .to1DArray();
    const total = raw.reduce((s, v) => s + v, 0);
    const tangency = raw.map((v) => v / total);
    expect(tangency.every((w) => w > 0)).toBe(true);
    const result = meanVariance({ expectedReturns: mu, covariance, objective: 'max-sharpe', riskFreeRate: rf });
    result.weights.forEach((w, i) => expect(w).toBeCloseTo(tangency[i], 8));
    const sharpe = (w: number[]) =>
      w.reduce((s, wi, i) => s + wi * (mu[i] - rf), 0) / Math.sqrt(variance(w, covariance));
    expect(result.sharpe).toBeCloseTo(sharpe(tangency), 10);
  });

  it('target-return matches the two-constraint Lagrange solution and binds the target', () => {
    const target = 0.1;
    const inv = inverse(new Matrix(covariance));
    const one = Matrix.columnVector(new Array(5).fill(1));
    const m = Matrix.columnVector(mu);
    const A = one.transpose().mmul(inv).mmul(one).get(0, 0);
    const B = one.transpose().mmul(inv).mmul(m).get(0, 0);
    const C = m.transpose().mmul(inv).mmul(m).get(0, 0);
    const det = A * C - B * B;
    const lambda = (C - B * target) / det;
    const gamma = (A * target - B) / det;
    const closedForm = inv.mmul(one.clone().mul(lambda).add(m.clone().mul(gamma))).to1DArray();
    expect(closedForm.every((w) => w > 0)).toBe(true);
    const result = meanVariance({ expectedReturns: mu, covariance, objective: 'target-return', targetReturn: target });
    expect(result.expectedReturn).toBeCloseTo(target, 10);
    result.weights.forEach((w, i) => expect(w).toBeCloseTo(closedForm[i], 8));
    // A target below the min-variance return does not bind: the min-variance portfolio comes back.
    const low = meanVariance({ expectedReturns: mu, covariance, objective: 'target-return', targetReturn: 0 });
    const minVar = meanVariance({ expectedReturns: mu, covariance, objective: 'min-variance' });
    low.weights.forEach((w, i) => expect(w).toBeCloseTo(minVar.weights[i], 9));
  });

  it('respects long-only and per-asset bounds, sums to 1, and no feasible move lowers the objective', () => {
    const universe = syntheticPortfolio({ assets: 12, seed: 8 });
    const rng = createRng(4);
    for (const objective of ['min-variance', 'utility'] as const) {
      const result = meanVariance({ ...universe, objective, upperBounds: 0.2, riskAversion: 3 });
      const w = result.weights;
      expect(w.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
      for (const wi of w) {
        expect(wi).toBeGreaterThanOrEqual(0);
        expect(wi).toBeLessThanOrEqual(0.2);
      }
      const score = (x: number[]) =>
        objective === 'min-variance'
          ? variance(x, universe.covariance)
          : 3 * variance(x, universe.covariance) - x.reduce((s, xi, i) => s + xi * universe.expectedReturns[i], 0);
      // Move weight between random pairs of assets, staying within the bounds: never better than the optimum.
      for (let t = 0; t < 300; t++) {
        const i = rng.nextInt(12);
        const j = rng.nextInt(12);
        const step = Math.min(0.2 - w[i], w[j]) * rng.next();
        if (i === j || step <= 0) continue;
        const moved = [...w];
        moved[i] += step;
        moved[j] -= step;
        expect(score(moved)).toBeGreaterThanOrEqual(score(w) - 1e-12);
      }
    }
    const shorting = meanVariance({ ...universe, objective: 'max-sharpe', lowerBounds: -0.1, upperBounds: 0.3 });
    expect(Math.min(...shorting.weights)).toBeGreaterThanOrEqual(-0.1 - 1e-12);
    expect(Math.max(...shorting.weights)).toBeLessThanOrEqual(0.3 + 1e-12);
    expect(shorting.weights.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 10);
  });

  it('max-Sharpe beats every other portfolio on a sample of random long-only ones', () => {
    const universe = syntheticPortfolio({ assets: 8, seed: 2 });
    const result = meanVariance({ ...universe, objective: 'max-sharpe', riskFreeRate: 0.01 });
    const rng = createRng(6);
    for (let t = 0; t < 500; t++) {
      const raw = Array.from({ length: 8 }, () => -Math.log(1 - rng.next()));
      const total = raw.reduce((s, v) => s + v, 0);
      const w = raw.map((v) => v / total);
      const ret = w.reduce((s, wi, i) => s + wi * universe.expectedReturns[i], 0);
      expect((ret - 0.01) / Math.sqrt(variance(w, universe.covariance))).toBeLessThanOrEqual(
        (result.sharpe as number) + 1e-9,
      );
    }
  });

  it('handles a singular covariance with a ridge', () => {
    const v = [0.2, 0.1, 0.3];
    const singular = v.map((a, i) => v.map((b, j) => a * b + (i === j && i < 2 ? 0.01 : 0)));
    const rankOne = v.map((a) => v.map((b) => a * b));
    const result = meanVariance({ expectedReturns: [0.1, 0.05, 0.12], covariance: rankOne, objective: 'min-variance' });
    expect(result.ridge).toBeGreaterThan(0);
    expect(result.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 9);
    // All in the lowest-loading asset minimises a one-factor variance when shorting is not allowed.
    expect(result.weights[1]).toBeCloseTo(1, 6);
    expect(
      meanVariance({ expectedReturns: [0.1, 0.05, 0.12], covariance: singular, objective: 'min-variance' }).ridge,
    ).toBe(0);
  });

  it('explains infeasible requests by field', () => {
    expect(() =>
      meanVariance({ expectedReturns: mu, covariance, objective: 'target-return', targetReturn: 0.2 }),
    ).toThrow(/targetReturn: exceeds the highest return achievable within the bounds \(0.12\)/);
    expect(() => meanVariance({ expectedReturns: mu, covariance, objective: 'target-return' })).toThrow(
      /targetReturn: is required/,
    );
    expect(() =>
      meanVariance({ expectedReturns: mu, covariance, objective: 'max-sharpe', riskFreeRate: 0.15 }),
    ).toThrow(/riskFreeRate: max-Sharpe needs an admissible portfolio returning more than the risk-free rate/);
    expect(() =>
      meanVariance({ expectedReturns: mu, covariance, objective: 'min-variance', upperBounds: 0.1 }),
    ).toThrow(/upperBounds: sum to 0.5/);
    expect(() => meanVariance({ expectedReturns: mu, covariance, objective: 'utility', riskAversion: 0 })).toThrow(
      /riskAversion/,
    );
    expect(() =>
      meanVariance({ expectedReturns: mu, covariance, objective: 'min-variance', lowerBounds: [0, 0] }),
    ).toThrow(/lowerBounds: must be a number or 5 numbers/);
  });
});
