import { PREDICTION_CLASSES } from '@rrr/core';
import type { ClassIndex } from '../features/labels';
import type { ClassForecast } from '../models/predictor';
import { classificationMetrics, type ClassificationMetrics } from './classification-metrics';

export const BASELINE_NAMES = ['majorityClass', 'lastDirection'] as const;
export type BaselineName = (typeof BASELINE_NAMES)[number];

const BASELINE_LABELS: Record<BaselineName, string> = {
  majorityClass: 'majority-class',
  lastDirection: 'last-direction',
};

export interface BaselineVerdict {
  /** Higher accuracy than the baseline on the same samples. */
  accuracy: boolean;
  /** Lower log loss than the baseline on the same samples. */
  logLoss: boolean;
  /**
   * McNemar's z for the accuracy difference (samples only the model got right minus samples only the baseline got
   * right, over the square root of their sum); |z| > 1.96 is significant at 5 %.
   */
  accuracyZ: number;
}

export interface BaselineComparison {
  model: ClassificationMetrics;
  baselines: Record<BaselineName, ClassificationMetrics>;
  beats: Record<BaselineName, BaselineVerdict>;
  /** True only when the model beats every baseline on both accuracy and log loss. */
  beatsAll: boolean;
  /** Plain sentences saying what the numbers mean. */
  verdict: string[];
}

function mcnemarZ(
  model: readonly ClassForecast[],
  baseline: readonly ClassForecast[],
  labels: readonly ClassIndex[],
): number {
  let onlyModel = 0;
  let onlyBaseline = 0;
  labels.forEach((label, i) => {
    const cls = PREDICTION_CLASSES[label];
    const m = model[i].predicted === cls;
    const b = baseline[i].predicted === cls;
    if (m && !b) onlyModel += 1;
    if (b && !m) onlyBaseline += 1;
  });
  return onlyModel + onlyBaseline === 0 ? 0 : (onlyModel - onlyBaseline) / Math.sqrt(onlyModel + onlyBaseline);
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

/** Metrics of the model and of each naive baseline on the same samples, and whether the model beats them. */
export function compareWithBaselines(
  modelName: string,
  forecasts: readonly ClassForecast[],
  baselineForecasts: Record<BaselineName, readonly ClassForecast[]>,
  labels: readonly ClassIndex[],
  forwardReturns: ArrayLike<number>,
): BaselineComparison {
  const model = classificationMetrics(forecasts, labels, forwardReturns);
  const baselines = {} as Record<BaselineName, ClassificationMetrics>;
  const beats = {} as Record<BaselineName, BaselineVerdict>;
  const verdict: string[] = [];
  for (const name of BASELINE_NAMES) {
    const metrics = classificationMetrics(baselineForecasts[name], labels, forwardReturns);
    baselines[name] = metrics;
    const v: BaselineVerdict = {
      accuracy: model.accuracy > metrics.accuracy,
      logLoss: model.logLoss < metrics.logLoss,
      accuracyZ: mcnemarZ(forecasts, baselineForecasts[name], labels),
    };
    beats[name] = v;
    const significance = Math.abs(v.accuracyZ) > 1.96 ? 'significant at 5 %' : 'not significant at 5 %';
    verdict.push(
      `${modelName} ${v.accuracy ? 'beats' : 'does NOT beat'} the ${BASELINE_LABELS[name]} baseline on accuracy ` +
        `(${pct(model.accuracy)} vs ${pct(metrics.accuracy)}, McNemar z = ${v.accuracyZ.toFixed(2)}, ${significance}) and ` +
        `${v.logLoss ? 'beats' : 'does NOT beat'} it on log loss (${model.logLoss.toFixed(4)} vs ${metrics.logLoss.toFixed(4)}).`,
    );
  }
  const beatsAll = BASELINE_NAMES.every((name) => beats[name].accuracy && beats[name].logLoss);
  verdict.push(
    beatsAll
      ? `Overall: ${modelName} beats both naive baselines on accuracy and log loss over ${model.samples} test samples.`
      : `Overall: ${modelName} does NOT beat both naive baselines on accuracy and log loss over ${model.samples} test samples.`,
  );
  return { model, baselines, beats, beatsAll, verdict };
}
