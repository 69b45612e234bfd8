import { evaluateSelection, portfolioSelectionQubo } from './portfolio-selection-qubo';
import { parallelTempering } from './parallel-tempering';
import { Qubo } from './qubo';
import { createRng } from './seeded-rng';
import { solveExact } from './solve-exact';
import { syntheticPortfolio } from './synthetic-portfolio';

function randomQubo(n: number, seed: number): Qubo {
  const rng = createRng(seed);
  return Qubo.fromMatrix(Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal())));
}

describe('parallelTempering', () => {
  it('finds the exact optimum of random 12-variable QUBOs', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const qubo = randomQubo(12, seed);
      expect(parallelTempering(qubo, { sweeps: 200, seed }).energy).toBeCloseTo(solveExact(qubo).energy, 9);
    }
  });

  it('finds the best k-asset selection of a 16-asset portfolio QUBO', () => {
    const universe = syntheticPortfolio({ assets: 16, seed: 3 });
    const problem = portfolioSelectionQubo({ ...universe, k: 5, riskAversion: 2 });
    const result = parallelTempering(problem.qubo, { seed: 4 });
    expect(evaluateSelection(problem, result.bits).feasible).toBe(true);
    expect(result.energy).toBeCloseTo(solveExact(problem.qubo).energy, 9);
  });

  it('uses a geometric ladder, exchanges replicas, and is deterministic for a seed', () => {
    const qubo = randomQubo(60, 2);
    const a = parallelTempering(qubo, { sweeps: 100, replicas: 6, hotTemperature: 8, coldTemperature: 0.25, seed: 9 });
    const b = parallelTempering(qubo, { sweeps: 100, replicas: 6, hotTemperature: 8, coldTemperature: 0.25, seed: 9 });
    expect(a.bitstring).toBe(b.bitstring);
    expect(a.energy).toBe(qubo.energy(a.bits));
    expect(a.temperatures[0]).toBeCloseTo(0.25, 12);
    expect(a.temperatures[5]).toBeCloseTo(8, 12);
    for (let k = 1; k < 5; k++) expect(a.temperatures[k] / a.temperatures[k - 1]).toBeCloseTo(2 ** 1, 10);
    expect(a.swapAcceptance).toHaveLength(5);
    for (const rate of a.swapAcceptance) {
      expect(rate).toBeGreaterThan(0);
      expect(rate).toBeLessThanOrEqual(1);
    }
    expect(a.flipsProposed).toBe(100 * 6 * 60);
  });

  it('needs at least two replicas', () => {
    expect(() => parallelTempering(randomQubo(3, 1), { replicas: 1 })).toThrow(/replicas: must be an integer ≥ 2/);
  });
});
