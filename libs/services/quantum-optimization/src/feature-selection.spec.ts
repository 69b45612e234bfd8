import { selectFeaturesGenetic } from './select-features-genetic';
import { selectFeaturesRandom } from './select-features-random';

/**
 * A synthetic feature-selection fitness with a known optimum: 6 informative features out of 30 add value, every other
 * feature costs a little (noise, overfitting), and two informative ones are redundant with each other.
 */
const informative = [2, 5, 11, 17, 23, 28];
function fitness(features: readonly number[]): number {
  const set = new Set(features);
  let score = 0;
  for (const f of informative) if (set.has(f)) score += 1;
  if (set.has(5) && set.has(11)) score -= 1.5;
  score -= 0.15 * features.filter((f) => !informative.includes(f)).length;
  return score;
}
// Best: all informative features but one of the redundant pair 5/11 → 5; with both it is 6 − 1.5 = 4.5.
const optimum = 5;

function counted(fn: (features: readonly number[]) => number) {
  let calls = 0;
  const seen = new Set<string>();
  return {
    fn: async (features: readonly number[], mask: readonly boolean[]) => {
      calls += 1;
      seen.add(features.join(','));
      expect(mask.filter(Boolean).length).toBe(features.length);
      return fn(features);
    },
    calls: () => calls,
    distinct: () => seen.size,
  };
}

describe('feature selection on an equal budget', () => {
  it('calls the fitness exactly `budget` times, never twice for the same subset', async () => {
    for (const budget of [1, 10, 250]) {
      const g = counted(fitness);
      const genetic = await selectFeaturesGenetic(30, g.fn, budget, { seed: 3 });
      expect(g.calls()).toBe(budget);
      expect(g.distinct()).toBe(budget);
      expect(genetic.evaluations).toBe(budget);
      const r = counted(fitness);
      const random = await selectFeaturesRandom(30, r.fn, budget, { seed: 3 });
      expect(r.calls()).toBe(budget);
      expect(r.distinct()).toBe(budget);
      expect(random.evaluations).toBe(budget);
    }
  });

  it('the genetic search reaches the known optimum and beats random subsets at 800 evaluations', async () => {
    let geneticWins = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const genetic = await selectFeaturesGenetic(30, fitness, 800, { seed });
      const random = await selectFeaturesRandom(30, fitness, 800, { seed });
      expect(genetic.best.value).toBe(optimum);
      expect(fitness(genetic.best.candidate)).toBe(genetic.best.value);
      expect(genetic.mask.filter(Boolean).length).toBe(genetic.best.candidate.length);
      expect(genetic.generations).toBeGreaterThan(2);
      if (genetic.best.value > random.best.value) geneticWins += 1;
    }
    expect(geneticWins).toBe(5);
  });

  it('stops when every subset has been seen, short of a larger budget', async () => {
    const g = counted(fitness);
    const result = await selectFeaturesGenetic(3, g.fn, 50, { seed: 1, populationSize: 4 });
    expect(result.evaluations).toBe(7);
    expect(g.calls()).toBe(7);
    const r = await selectFeaturesRandom(3, fitness, 50, { seed: 1 });
    expect(r.evaluations).toBe(7);
  });

  it('validates its options', async () => {
    await expect(selectFeaturesGenetic(0, fitness, 10)).rejects.toThrow(/nFeatures: must be a positive integer/);
    await expect(selectFeaturesGenetic(5, fitness, 10, { mutationRate: 2 })).rejects.toThrow(
      /mutationRate: must be a probability/,
    );
    await expect(selectFeaturesRandom(5, fitness, 0)).rejects.toThrow(/budget: must be a positive integer/);
  });
});
