import type { PortfolioOptimization } from './optimize-portfolio';

/**
 * Plain-text report of a portfolio optimisation (what `rrr optimize portfolio` prints): the problem, one row per
 * method, the skipped methods and the winner sentence.
 */
export function formatOptimizationReport(result: PortfolioOptimization): string {
  const header = [
    'method',
    'objective',
    'return',
    'volatility',
    'approx ratio',
    'P(optimum)',
    'evaluations',
    'time ms',
    'holdings',
  ];
  const rows = result.runs.map((run) => [
    run.method,
    run.objective.toFixed(6),
    percent(run.expectedReturn),
    percent(run.volatility),
    run.approximationRatio === null ? '—' : run.approximationRatio.toFixed(4),
    run.probabilityOfOptimum === null ? '—' : percent(run.probabilityOfOptimum),
    String(run.evaluations),
    run.wallTimeMs.toFixed(1),
    run.holdings
      .map((h) => (run.method === 'mean-variance' ? `${h.symbol} ${percent(h.weight)}` : h.symbol))
      .join(', ') + (run.feasible ? '' : ' (infeasible)'),
  ]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]): string =>
    cells
      .map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const lines = [
    `Portfolio selection: ${result.k} of ${result.symbols.length} assets (${result.symbols.join(', ')}), ` +
      `objective = return − ${result.riskAversion}·variance, cardinality penalty ${result.penalty.toPrecision(4)} ` +
      `(guarantees ${result.k} assets above ${result.minimumPenalty.toPrecision(4)})`,
    '',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
  if (result.reference) {
    lines.push(
      '',
      `Exhaustive reference: best ${result.k}-asset objective ${result.reference.bestObjective.toFixed(6)} ` +
        `(${result.reference.best.join(', ')}), worst ${result.reference.worstObjective.toFixed(6)}.`,
    );
  }
  for (const skip of result.skipped) lines.push(`Skipped ${skip.method}: ${skip.reason}.`);
  for (const run of result.runs) lines.push(`${run.method}: ${run.notes}`);
  lines.push('', `Winner: ${result.winner.sentence}`);
  return lines.join('\n');
}

function percent(value: number): string {
  return `${(value * 100).toFixed(2)}%`;
}
