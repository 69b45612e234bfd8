import { ValidationError } from '@rrr/core';
import { EvaluationBudget, type EvaluationRecord, type SearchResult } from './evaluation-budget';

/** A candidate feature subset: the indices used, ascending. */
export type FeatureSubset = number[];

/** Scores a subset; higher is better (e.g. validation accuracy of a predictor trained on those features). */
export type FeatureFitness = (features: readonly number[], mask: readonly boolean[]) => number | Promise<number>;

export interface FeatureSelectionResult extends SearchResult<FeatureSubset> {
  /** The best subset as a mask over the features. */
  mask: boolean[];
}

/**
 * Shared bookkeeping of the feature-subset searches: fitness is maximised, every distinct subset is evaluated at
 * most once (a repeated subset is answered from the cache without spending budget — re-training on the same
 * features only measures noise), and the search ends when the budget is spent or every non-empty subset has been
 * seen.
 */
export class FeatureSubsetEvaluator {
  readonly nFeatures: number;
  private readonly tracker: EvaluationBudget<FeatureSubset>;
  private readonly cache = new Map<string, number>();
  private readonly spaceSize: number;

  constructor(nFeatures: number, fitness: FeatureFitness, budget: number) {
    if (!Number.isInteger(nFeatures) || nFeatures < 1) {
      throw new ValidationError('feature selection', [
        { field: 'nFeatures', message: 'must be a positive integer', value: nFeatures },
      ]);
    }
    this.nFeatures = nFeatures;
    this.spaceSize = nFeatures >= 53 ? Infinity : 2 ** nFeatures - 1;
    this.tracker = new EvaluationBudget<FeatureSubset>(
      (features) => fitness(features, maskOf(features, nFeatures)),
      budget,
      'maximize',
    );
  }

  /** Budget left, or 0 when no unseen subset remains. */
  get remaining(): number {
    return this.cache.size >= this.spaceSize ? 0 : this.tracker.remaining;
  }

  seen(mask: Uint8Array): boolean {
    return this.cache.has(keyOf(mask));
  }

  /** Fitness of a non-empty mask: from the cache, or by spending one evaluation. */
  async fitness(mask: Uint8Array): Promise<number> {
    const key = keyOf(mask);
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const features: number[] = [];
    for (let i = 0; i < mask.length; i++) if (mask[i]) features.push(i);
    const value = await this.tracker.evaluate(features);
    this.cache.set(key, value);
    return value;
  }

  /** Fitness as a number to maximise, non-finite values worst. */
  rank(value: number): number {
    return -this.tracker.score(value);
  }

  result(): FeatureSelectionResult {
    const result = this.tracker.result();
    return { ...result, mask: maskOf((result.best as EvaluationRecord<FeatureSubset>).candidate, this.nFeatures) };
  }
}

function keyOf(mask: Uint8Array): string {
  return mask.join('');
}

function maskOf(features: readonly number[], n: number): boolean[] {
  const mask = new Array<boolean>(n).fill(false);
  for (const f of features) mask[f] = true;
  return mask;
}
