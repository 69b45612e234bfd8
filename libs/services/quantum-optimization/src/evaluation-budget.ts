import { RrrError, ValidationError } from '@rrr/core';

export type Goal = 'minimize' | 'maximize';

export interface EvaluationRecord<C> {
  candidate: C;
  value: number;
  /** 0-based position among the objective calls. */
  index: number;
}

export interface SearchResult<C> {
  best: EvaluationRecord<C>;
  /** Objective calls made: equal to the budget unless the search space ran out of new candidates. */
  evaluations: number;
  budget: number;
  goal: Goal;
  history: EvaluationRecord<C>[];
  /** Best value after each call: the convergence curve for comparing optimisers at equal budget. */
  bestSoFar: number[];
  wallTimeMs: number;
}

/**
 * Counts objective calls against a fixed budget and keeps the history, so every optimiser (annealing, random, grid,
 * genetic) is compared on the same number of evaluations. NaN or ±∞ results (a diverged training run) are recorded
 * but rank as the worst possible value.
 */
export class EvaluationBudget<C> {
  readonly limit: number;
  readonly goal: Goal;
  private readonly objective: (candidate: C) => number | Promise<number>;
  private readonly history: EvaluationRecord<C>[] = [];
  private readonly bestSoFar: number[] = [];
  private bestRecord: EvaluationRecord<C> | null = null;
  private readonly started = performance.now();

  constructor(objective: (candidate: C) => number | Promise<number>, budget: number, goal: Goal = 'minimize') {
    if (!Number.isInteger(budget) || budget < 1) {
      throw new ValidationError('search', [
        { field: 'budget', message: 'must be a positive integer (objective evaluations)', value: budget },
      ]);
    }
    if (goal !== 'minimize' && goal !== 'maximize') {
      throw new ValidationError('search', [
        { field: 'goal', message: "must be 'minimize' or 'maximize'", value: goal },
      ]);
    }
    this.objective = objective;
    this.limit = budget;
    this.goal = goal;
  }

  get used(): number {
    return this.history.length;
  }

  get remaining(): number {
    return this.limit - this.history.length;
  }

  get best(): EvaluationRecord<C> | null {
    return this.bestRecord;
  }

  async evaluate(candidate: C): Promise<number> {
    if (this.remaining <= 0) {
      throw new RrrError('INTERNAL', `evaluation budget of ${this.limit} exhausted: an optimiser asked for one more`);
    }
    const value = await this.objective(candidate);
    const record = { candidate, value, index: this.history.length };
    this.history.push(record);
    if (this.bestRecord === null || this.isBetter(value, this.bestRecord.value)) this.bestRecord = record;
    this.bestSoFar.push(this.bestRecord.value);
    return value;
  }

  /** True when `a` is strictly better than `b` for the goal (non-finite values are worst). */
  isBetter(a: number, b: number): boolean {
    return this.score(a) < this.score(b);
  }

  /** The value as a cost to minimise: negated for maximisation, +∞ for non-finite values. */
  score(value: number): number {
    if (!Number.isFinite(value)) return Infinity;
    return this.goal === 'minimize' ? value : -value;
  }

  result(): SearchResult<C> {
    if (this.bestRecord === null) throw new RrrError('INTERNAL', 'no evaluation was made');
    return {
      best: this.bestRecord,
      evaluations: this.history.length,
      budget: this.limit,
      goal: this.goal,
      history: [...this.history],
      bestSoFar: [...this.bestSoFar],
      wallTimeMs: performance.now() - this.started,
    };
  }
}
