import { EvaluationBudget, type Goal, type SearchResult } from './evaluation-budget';
import { decodeParameters, validateSearchSpace, type ParameterSet, type SearchSpace } from './search-space';
import { createRng } from './seeded-rng';

export interface TuneByAnnealingOptions {
  seed?: number;
  goal?: Goal;
  /** Standard deviation of a move in unit coordinates, at the start and at the end (geometric in between). */
  initialStep?: number;
  finalStep?: number;
  /**
   * Temperature at the start and end, relative to the median |change in objective| seen so far — objectives come in
   * any unit (loss, accuracy, Sharpe), so the schedule scales itself instead of needing one.
   */
  initialTemperature?: number;
  finalTemperature?: number;
}

/**
 * Hyperparameter tuning by simulated annealing over a search space with an exact evaluation budget: one objective
 * call per step, a Gaussian move of every numeric coordinate (reflected at the bounds) and a re-draw of each choice
 * with probability equal to the current step size, accepted by the Metropolis rule. Moves and temperature both shrink
 * geometrically, from exploring to refining. The objective may be async (a training run).
 */
export async function tuneByAnnealing(
  space: SearchSpace,
  objective: (parameters: ParameterSet) => number | Promise<number>,
  budget: number,
  options: TuneByAnnealingOptions = {},
): Promise<SearchResult<ParameterSet>> {
  const names = validateSearchSpace(space);
  const tracker = new EvaluationBudget(objective, budget, options.goal);
  const rng = createRng(options.seed ?? 1);
  const step0 = options.initialStep ?? 0.25;
  const step1 = options.finalStep ?? 0.02;
  const temp0 = options.initialTemperature ?? 1;
  const temp1 = options.finalTemperature ?? 0.01;
  const isChoice = names.map((name) => space[name].type === 'choice');

  let current = names.map(() => rng.next());
  let currentScore = tracker.score(await tracker.evaluate(decodeParameters(space, names, current)));
  const changes: number[] = [];
  const steps = budget - 1;
  for (let t = 0; tracker.remaining > 0; t++) {
    const progress = steps > 1 ? t / (steps - 1) : 1;
    const step = step0 * Math.pow(step1 / step0, progress);
    const temperature = temp0 * Math.pow(temp1 / temp0, progress);
    const candidate = current.map((u, d) => {
      if (isChoice[d]) return rng.next() < step ? rng.next() : u;
      return reflect(u + step * rng.normal());
    });
    const score = tracker.score(await tracker.evaluate(decodeParameters(space, names, candidate)));
    const delta = score - currentScore;
    if (Number.isFinite(delta) && delta !== 0) changes.push(Math.abs(delta));
    const scale = median(changes);
    const accept =
      delta <= 0 || (Number.isFinite(delta) && scale > 0 && rng.next() < Math.exp(-delta / (temperature * scale)));
    if (accept) {
      current = candidate;
      currentScore = score;
    }
  }
  return tracker.result();
}

function reflect(u: number): number {
  let v = u;
  for (let i = 0; i < 4 && (v < 0 || v > 1); i++) v = v < 0 ? -v : 2 - v;
  return Math.min(1, Math.max(0, v));
}

function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
