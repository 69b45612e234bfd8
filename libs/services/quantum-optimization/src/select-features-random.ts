import { FeatureSubsetEvaluator, type FeatureFitness, type FeatureSelectionResult } from './feature-subset-search';
import { createRng } from './seeded-rng';

export interface RandomFeatureSearchOptions {
  seed?: number;
  /** Probability that a feature is included in a random subset. Default 0.5 (uniform over subsets). */
  density?: number;
}

/** Baseline for feature selection: `budget` distinct random non-empty subsets, the best kept. */
export async function selectFeaturesRandom(
  nFeatures: number,
  fitness: FeatureFitness,
  budget: number,
  options: RandomFeatureSearchOptions = {},
): Promise<FeatureSelectionResult> {
  const evaluator = new FeatureSubsetEvaluator(nFeatures, fitness, budget);
  const rng = createRng(options.seed ?? 1);
  const density = options.density ?? 0.5;
  while (evaluator.remaining > 0) {
    const mask = new Uint8Array(nFeatures);
    for (let i = 0; i < nFeatures; i++) mask[i] = rng.next() < density ? 1 : 0;
    if (!mask.includes(1)) mask[rng.nextInt(nFeatures)] = 1;
    await evaluator.fitness(mask);
  }
  return evaluator.result();
}
