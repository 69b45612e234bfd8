import { formatOptimizationReport } from './format-optimization-report';
import { optimizePortfolio } from './optimize-portfolio';
import { syntheticPortfolio } from './synthetic-portfolio';

describe('formatOptimizationReport', () => {
  it('prints the problem, one aligned row per method, the reference and the winner', () => {
    const result = optimizePortfolio({ ...syntheticPortfolio({ assets: 6, seed: 2 }), k: 2, method: 'all', seed: 5 });
    const text = formatOptimizationReport(result);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(
      /^Portfolio selection: 2 of 6 assets \(A001, A002, A003, A004, A005, A006\), objective = return − 1·variance/,
    );
    const headerIndex = lines.findIndex((l) => l.startsWith('method'));
    const table = lines.slice(headerIndex, headerIndex + 2 + result.runs.length);
    // Columns line up: every row has its objective at the same offset as the header's.
    const column = table[0].indexOf('objective');
    for (const row of table.slice(2)) expect(row.slice(column).split(/\s+/)[0]).toMatch(/^-?\d+\.\d{6}$/);
    for (const run of result.runs) {
      const row = table.find((l) => l.startsWith(run.method + ' '));
      expect(row).toBeDefined();
      expect(row).toContain(run.objective.toFixed(6));
    }
    expect(text).toContain(
      `Exhaustive reference: best 2-asset objective ${result.reference?.bestObjective.toFixed(6)}`,
    );
    expect(lines[lines.length - 1]).toBe(`Winner: ${result.winner.sentence}`);
  });

  it('lists skipped methods', () => {
    const result = optimizePortfolio({
      ...syntheticPortfolio({ assets: 21, seed: 2 }),
      k: 3,
      method: 'all',
      anneal: { sweeps: 50 },
      tempering: { sweeps: 50 },
    });
    const text = formatOptimizationReport(result);
    expect(text).toContain('Skipped exact: needs N ≤ 20 assets (2^N states), 21 given.');
    expect(text).toContain('Skipped qaoa: needs N ≤ 20 assets (2^N states), 21 given.');
    expect(text).not.toContain('Exhaustive reference');
  });
});
