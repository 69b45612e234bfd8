import fc from 'fast-check';
import { indexToBits, popcount } from './bitstring';
import { evaluateSelection, portfolioSelectionQubo } from './portfolio-selection-qubo';
import { solveExact } from './solve-exact';
import { energyTable } from './energy-table';
import { syntheticPortfolio } from './synthetic-portfolio';

function randomPortfolio(n: number, seed: number): { expectedReturns: number[]; covariance: number[][] } {
  return syntheticPortfolio({ assets: n, seed });
}

describe('portfolioSelectionQubo', () => {
  it('scores every bitstring as −(μᵀx/k − λxᵀΣx/k²) + A(Σx − k)², checked literally', () => {
    const { expectedReturns, covariance } = randomPortfolio(6, 1);
    const problem = portfolioSelectionQubo({ expectedReturns, covariance, k: 3, riskAversion: 2.5 });
    for (let index = 0; index < 64; index++) {
      const x = indexToBits(index, 6);
      let ret = 0;
      let variance = 0;
      for (let i = 0; i < 6; i++) {
        ret += expectedReturns[i] * x[i];
        for (let j = 0; j < 6; j++) variance += x[i] * covariance[i][j] * x[j];
      }
      const count = x.reduce((s, b) => s + b, 0);
      const literal = -(ret / 3 - (2.5 * variance) / 9) + problem.penalty * (count - 3) ** 2;
      expect(problem.qubo.energy(x)).toBeCloseTo(literal, 10);
      const evaluation = evaluateSelection(problem, x);
      expect(evaluation.energy).toBeCloseTo(literal, 10);
      expect(evaluation.feasible).toBe(count === 3);
    }
  });

  it('with the derived penalty, the QUBO optimum is the best k-subset found by brute force (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 9 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.double({ min: 0, max: 8, noNaN: true }),
        (n, seed, riskAversion) => {
          const { expectedReturns, covariance } = randomPortfolio(n, seed);
          const k = 1 + (seed % n);
          const problem = portfolioSelectionQubo({ expectedReturns, covariance, k, riskAversion });
          expect(problem.penaltyGuaranteesCardinality).toBe(true);
          const exact = solveExact(problem.qubo);
          let bestFeasible = -Infinity;
          for (let index = 0; index < 2 ** n; index++) {
            if (popcount(index) !== k) continue;
            bestFeasible = Math.max(bestFeasible, evaluateSelection(problem, indexToBits(index, n)).objective);
          }
          const chosen = evaluateSelection(problem, exact.bits);
          expect(chosen.count).toBe(k);
          expect(chosen.objective).toBeCloseTo(bestFeasible, 10);
          // No infeasible state reaches the optimum's energy.
          const table = energyTable(problem.qubo);
          for (let index = 0; index < table.length; index++) {
            if (popcount(index) !== k) expect(table[index]).toBeGreaterThan(exact.energy);
          }
        },
      ),
      { numRuns: 40 },
    );
  });

  it('reports when a caller-chosen penalty is below the guaranteeing bound, and a too-small one can break cardinality', () => {
    const problem = portfolioSelectionQubo({
      expectedReturns: [0.3, 0.25, 0.2, -0.1],
      covariance: [
        [0.01, 0, 0, 0],
        [0, 0.01, 0, 0],
        [0, 0, 0.01, 0],
        [0, 0, 0, 0.01],
      ],
      k: 1,
      penalty: 0.001,
    });
    expect(problem.penaltyGuaranteesCardinality).toBe(false);
    expect(problem.minimumPenalty).toBeGreaterThan(0.001);
    // Three high-return assets beat the single best one once the penalty is too weak.
    expect(evaluateSelection(problem, solveExact(problem.qubo).bits).count).toBeGreaterThan(1);
  });

  it('decodes a selection into equal weights, return, volatility and objective', () => {
    const problem = portfolioSelectionQubo({
      expectedReturns: [0.1, 0.2, 0.3],
      covariance: [
        [0.04, 0.01, 0],
        [0.01, 0.09, 0],
        [0, 0, 0.16],
      ],
      k: 2,
      riskAversion: 2,
    });
    const evaluation = evaluateSelection(problem, [1, 1, 0]);
    expect(evaluation.selected).toEqual([0, 1]);
    expect(evaluation.weights).toEqual([0.5, 0.5, 0]);
    expect(evaluation.expectedReturn).toBeCloseTo(0.15, 12);
    expect(evaluation.variance).toBeCloseTo((0.04 + 0.09 + 2 * 0.01) / 4, 12);
    expect(evaluation.volatility).toBeCloseTo(Math.sqrt(0.0375), 12);
    expect(evaluation.objective).toBeCloseTo(0.15 - 2 * 0.0375, 12);
  });

  it('validates inputs and penalty', () => {
    const { expectedReturns, covariance } = randomPortfolio(3, 2);
    expect(() => portfolioSelectionQubo({ expectedReturns, covariance, k: 4 })).toThrow(
      /k: must be an integer with 1 ≤ k ≤ 3/,
    );
    expect(() => portfolioSelectionQubo({ expectedReturns, covariance, k: 1, penalty: -1 })).toThrow(
      /penalty: must be a positive/,
    );
    expect(() => portfolioSelectionQubo({ expectedReturns, covariance, k: 1, riskAversion: Number.NaN })).toThrow(
      /riskAversion/,
    );
  });
});
