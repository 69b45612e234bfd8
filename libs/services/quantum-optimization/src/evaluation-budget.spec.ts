import { EvaluationBudget } from './evaluation-budget';

describe('EvaluationBudget', () => {
  it('counts calls, tracks the best for the goal, and refuses a call past the budget', async () => {
    const budget = new EvaluationBudget((x: number) => (x - 3) ** 2, 3);
    await budget.evaluate(0);
    await budget.evaluate(2);
    await budget.evaluate(5);
    expect(budget.remaining).toBe(0);
    await expect(budget.evaluate(3)).rejects.toThrow(/evaluation budget of 3 exhausted/);
    const result = budget.result();
    expect(result.evaluations).toBe(3);
    expect(result.best).toEqual({ candidate: 2, value: 1, index: 1 });
    expect(result.bestSoFar).toEqual([9, 1, 1]);
  });

  it('ranks NaN and infinities worst, and maximises when asked', async () => {
    const values = [Number.NaN, 2, Number.POSITIVE_INFINITY, 5];
    const budget = new EvaluationBudget(async (i: number) => values[i], 4, 'maximize');
    for (let i = 0; i < 4; i++) await budget.evaluate(i);
    expect(budget.result().best.value).toBe(5);
    expect(budget.result().bestSoFar).toEqual([Number.NaN, 2, 2, 5]);
  });

  it('validates the budget and goal', () => {
    expect(() => new EvaluationBudget(() => 0, 0)).toThrow(/budget: must be a positive integer/);
    expect(() => new EvaluationBudget(() => 0, 2.5)).toThrow(/budget/);
    expect(() => new EvaluationBudget(() => 0, 1, 'up' as 'minimize')).toThrow(/goal/);
  });
});
