import { gridSearch } from './grid-search';
import { randomSearch } from './random-search';
import type { ParameterSet, SearchSpace } from './search-space';
import { tuneByAnnealing } from './tune-by-annealing';

/**
 * A synthetic "validation loss" with a known optimum: learning rate 3e-3 (log scale), 96 hidden units, dropout 0.2,
 * activation 'gelu'; minimum 0.1.
 */
const space: SearchSpace = {
  learningRate: { type: 'float', min: 1e-5, max: 1e-1, scale: 'log' },
  units: { type: 'int', min: 8, max: 256 },
  dropout: { type: 'float', min: 0, max: 0.6 },
  activation: { type: 'choice', values: ['relu', 'tanh', 'gelu'] },
};
function loss(p: ParameterSet): number {
  const lr = Math.log10(p.learningRate as number) - Math.log10(3e-3);
  const units = ((p.units as number) - 96) / 64;
  const dropout = ((p.dropout as number) - 0.2) / 0.15;
  return 0.1 + lr * lr + units * units + dropout * dropout + (p.activation === 'gelu' ? 0 : 0.5);
}

function counted(objective: (p: ParameterSet) => number): {
  fn: (p: ParameterSet) => Promise<number>;
  calls: () => number;
} {
  let calls = 0;
  return {
    fn: async (p) => {
      calls += 1;
      return objective(p);
    },
    calls: () => calls,
  };
}

describe('hyperparameter search on an equal budget', () => {
  it('annealing and random search call the objective exactly `budget` times; grid search never more', async () => {
    for (const budget of [1, 2, 17, 60]) {
      const a = counted(loss);
      const annealed = await tuneByAnnealing(space, a.fn, budget, { seed: 1 });
      expect(a.calls()).toBe(budget);
      expect(annealed.evaluations).toBe(budget);
      const r = counted(loss);
      expect((await randomSearch(space, r.fn, budget, { seed: 1 })).evaluations).toBe(budget);
      expect(r.calls()).toBe(budget);
      const g = counted(loss);
      const grid = await gridSearch(space, g.fn, budget);
      expect(g.calls()).toBe(grid.evaluations);
      expect(grid.evaluations).toBeLessThanOrEqual(budget);
      expect(Object.values(grid.gridShape).reduce((p, l) => p * l, 1)).toBe(grid.evaluations);
    }
  });

  it('grid search spends the whole budget when it factors, evenly across dimensions', async () => {
    const g = counted(loss);
    const grid = await gridSearch(
      { x: { type: 'float', min: 0, max: 1 }, y: { type: 'float', min: 0, max: 1 } },
      g.fn,
      49,
    );
    expect(grid.gridShape).toEqual({ x: 7, y: 7 });
    expect(g.calls()).toBe(49);
    const small = await gridSearch(
      { a: { type: 'choice', values: [1, 2] }, b: { type: 'int', min: 0, max: 2 } },
      loss,
      100,
    );
    expect(small.gridShape).toEqual({ a: 2, b: 3 });
    expect(small.history.map((h) => h.candidate)).toEqual([
      { a: 1, b: 0 },
      { a: 2, b: 0 },
      { a: 1, b: 1 },
      { a: 2, b: 1 },
      { a: 1, b: 2 },
      { a: 2, b: 2 },
    ]);
  });

  it('annealing gets closer to the known optimum than random and grid search with 80 evaluations each', async () => {
    const budget = 80;
    const seeds = [1, 2, 3, 4, 5, 6, 7];
    const annealed: number[] = [];
    const random: number[] = [];
    for (const seed of seeds) {
      annealed.push((await tuneByAnnealing(space, loss, budget, { seed })).best.value);
      random.push((await randomSearch(space, loss, budget, { seed })).best.value);
    }
    const grid = (await gridSearch(space, loss, budget)).best.value;
    const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
    expect(median(annealed)).toBeLessThan(median(random));
    expect(median(annealed)).toBeLessThan(grid);
    expect(median(annealed)).toBeLessThan(0.3);
    // Every result is a real evaluation of the objective.
    const one = await tuneByAnnealing(space, loss, budget, { seed: 1 });
    expect(loss(one.best.candidate)).toBe(one.best.value);
    expect(one.bestSoFar[budget - 1]).toBe(one.best.value);
  });

  it('maximises when told to and is deterministic for a seed', async () => {
    const gain = (p: ParameterSet) => -loss(p);
    const a = await tuneByAnnealing(space, gain, 40, { seed: 9, goal: 'maximize' });
    const b = await tuneByAnnealing(space, gain, 40, { seed: 9, goal: 'maximize' });
    expect(a.history.map((h) => h.value)).toEqual(b.history.map((h) => h.value));
    expect(a.best.value).toBe(Math.max(...a.history.map((h) => h.value)));
  });

  it('survives an objective that diverges (NaN) in part of the space', async () => {
    const fragile = (p: ParameterSet) => ((p.learningRate as number) > 0.03 ? Number.NaN : loss(p));
    const result = await tuneByAnnealing(space, fragile, 60, { seed: 2 });
    expect(Number.isFinite(result.best.value)).toBe(true);
    expect(result.evaluations).toBe(60);
  });
});
