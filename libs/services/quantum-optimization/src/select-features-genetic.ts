import { ValidationError, type FieldProblem } from '@rrr/core';
import { FeatureSubsetEvaluator, type FeatureFitness, type FeatureSelectionResult } from './feature-subset-search';
import { createRng, type Rng } from './seeded-rng';

export interface GeneticFeatureSelectionOptions {
  seed?: number;
  /** Default min(20, budget), at least 2. */
  populationSize?: number;
  /** Probability that two parents are recombined (uniform crossover) rather than copied. Default 0.9. */
  crossoverRate?: number;
  /** Per-feature flip probability of a child. Default 1/nFeatures. */
  mutationRate?: number;
  /** Best individuals carried unchanged into the next generation. Default 2 (at most populationSize − 1). */
  elites?: number;
  /** Contestants per tournament selection. Default 3. */
  tournamentSize?: number;
  /** Inclusion probability of a feature in the first generation. Default 0.5. */
  initialDensity?: number;
}

export interface GeneticFeatureSelectionResult extends FeatureSelectionResult {
  generations: number;
}

interface Individual {
  mask: Uint8Array;
  fitness: number;
}

/**
 * Genetic feature selection: a population of feature masks evolved by tournament selection, uniform crossover,
 * bit-flip mutation and elitism, with fitness maximised and the budget counted in distinct fitness evaluations (a
 * child equal to an already-seen subset is mutated again, up to 20 times, before it is taken from the cache). The
 * last generation is cut short so that exactly `budget` evaluations are made.
 */
export async function selectFeaturesGenetic(
  nFeatures: number,
  fitness: FeatureFitness,
  budget: number,
  options: GeneticFeatureSelectionOptions = {},
): Promise<GeneticFeatureSelectionResult> {
  const evaluator = new FeatureSubsetEvaluator(nFeatures, fitness, budget);
  const populationSize = options.populationSize ?? Math.max(2, Math.min(20, budget));
  const crossoverRate = options.crossoverRate ?? 0.9;
  const mutationRate = options.mutationRate ?? 1 / nFeatures;
  const elites = options.elites ?? Math.min(2, populationSize - 1);
  const tournamentSize = options.tournamentSize ?? 3;
  const density = options.initialDensity ?? 0.5;
  const problems: FieldProblem[] = [];
  if (!Number.isInteger(populationSize) || populationSize < 2) {
    problems.push({ field: 'populationSize', message: 'must be an integer ≥ 2', value: populationSize });
  }
  for (const [field, value] of [
    ['crossoverRate', crossoverRate],
    ['mutationRate', mutationRate],
    ['initialDensity', density],
  ] as const) {
    if (!(value >= 0 && value <= 1)) problems.push({ field, message: 'must be a probability in [0, 1]', value });
  }
  if (!Number.isInteger(elites) || elites < 0 || elites >= populationSize) {
    problems.push({ field: 'elites', message: 'must be an integer in 0..populationSize−1', value: elites });
  }
  if (!Number.isInteger(tournamentSize) || tournamentSize < 1) {
    problems.push({ field: 'tournamentSize', message: 'must be a positive integer', value: tournamentSize });
  }
  if (problems.length > 0) throw new ValidationError('genetic feature selection', problems);
  const rng = createRng(options.seed ?? 1);

  const fresh = (mask: Uint8Array): Uint8Array => {
    for (let tries = 0; tries < 20 && evaluator.seen(mask); tries++) mask[rng.nextInt(nFeatures)] ^= 1;
    if (!mask.includes(1)) mask[rng.nextInt(nFeatures)] = 1;
    return mask;
  };

  let population: Individual[] = [];
  while (population.length < populationSize && evaluator.remaining > 0) {
    const mask = new Uint8Array(nFeatures);
    for (let i = 0; i < nFeatures; i++) mask[i] = rng.next() < density ? 1 : 0;
    fresh(mask);
    population.push({ mask, fitness: evaluator.rank(await evaluator.fitness(mask)) });
  }

  // Children that only repeat seen subsets spend no budget; give up after many in a row (the population converged
  // and mutation cannot escape the seen set), rather than loop forever.
  const staleLimit = 50 * populationSize;
  let stale = 0;
  let generations = 1;
  while (evaluator.remaining > 0 && stale < staleLimit) {
    population.sort((a, b) => b.fitness - a.fitness);
    const next: Individual[] = population.slice(0, elites);
    while (next.length < populationSize && evaluator.remaining > 0 && stale < staleLimit) {
      const a = tournament(population, tournamentSize, rng);
      const b = tournament(population, tournamentSize, rng);
      const child = new Uint8Array(nFeatures);
      const recombine = rng.next() < crossoverRate;
      for (let i = 0; i < nFeatures; i++) {
        child[i] = recombine ? (rng.next() < 0.5 ? a.mask[i] : b.mask[i]) : a.mask[i];
        if (rng.next() < mutationRate) child[i] ^= 1;
      }
      fresh(child);
      stale = evaluator.seen(child) ? stale + 1 : 0;
      next.push({ mask: child, fitness: evaluator.rank(await evaluator.fitness(child)) });
    }
    population = next;
    generations += 1;
  }
  return { ...evaluator.result(), generations };
}

function tournament(population: Individual[], size: number, rng: Rng): Individual {
  let best = population[rng.nextInt(population.length)];
  for (let i = 1; i < size; i++) {
    const challenger = population[rng.nextInt(population.length)];
    if (challenger.fitness > best.fitness) best = challenger;
  }
  return best;
}
