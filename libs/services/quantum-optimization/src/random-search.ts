import { EvaluationBudget, type Goal, type SearchResult } from './evaluation-budget';
import { decodeParameters, validateSearchSpace, type ParameterSet, type SearchSpace } from './search-space';
import { createRng } from './seeded-rng';

export interface RandomSearchOptions {
  seed?: number;
  goal?: Goal;
}

/** `budget` independent uniform draws from the space (log-uniform on log scales): the baseline every tuner must beat. */
export async function randomSearch(
  space: SearchSpace,
  objective: (parameters: ParameterSet) => number | Promise<number>,
  budget: number,
  options: RandomSearchOptions = {},
): Promise<SearchResult<ParameterSet>> {
  const names = validateSearchSpace(space);
  const tracker = new EvaluationBudget(objective, budget, options.goal);
  const rng = createRng(options.seed ?? 1);
  while (tracker.remaining > 0) {
    await tracker.evaluate(
      decodeParameters(
        space,
        names,
        names.map(() => rng.next()),
      ),
    );
  }
  return tracker.result();
}
