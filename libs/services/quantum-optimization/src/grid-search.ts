import { EvaluationBudget, type Goal, type SearchResult } from './evaluation-budget';
import {
  decodeParameters,
  distinctValues,
  gridCoordinates,
  validateSearchSpace,
  type ParameterSet,
  type SearchSpace,
} from './search-space';

export interface GridSearchOptions {
  goal?: Goal;
}

export interface GridSearchResult extends SearchResult<ParameterSet> {
  /** Levels per parameter, in the space's key order; their product is the number of evaluations. */
  gridShape: Record<string, number>;
}

/**
 * A full grid of at most `budget` points. Levels are handed out one at a time to the dimension with the fewest so
 * far (that can still take more values), as long as the grid still fits the budget; so the grid is as even as the
 * budget allows and uses exactly the product of its levels, which may be below the budget when no dimension can grow
 * without overshooting it (e.g. 2 floats with budget 50 → 7×7 = 49).
 */
export async function gridSearch(
  space: SearchSpace,
  objective: (parameters: ParameterSet) => number | Promise<number>,
  budget: number,
  options: GridSearchOptions = {},
): Promise<GridSearchResult> {
  const names = validateSearchSpace(space);
  const tracker = new EvaluationBudget(objective, budget, options.goal);
  const levels = names.map(() => 1);
  const capacity = names.map((name) => distinctValues(space[name]));
  for (;;) {
    const size = levels.reduce((p, l) => p * l, 1);
    const growable = names
      .map((_, d) => d)
      .filter((d) => levels[d] < capacity[d] && (size / levels[d]) * (levels[d] + 1) <= budget)
      .sort((a, b) => levels[a] - levels[b] || a - b);
    if (growable.length === 0) break;
    levels[growable[0]] += 1;
  }
  const axes = names.map((name, d) => gridCoordinates(space[name], levels[d]));
  const size = levels.reduce((p, l) => p * l, 1);
  for (let flat = 0; flat < size; flat++) {
    let rest = flat;
    const coordinates = axes.map((axis) => {
      const j = rest % axis.length;
      rest = Math.floor(rest / axis.length);
      return axis[j];
    });
    await tracker.evaluate(decodeParameters(space, names, coordinates));
  }
  return { ...tracker.result(), gridShape: Object.fromEntries(names.map((name, d) => [name, levels[d]])) };
}
