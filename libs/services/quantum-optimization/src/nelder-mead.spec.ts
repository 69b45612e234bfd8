import { minimizeNelderMead } from './nelder-mead';

const rosenbrock = (x: Float64Array): number => 100 * (x[1] - x[0] ** 2) ** 2 + (1 - x[0]) ** 2;

describe('minimizeNelderMead', () => {
  it('finds the minimum of the Rosenbrock function', () => {
    const result = minimizeNelderMead(rosenbrock, [-1.2, 1], { maxEvaluations: 2000 });
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 4);
    expect(result.x[1]).toBeCloseTo(1, 4);
    expect(result.value).toBeLessThan(1e-8);
  });

  it('minimises a shifted 6-dimensional quadratic', () => {
    const centre = [0.3, -1, 2, 0.5, -0.25, 1.5];
    const f = (x: Float64Array): number => x.reduce((s, xi, i) => s + (i + 1) * (xi - centre[i]) ** 2, 0);
    const result = minimizeNelderMead(f, new Array(6).fill(0), { maxEvaluations: 5000, initialStep: 0.5 });
    for (let i = 0; i < 6; i++) expect(result.x[i]).toBeCloseTo(centre[i], 3);
  });

  it('never calls the objective more often than the budget and returns the best point seen', () => {
    for (const budget of [1, 2, 3, 7, 50]) {
      let calls = 0;
      let best = Infinity;
      const result = minimizeNelderMead(
        (x) => {
          calls += 1;
          const v = rosenbrock(x);
          best = Math.min(best, v);
          return v;
        },
        [-1.2, 1],
        { maxEvaluations: budget },
      );
      expect(calls).toBe(budget);
      expect(result.evaluations).toBe(budget);
      expect(result.converged).toBe(false);
      expect(result.value).toBe(best);
      expect(rosenbrock(result.x)).toBe(best);
    }
  });

  it('treats NaN as +∞ and validates its inputs', () => {
    const result = minimizeNelderMead((x) => (x[0] < 0 ? Number.NaN : (x[0] - 2) ** 2), [1], { maxEvaluations: 200 });
    expect(result.x[0]).toBeCloseTo(2, 4);
    expect(() => minimizeNelderMead(rosenbrock, [0, Number.NaN], { maxEvaluations: 5 })).toThrow(
      /x0\[1\]: must be finite/,
    );
    expect(() => minimizeNelderMead(rosenbrock, [0, 0], { maxEvaluations: 0 })).toThrow(/maxEvaluations/);
  });
});
