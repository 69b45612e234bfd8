import { createRng } from './seeded-rng';
import { Qubo } from './qubo';
import { energyTable, walkGrayCode } from './energy-table';

function randomQubo(n: number, seed: number): Qubo {
  const rng = createRng(seed);
  return Qubo.fromMatrix(
    Array.from({ length: n }, () => Array.from({ length: n }, () => rng.normal())),
    rng.normal(),
  );
}

describe('energyTable', () => {
  it('matches brute-force energies of every state', () => {
    for (const n of [1, 2, 5, 10]) {
      const qubo = randomQubo(n, n);
      const table = energyTable(qubo);
      expect(table.length).toBe(2 ** n);
      for (let index = 0; index < table.length; index++) {
        expect(table[index]).toBeCloseTo(qubo.energyOfIndex(index), 9);
      }
    }
  });

  it('visits each state exactly once', () => {
    const seen = new Uint8Array(2 ** 12);
    walkGrayCode(randomQubo(12, 3), (index) => {
      seen[index] += 1;
    });
    expect(seen.every((count) => count === 1)).toBe(true);
  });

  it('stays accurate over 2^18 incremental updates', () => {
    const qubo = randomQubo(18, 42);
    const table = energyTable(qubo);
    const rng = createRng(9);
    for (let t = 0; t < 200; t++) {
      const index = rng.nextInt(table.length);
      expect(Math.abs(table[index] - qubo.energyOfIndex(index))).toBeLessThan(1e-9);
    }
  });

  it('refuses more than 20 variables, naming the alternative', () => {
    expect(() => energyTable(Qubo.fromTerms(new Array(21).fill(1)))).toThrow(
      /qubo.size: 21 variables means 2\^21 states; full enumeration is limited to 20 — use simulated annealing/,
    );
  });
});
