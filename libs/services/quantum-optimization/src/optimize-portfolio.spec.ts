import { optimizePortfolio } from './optimize-portfolio';
import { syntheticPortfolio } from './synthetic-portfolio';

describe('optimizePortfolio', () => {
  const universe = syntheticPortfolio({ assets: 8, seed: 12 });

  it("runs every method with 'all' and reports objective, ratio, probability, time and a winner", () => {
    const result = optimizePortfolio({ ...universe, k: 3, method: 'all', riskAversion: 2, seed: 3 });
    expect(result.runs.map((r) => r.method)).toEqual(['exact', 'qaoa', 'anneal', 'tempering', 'mean-variance']);
    expect(result.skipped).toEqual([]);
    const byMethod = Object.fromEntries(result.runs.map((r) => [r.method, r]));
    const reference = result.reference;
    if (!reference) throw new Error('expected an exhaustive reference for 8 assets');

    expect(byMethod.exact.objective).toBeCloseTo(reference.bestObjective, 12);
    expect(byMethod.exact.approximationRatio).toBe(1);
    expect(byMethod.exact.holdings.map((h) => h.symbol).sort()).toEqual([...reference.best].sort());
    expect(byMethod.exact.evaluations).toBe(256);
    for (const run of result.runs) {
      expect(run.wallTimeMs).toBeGreaterThan(0);
      expect(Number.isFinite(run.objective)).toBe(true);
    }
    for (const method of ['anneal', 'tempering'] as const) {
      expect(byMethod[method].feasible).toBe(true);
      expect(byMethod[method].holdings).toHaveLength(3);
      expect(byMethod[method].holdings.every((h) => h.weight === 1 / 3)).toBe(true);
      expect(byMethod[method].approximationRatio).toBeGreaterThan(0.9);
    }
    const qaoa = byMethod.qaoa;
    expect(qaoa.probabilityOfOptimum).toBeGreaterThan(0);
    expect(qaoa.probabilityOfOptimum).toBeLessThanOrEqual(1);
    expect(qaoa.expectedEnergy).not.toBeNull();
    if (qaoa.feasible) expect(qaoa.approximationRatio).toBeGreaterThanOrEqual(0);
    else expect(qaoa.approximationRatio).toBeNull();
    // The ratio is computed against the exhaustive range of 3-asset selections.
    for (const run of result.runs.filter((r) => r.approximationRatio !== null)) {
      expect(run.approximationRatio).toBeCloseTo(
        (run.objective - reference.worstObjective) / (reference.bestObjective - reference.worstObjective),
        12,
      );
    }
    const mv = byMethod['mean-variance'];
    expect(mv.approximationRatio).toBeNull();
    expect(mv.holdings.reduce((s, h) => s + h.weight, 0)).toBeCloseTo(1, 9);
    // The continuous optimum can hold the equal-weight selection, so it can only do as well or better.
    expect(mv.objective).toBeGreaterThanOrEqual(reference.bestObjective - 1e-12);

    expect(result.winner.method).not.toBeNull();
    expect(result.winner.method).not.toBe('mean-variance');
    const winner = byMethod[result.winner.method as string];
    expect(winner.objective).toBeCloseTo(reference.bestObjective, 12);
    expect(result.winner.sentence).toMatch(new RegExp(`^${result.winner.method} won`));
    expect(result.winner.sentence).toContain('the exact optimum');
    expect(result.winner.sentence).toContain('QAOA sampled the optimum with probability');
    expect(result.winner.sentence).toContain('The continuous mean-variance baseline');
  });

  it('names the margin when one method beats another, and leaves an infeasible answer unranked', () => {
    // A starved annealer (one zero-temperature sweep from a random start) against exact on 12 assets; the seeds are
    // ones where its greedy descent stops at a worse 4-asset selection (seed 10) or short of 4 assets (seed 1).
    const wide = syntheticPortfolio({ assets: 12, seed: 4 });
    const starved = { sweeps: 1, restarts: 1, hotTemperature: 1e-9, coldTemperature: 1e-9 };
    const beaten = optimizePortfolio({ ...wide, k: 4, method: ['anneal', 'exact'], anneal: starved, seed: 10 });
    const [anneal, exact] = beaten.runs;
    expect(anneal.feasible).toBe(true);
    expect(exact.objective).toBeGreaterThan(anneal.objective);
    expect(beaten.winner.method).toBe('exact');
    expect(beaten.winner.sentence).toBe(
      `exact won with objective ${exact.objective.toFixed(4)} (holding ${exact.holdings.map((h) => h.symbol).join(', ')}, the exact optimum), ` +
        `${(exact.objective - anneal.objective).toFixed(4)} above anneal (${anneal.objective.toFixed(4)}, approximation ratio ${anneal.approximationRatio?.toFixed(3)}).`,
    );

    const infeasible = optimizePortfolio({ ...wide, k: 4, method: ['anneal', 'exact'], anneal: starved, seed: 1 });
    expect(infeasible.runs[0].feasible).toBe(false);
    expect(infeasible.runs[0].approximationRatio).toBeNull();
    expect(infeasible.winner.method).toBe('exact');
    expect(infeasible.winner.sentence).toMatch(/^exact won as the only method with a 4-asset selection: /);
    expect(infeasible.winner.sentence).toContain("anneal's answer held 5 assets instead of 4, so it is not ranked.");
  });

  it('runs a single method, as the CLI does', () => {
    const result = optimizePortfolio({
      ...universe,
      k: 2,
      method: 'mean-variance',
      meanVariance: { objective: 'min-variance' },
    });
    expect(result.runs).toHaveLength(1);
    expect(result.winner.method).toBe('mean-variance');
    expect(result.winner.sentence).toMatch(/^mean-variance won by default/);
    const exact = optimizePortfolio({ ...universe, k: 2, method: 'exact' });
    expect(exact.winner.sentence).toMatch(/^exact was the only selection method run: .* the exact optimum\.$/);
  });

  it('skips exact and QAOA above 20 assets under all, but refuses them when asked for explicitly', () => {
    const large = syntheticPortfolio({ assets: 24, seed: 1 });
    const result = optimizePortfolio({
      ...large,
      k: 5,
      method: 'all',
      anneal: { sweeps: 200 },
      tempering: { sweeps: 100 },
    });
    expect(result.skipped.map((s) => s.method)).toEqual(['exact', 'qaoa']);
    expect(result.skipped[0].reason).toBe('needs N ≤ 20 assets (2^N states), 24 given');
    expect(result.reference).toBeNull();
    expect(result.runs.map((r) => r.method)).toEqual(['anneal', 'tempering', 'mean-variance']);
    expect(result.runs.every((r) => r.approximationRatio === null)).toBe(true);
    expect(() => optimizePortfolio({ ...large, k: 5, method: 'qaoa' })).toThrow(
      /method: qaoa handles at most 20 assets \(2\^N states\), 24 given: use anneal or tempering/,
    );
  });

  it('validates the inputs and the method name', () => {
    expect(() => optimizePortfolio({ ...universe, k: 9, method: 'exact' })).toThrow(
      /k: must be an integer with 1 ≤ k ≤ 8/,
    );
    expect(() => optimizePortfolio({ ...universe, symbols: universe.symbols.slice(1), k: 2, method: 'exact' })).toThrow(
      /symbols: must list 8 symbols/,
    );
    expect(() => optimizePortfolio({ ...universe, k: 2, method: 'magic' as unknown as 'exact' })).toThrow(
      /method: must be one of exact, qaoa, anneal, tempering, mean-variance or all/,
    );
    expect(() => optimizePortfolio({ ...universe, k: 2, method: 'mean-variance', riskAversion: 0 })).toThrow(
      /riskAversion: mean-variance utility needs λ > 0/,
    );
  });
});
