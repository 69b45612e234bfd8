import { BASELINE_NAMES, type BaselineComparison } from './compare-with-baselines';
import type { ClassificationMetrics } from './classification-metrics';
import type { WalkForwardReport } from './walk-forward';

const pct = (x: number | null) => (x === null ? 'n/a' : `${(100 * x).toFixed(1)} %`);

function metricsRow(name: string, m: ClassificationMetrics): string {
  return `| ${name} | ${pct(m.accuracy)} | ${m.logLoss.toFixed(4)} | ${pct(m.directionalAccuracy)} (${m.directionalCalls} calls) |`;
}

/** A markdown table of the model against the baselines, followed by the verdict sentences. */
export function formatComparison(modelName: string, c: BaselineComparison): string {
  const lines = [
    '| predictor | accuracy | log loss | directional accuracy |',
    '| --- | ---: | ---: | ---: |',
    metricsRow(modelName, c.model),
    ...BASELINE_NAMES.map((name) => metricsRow(`baseline: ${name}`, c.baselines[name])),
    '',
    `Confusion (rows actual down/flat/up, columns predicted): ${JSON.stringify(c.model.confusion)}`,
    '',
    ...c.verdict,
  ];
  return lines.join('\n');
}

/** The walk-forward report as markdown: per-fold summary, pooled table, verdict. */
export function formatWalkForwardReport(report: WalkForwardReport): string {
  const lines = [
    `### Walk-forward: ${report.predictor.kind} on ${report.symbol} ${report.interval}, horizon ${report.horizon}, flat band ±${(report.threshold * 100).toFixed(2)} %`,
    '',
    ...(report.features.length < report.featureSet.features
      ? [`Features: ${report.features.length} of ${report.featureSet.features} (${report.features.join(', ')})`, '']
      : []),
    '| fold | train | test | epochs (best) | accuracy | majority | last direction | log loss | majority |',
    '| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...report.folds.map((f) => {
      const c = f.comparison;
      return `| ${f.fold} | ${f.train.from.slice(0, 10)}..${f.train.to.slice(0, 10)} (${f.train.samples}) | ${f.test.from.slice(0, 10)}..${f.test.to.slice(0, 10)} (${f.test.samples}) | ${f.fit.epochs} (${f.fit.bestEpoch}) | ${pct(c.model.accuracy)} | ${pct(c.baselines.majorityClass.accuracy)} | ${pct(c.baselines.lastDirection.accuracy)} | ${c.model.logLoss.toFixed(4)} | ${c.baselines.majorityClass.logLoss.toFixed(4)} |`;
    }),
    '',
    'All folds pooled:',
    '',
    formatComparison(report.predictor.kind, report.pooled),
  ];
  return lines.join('\n');
}
