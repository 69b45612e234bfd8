import { ValidationError } from '@rrr/core';
import { optimizePortfolio, PORTFOLIO_METHODS, type PortfolioMethod } from '../optimize-portfolio';
import { syntheticPortfolio } from '../synthetic-portfolio';
import { OPTIMIZATION_METHODS } from './optimization-method-catalog';

function problemsOf(run: () => unknown): string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) return error.problems.map((p) => `${p.field}: ${p.message}`);
    throw error;
  }
  return [];
}

describe('OPTIMIZATION_METHODS', () => {
  it("lists 'all' first, then every method of the library in the order 'all' runs them", () => {
    expect(OPTIMIZATION_METHODS.map((m) => m.id)).toEqual(['all', ...PORTFOLIO_METHODS]);
    expect(OPTIMIZATION_METHODS.map((m) => [m.id, m.answers, m.maxAssets])).toEqual([
      ['all', 'comparison', null],
      ['exact', 'selection', 20],
      ['qaoa', 'selection', 20],
      ['anneal', 'selection', null],
      ['tempering', 'selection', null],
      ['mean-variance', 'weights', null],
    ]);
    expect(OPTIMIZATION_METHODS.find((m) => m.id === 'qaoa')).toMatchObject({
      description: 'QAOA (p = 3) on a statevector simulator, one qubit per asset, angles by Nelder–Mead',
      limits:
        'at most 20 assets (a 2^N statevector); 200 circuit evaluations, 60 above 16 assets, where a solve takes seconds',
    });
  });

  it('states the asset limits the solvers enforce', () => {
    const oneTooMany = syntheticPortfolio({ assets: 21, seed: 4 });
    for (const { id, maxAssets } of OPTIMIZATION_METHODS) {
      if (id === 'all' || maxAssets === null) continue;
      expect(problemsOf(() => optimizePortfolio({ ...oneTooMany, k: 3, method: id }))).toEqual([
        `method: ${id} handles at most ${maxAssets} assets (2^N states), 21 given: use anneal or tempering`,
      ]);
    }
    const unlimited = OPTIMIZATION_METHODS.filter((m) => m.id !== 'all' && m.maxAssets === null).map((m) => m.id);
    expect(unlimited).toEqual(['anneal', 'tempering', 'mean-variance']);
    const runs = optimizePortfolio({ ...oneTooMany, k: 3, method: unlimited as PortfolioMethod[] }).runs;
    expect(runs.map((r) => [r.method, r.feasible])).toEqual(unlimited.map((id) => [id, true]));
  });

  it('lists every field a method reads: changing one it does not read leaves its run unchanged', () => {
    const universe = syntheticPortfolio({ assets: 6, seed: 9 });
    const base = { ...universe, k: 2, riskAversion: 2, seed: 1 };
    const changed = { k: 4, seed: 5 } as const;
    let unreadChecked = 0;
    for (const { id, reads } of OPTIMIZATION_METHODS) {
      if (id === 'all') {
        expect(reads).toEqual(['k', 'riskAversion', 'seed']);
        continue;
      }
      const holdings = (input: typeof base) =>
        optimizePortfolio({ ...input, method: id }).runs.map((r) => [r.holdings, r.objective]);
      for (const field of ['k', 'seed'] as const) {
        if (reads.includes(field)) continue;
        expect({ id, field, holdings: holdings({ ...base, [field]: changed[field] }) }).toEqual({
          id,
          field,
          holdings: holdings(base),
        });
        unreadChecked++;
      }
    }
    // exact ignores the seed; mean-variance ignores k and the seed.
    expect(unreadChecked).toBe(3);
  });
});
