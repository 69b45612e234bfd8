import type { ServiceBlueprint } from '../service-blueprint';

export const quantumOptimizationBlueprint: ServiceBlueprint = {
  folder: 'quantum_optimization',
  title: 'Quantum optimization',
  port: 8006,
  dependsOn: [],
  aliasImport: {
    specifier: '@services/quantum_optimization/qubo/qubo_matrix',
    name: 'quboEnergy',
    call: 'quboEnergy([[1]], [1])',
  },
  commits: [
    {
      message: 'quantum: QUBO model of portfolio selection',
      files: {
        'src/qubo/qubo_matrix.ts': `/** Upper-triangular QUBO: energy(x) = sum over i <= j of Q[i][j] * x_i * x_j, x binary. */
export type Qubo = number[][];

export function quboEnergy(q: Qubo, x: readonly number[]): number {
  let energy = 0;
  for (let i = 0; i < q.length; i++) {
    for (let j = i; j < q.length; j++) energy += q[i][j] * x[i] * x[j];
  }
  return energy;
}

/**
 * Select exactly budget assets maximising return - riskAversion * variance:
 * the budget constraint enters as penalty * (sum x - budget)^2.
 */
export function portfolioQubo(expectedReturns: readonly number[], covariance: readonly (readonly number[])[], riskAversion: number, penalty: number, budget: number): Qubo {
  const n = expectedReturns.length;
  const q: Qubo = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    q[i][i] = -expectedReturns[i] + riskAversion * covariance[i][i] + penalty * (1 - 2 * budget);
    for (let j = i + 1; j < n; j++) q[i][j] = 2 * riskAversion * covariance[i][j] + 2 * penalty;
  }
  return q;
}
`,
        'src/index.ts': `export * from './qubo/qubo_matrix';
`,
      },
    },
    {
      message: 'quantum: seeded simulated annealing and exhaustive check',
      files: {
        'src/annealing/simulatedAnnealing.ts': `import { Qubo, quboEnergy } from '../qubo/qubo_matrix';

export interface Solution {
  x: number[];
  energy: number;
}

/** mulberry32: small, fast, reproducible. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function anneal(q: Qubo, options: { iterations?: number; seed?: number; startTemperature?: number; endTemperature?: number } = {}): Solution {
  const { iterations = 5_000, seed = 42, startTemperature = 2, endTemperature = 0.01 } = options;
  const random = seededRandom(seed);
  let x: number[] = q.map(() => (random() < 0.5 ? 0 : 1));
  let energy = quboEnergy(q, x);
  let best: Solution = { x: [...x], energy };
  for (let step = 0; step < iterations; step++) {
    const temperature = startTemperature * (endTemperature / startTemperature) ** (step / iterations);
    const flip = Math.floor(random() * q.length);
    const candidate = x.map((bit, i) => (i === flip ? 1 - bit : bit));
    const candidateEnergy = quboEnergy(q, candidate);
    if (candidateEnergy <= energy || random() < Math.exp((energy - candidateEnergy) / temperature)) {
      x = candidate;
      energy = candidateEnergy;
      if (energy < best.energy) best = { x: [...x], energy };
    }
  }
  return best;
}

/** Exact minimum by enumeration; only for small problems (2^n states). */
export function bruteForce(q: Qubo): Solution {
  let best: Solution = { x: [], energy: Infinity };
  for (let mask = 0; mask < 1 << q.length; mask++) {
    const x = q.map((_, i) => (mask >> i) & 1);
    const energy = quboEnergy(q, x);
    if (energy < best.energy) best = { x, energy };
  }
  return best;
}
`,
        'src/index.ts': `export * from './qubo/qubo_matrix';
export * from './annealing/simulatedAnnealing';
`,
      },
    },
    {
      message: 'quantum: unit tests',
      files: {
        'tests/qubo_matrix.test.ts': `import { portfolioQubo, quboEnergy } from '../src/qubo/qubo_matrix';

describe('QUBO', () => {
  it('sums the upper triangle over selected variables', () => {
    const q = [
      [1, 2, 0],
      [0, -3, 4],
      [0, 0, 5],
    ];
    expect(quboEnergy(q, [1, 1, 0])).toBe(0);
    expect(quboEnergy(q, [0, 1, 1])).toBe(6);
    expect(quboEnergy(q, [0, 0, 0])).toBe(0);
  });

  it('penalises portfolios off budget', () => {
    const q = portfolioQubo([0.1, 0.1, 0.1], [[0, 0, 0], [0, 0, 0], [0, 0, 0]], 1, 10, 2);
    expect(quboEnergy(q, [1, 1, 0])).toBeLessThan(quboEnergy(q, [1, 1, 1]));
    expect(quboEnergy(q, [1, 1, 0])).toBeLessThan(quboEnergy(q, [1, 0, 0]));
  });
});
`,
        'tests/annealing.test.ts': `import { anneal, bruteForce, seededRandom } from '../src/annealing/simulatedAnnealing';
import { portfolioQubo } from '../src/qubo/qubo_matrix';

describe('simulated annealing', () => {
  const returns = [0.12, 0.08, 0.15, 0.05, 0.1, 0.07];
  const covariance = returns.map((_, i) => returns.map((__, j) => (i === j ? 0.04 : 0.01)));
  const q = portfolioQubo(returns, covariance, 0.5, 1, 3);

  it('finds the exhaustive optimum of a six-asset problem', () => {
    const exact = bruteForce(q);
    const found = anneal(q, { seed: 7 });
    expect(found.energy).toBeCloseTo(exact.energy, 10);
    expect(found.x.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('is reproducible for a seed', () => {
    expect(seededRandom(1)()).toBe(seededRandom(1)());
    expect(anneal(q, { seed: 3 })).toEqual(anneal(q, { seed: 3 }));
  });
});
`,
      },
    },
  ],
};
