import type { ClassificationMetrics } from '@rrr/neural-network';
import type { PredictorSearchReport, SearchRun } from './predictor-search';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
const loss = (x: number) => x.toFixed(4);

function formatValue(value: unknown): string {
  if (typeof value === 'number' && !Number.isInteger(value)) return value.toPrecision(3);
  if (Array.isArray(value)) return `[${value.join(',')}]`;
  return String(value);
}

function formatChoice(report: PredictorSearchReport, run: SearchRun): string {
  if (run.method === 'defaults') {
    const fixed = Object.entries(report.fixed).map(([name, value]) => `${name}=${formatValue(value)}`);
    return `the ${report.kind} defaults${fixed.length > 0 ? ` with ${fixed.join(', ')}` : ''}, all ${run.features.length} features`;
  }
  if (report.search === 'features') return `${run.features.length} features: ${run.features.join(', ')}`;
  return Object.entries(run.hyperparameters)
    .map(([name, value]) => `${name}=${formatValue(value)}`)
    .join(', ');
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function baselineRow(name: string, cv: ClassificationMetrics, holdout: ClassificationMetrics): string {
  return `| ${name} | ${loss(cv.logLoss)} | ${pct(cv.accuracy)} | ${loss(holdout.logLoss)} | ${pct(holdout.accuracy)} | | | |`;
}

/** The comparison as a markdown table, then plain sentences: which method won, and whether it beats the baselines. */
export function formatPredictorSearch(report: PredictorSearchReport): string {
  const what = report.search === 'hyperparameters' ? 'Hyperparameter search' : 'Feature selection';
  const rows = [...report.runs, report.defaults];
  const holdoutBaselines = report.defaults.holdout.baselines;
  const lines = [
    `### ${what}: ${report.kind} on ${report.symbol} ${report.interval}, horizon ${report.horizon}, budget ${report.budget} evaluations per method, seed ${report.seed}`,
    '',
    `Objective: walk-forward log loss (${report.folds} folds; ${report.tuning.samples} test samples ${report.tuning.from.slice(0, 10)}..${report.tuning.to.slice(0, 10)}). ` +
      `Holdout, never seen by any search: ${report.holdout.samples} samples ${report.holdout.from.slice(0, 10)}..${report.holdout.to.slice(0, 10)}.`,
    '',
    '| method | best log loss | accuracy | holdout log loss | holdout accuracy | best choice | evaluations | wall time |',
    '| --- | ---: | ---: | ---: | ---: | --- | ---: | ---: |',
    ...rows.map(
      (run) =>
        `| ${run.method === 'defaults' ? 'defaults (no search)' : run.method} | ${loss(run.cv.logLoss)} | ${pct(run.cv.accuracy)} | ${loss(run.holdout.model.logLoss)} | ${pct(run.holdout.model.accuracy)} | ${formatChoice(report, run)} | ${run.evaluations} | ${seconds(run.wallTimeMs)} |`,
    ),
    baselineRow('baseline: majority class', report.cvBaselines.majorityClass, holdoutBaselines.majorityClass),
    baselineRow('baseline: last direction', report.cvBaselines.lastDirection, holdoutBaselines.lastDirection),
    '',
    ...verdict(report),
  ];
  return lines.join('\n');
}

/** Plain sentences: the winner and its margins, then the winner's choice against the baselines on the holdout. */
export function verdict(report: PredictorSearchReport): string[] {
  const ranked = [...report.runs].sort((a, b) => a.cv.logLoss - b.cv.logLoss);
  const out: string[] = [];
  const unequal = report.runs.filter((r) => r.evaluations !== report.budget);
  const budgets =
    unequal.length === 0
      ? `${report.budget} evaluations each`
      : `${report.budget} evaluations each, except ${unequal.map((r) => `${r.method} (${r.evaluations})`).join(', ')}`;
  const winner = report.runs.find((r) => r.method === report.winner);
  if (winner === undefined) {
    out.push(
      ranked.length > 1
        ? `No winner: ${ranked
            .filter((r) => r.cv.logLoss === ranked[0].cv.logLoss)
            .map((r) => r.method)
            .join(' and ')} tie at walk-forward log loss ${loss(ranked[0].cv.logLoss)} (${budgets}).`
        : `Only ${ranked[0]?.method ?? 'no method'} ran (${budgets}).`,
    );
  } else if (ranked.length === 1) {
    out.push(`${winner.method} alone: best walk-forward log loss ${loss(winner.cv.logLoss)} (${budgets}).`);
  } else {
    const others = ranked
      .slice(1)
      .map((r) => `${r.method} ${loss(r.cv.logLoss)} (+${loss(r.cv.logLoss - winner.cv.logLoss)})`)
      .join(', ');
    out.push(
      `${winner.method} won: best walk-forward log loss ${loss(winner.cv.logLoss)}, against ${others}, at ${budgets}.`,
    );
  }
  const best = winner ?? ranked[0];
  if (best === undefined) return out;
  const gain = report.defaults.cv.logLoss - best.cv.logLoss;
  out.push(
    gain > 0
      ? `Searching improved on the defaults (${loss(report.defaults.cv.logLoss)}) by ${loss(gain)} on the walk-forward.`
      : `Searching did NOT improve on the defaults (${loss(report.defaults.cv.logLoss)}) on the walk-forward.`,
  );
  const h = best.holdout;
  const lost = (['majorityClass', 'lastDirection'] as const).filter(
    (name) => !(h.beats[name].logLoss && h.beats[name].accuracy),
  );
  const names = { majorityClass: 'majority class', lastDirection: 'last direction' };
  out.push(
    `On the holdout, ${best.method}'s choice scores log loss ${loss(h.model.logLoss)} and accuracy ${pct(h.model.accuracy)} ` +
      `against majority class ${loss(h.baselines.majorityClass.logLoss)} / ${pct(h.baselines.majorityClass.accuracy)} and last direction ` +
      `${loss(h.baselines.lastDirection.logLoss)} / ${pct(h.baselines.lastDirection.accuracy)}: ` +
      (lost.length === 0
        ? 'it beats both naive baselines on log loss and accuracy.'
        : `it does NOT beat ${lost.map((n) => names[n]).join(' or ')} on both log loss and accuracy.`),
  );
  const difference = report.defaults.holdout.model.logLoss - h.model.logLoss;
  out.push(
    `The defaults score ${loss(report.defaults.holdout.model.logLoss)} on the holdout: the searched choice is ${loss(Math.abs(difference))} ${difference > 0 ? 'better' : 'WORSE'} there.`,
  );
  return out;
}
