import fc from 'fast-check';
import { indexToBits } from './bitstring';
import { Qubo } from './qubo';
import { solveExact } from './solve-exact';
import { createRng } from './seeded-rng';

describe('solveExact', () => {
  it('finds the same minimum and maximum as brute force over every state', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 1_000_000 }), (n, seed) => {
        const rng = createRng(seed);
        const qubo = Qubo.fromMatrix(
          Array.from({ length: n }, () => Array.from({ length: n }, () => Math.round(rng.normal() * 40) / 10)),
          -1.5,
        );
        const energies = Array.from({ length: 2 ** n }, (_, index) => qubo.energy(indexToBits(index, n)));
        const min = Math.min(...energies);
        const solution = solveExact(qubo);
        expect(solution.energy).toBeCloseTo(min, 9);
        expect(solution.worstEnergy).toBeCloseTo(Math.max(...energies), 9);
        const optima = energies.flatMap((e, index) => (Math.abs(e - min) < 1e-9 ? [index] : []));
        expect(solution.optima).toEqual(optima);
        expect(solution.optimumCount).toBe(optima.length);
        expect(qubo.energy(solution.bits)).toBeCloseTo(min, 9);
      }),
      { numRuns: 60 },
    );
  });

  it('lists every optimum of a degenerate problem up to the cap', () => {
    const qubo = Qubo.fromMatrix([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 1],
    ]);
    const solution = solveExact(qubo, { maxOptimaListed: 3 });
    expect(solution.energy).toBe(0);
    expect(solution.optimumCount).toBe(4);
    expect(solution.optima).toEqual([0, 1, 2]);
    expect(solution.bitstring).toBe('000');
  });

  it('solves 20 variables (2^20 states) and agrees with a direct evaluation of its optimum', () => {
    const rng = createRng(20);
    const n = 20;
    const qubo = Qubo.fromMatrix(Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal())));
    const solution = solveExact(qubo);
    expect(solution.evaluated).toBe(2 ** 20);
    expect(qubo.energy(solution.bits)).toBeCloseTo(solution.energy, 9);
    for (let i = 0; i < n; i++) expect(qubo.flipDelta(solution.bits, i)).toBeGreaterThanOrEqual(-1e-9);
  });

  it('refuses 21 variables with a clear error', () => {
    expect(() => solveExact(Qubo.fromTerms(new Array(21).fill(-1)))).toThrow(
      /qubo.size: 21 variables .* limited to 20/,
    );
  });
});
