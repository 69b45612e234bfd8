import { evaluateSelection, portfolioSelectionQubo } from './portfolio-selection-qubo';
import { Qubo } from './qubo';
import { createRng } from './seeded-rng';
import { annealQubo } from './simulated-annealing';
import { solveExact } from './solve-exact';
import { syntheticPortfolio } from './synthetic-portfolio';

function randomQubo(n: number, seed: number): Qubo {
  const rng = createRng(seed);
  return Qubo.fromMatrix(Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal())));
}

describe('annealQubo', () => {
  it('finds the exact optimum of random 12-variable QUBOs', () => {
    for (let seed = 1; seed <= 5; seed++) {
      const qubo = randomQubo(12, seed);
      const result = annealQubo(qubo, { sweeps: 300, restarts: 2, seed });
      expect(result.energy).toBeCloseTo(solveExact(qubo).energy, 9);
    }
  });

  it('finds the best k-asset selection of a 16-asset portfolio QUBO and returns a feasible one', () => {
    const universe = syntheticPortfolio({ assets: 16, seed: 3 });
    const problem = portfolioSelectionQubo({ ...universe, k: 5, riskAversion: 2 });
    const result = annealQubo(problem.qubo, { seed: 11 });
    expect(evaluateSelection(problem, result.bits).feasible).toBe(true);
    expect(result.energy).toBeCloseTo(solveExact(problem.qubo).energy, 9);
  });

  it('is deterministic for a seed and reports an energy that matches its bits exactly', () => {
    const qubo = randomQubo(200, 9);
    const a = annealQubo(qubo, { sweeps: 50, restarts: 1, seed: 5 });
    const b = annealQubo(qubo, { sweeps: 50, restarts: 1, seed: 5 });
    expect(a.bitstring).toBe(b.bitstring);
    expect(a.energy).toBe(b.energy);
    expect(a.energy).toBe(qubo.energy(a.bits));
    expect(a.flipsProposed).toBe(50 * 200);
    expect(a.flipsAccepted).toBeGreaterThan(0);
    // Better than the average random bitstring by a wide margin.
    const rng = createRng(1);
    let randomMean = 0;
    for (let t = 0; t < 20; t++) randomMean += qubo.energy(Array.from({ length: 200 }, () => rng.nextInt(2))) / 20;
    expect(a.energy).toBeLessThan(randomMean - 100);
  });

  it('follows the geometric schedule bounds it was given and validates them', () => {
    const qubo = randomQubo(5, 1);
    expect(annealQubo(qubo, { hotTemperature: 2, coldTemperature: 0.1, sweeps: 10 }).temperatures).toEqual({
      hot: 2,
      cold: 0.1,
    });
    expect(() => annealQubo(qubo, { hotTemperature: 1, coldTemperature: 2 })).toThrow(
      /coldTemperature: must be positive and ≤ hotTemperature/,
    );
    expect(() => annealQubo(qubo, { sweeps: 0 })).toThrow(/sweeps: must be a positive integer/);
  });
});
