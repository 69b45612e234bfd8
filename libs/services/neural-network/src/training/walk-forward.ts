import { ValidationError, toIso } from '@rrr/core';
import { FEATURE_SET, type FeatureName } from '../features/feature-set';
import { FeatureScaler } from '../features/feature-scaler';
import { resolveFeatureSubset } from '../features/feature-subset';
import type { ClassIndex } from '../features/labels';
import { createPredictor, type PredictorSpec } from '../models/create-predictor';
import type { ClassForecast, FitReport, PredictorDescription } from '../models/predictor';
import { compareWithBaselines, type BaselineComparison, type BaselineName } from './compare-with-baselines';
import { lastDirectionBaseline, majorityClassBaseline } from './naive-baselines';
import {
  labelsAt,
  projectSeries,
  range,
  rowsAt,
  scaledWindows,
  usableRange,
  type SupervisedSeries,
} from './supervised-series';
import type { TrainingProgressCallback } from './training-progress';

export interface WalkForwardOptions {
  /** Default 5 (the legacy walk-forward). */
  folds?: number;
  /** Test samples per fold. Default: 30 % of the usable samples split over the folds (legacy 70/30). */
  testSize?: number;
  /** Training samples per fold when rolling. Default: everything before the first test block. */
  trainSize?: number;
  /** Train on everything before each test block instead of a rolling window. Default false. */
  expanding?: boolean;
  /** Samples skipped between training and test; at least the label horizon (the default). */
  gap?: number;
  /** Early-stopping split from the end of each training window. Default 0.15. */
  validationFraction?: number;
  /** Feature columns the predictor reads (put in FEATURE_NAMES order). Default: all of them. */
  features?: readonly FeatureName[];
}

/** Bar-index ranges of one fold: train [trainStart, trainEnd), test [testStart, testEnd). */
export interface FoldPlan {
  trainStart: number;
  trainEnd: number;
  testStart: number;
  testEnd: number;
}

/** The folds, test blocks ending at the last labelled bar, each preceded by `gap` unused samples. */
export function planWalkForward(
  usable: { start: number; end: number },
  horizonBars: number,
  options: WalkForwardOptions = {},
): FoldPlan[] {
  const folds = options.folds ?? 5;
  const gap = options.gap ?? horizonBars;
  const total = usable.end - usable.start;
  const testSize = options.testSize ?? Math.floor((0.3 * total) / folds);
  const firstTest = usable.end - folds * testSize;
  const trainSize = options.trainSize ?? firstTest - gap - usable.start;
  const problems = [];
  if (!Number.isInteger(folds) || folds < 1)
    problems.push({ field: 'folds', message: 'must be an integer ≥ 1', value: folds });
  if (!Number.isInteger(gap) || gap < horizonBars) {
    problems.push({
      field: 'gap',
      message: `must be an integer ≥ the label horizon (${horizonBars} bars), or test labels leak into training`,
      value: gap,
    });
  }
  if (!Number.isInteger(testSize) || testSize < 1)
    problems.push({ field: 'testSize', message: 'must be an integer ≥ 1', value: testSize });
  if (!Number.isInteger(trainSize) || trainSize < 10)
    problems.push({ field: 'trainSize', message: 'must be an integer ≥ 10', value: trainSize });
  if (problems.length === 0 && firstTest - gap - trainSize < usable.start) {
    problems.push({
      field: 'folds',
      message: `${folds} folds of ${testSize} test and ${trainSize} training samples (gap ${gap}) need ${folds * testSize + gap + trainSize} usable samples; the series has ${total}`,
    });
  }
  if (problems.length > 0) throw new ValidationError('walk-forward options', problems);
  return range(0, folds).map((k) => {
    const testStart = firstTest + k * testSize;
    const trainEnd = testStart - gap;
    return {
      trainStart: options.expanding === true ? usable.start : trainEnd - trainSize,
      trainEnd,
      testStart,
      testEnd: testStart + testSize,
    };
  });
}

export interface WalkForwardFold {
  fold: number;
  train: { from: string; to: string; samples: number };
  test: { from: string; to: string; samples: number };
  fit: FitReport;
  comparison: BaselineComparison;
}

export interface WalkForwardReport {
  symbol: string;
  interval: string;
  horizon: string;
  threshold: number;
  featureSet: { id: string; version: number; features: number };
  /** The columns the predictor read, in order. */
  features: FeatureName[];
  predictor: PredictorDescription;
  folds: WalkForwardFold[];
  /** Every fold's test samples together. */
  pooled: BaselineComparison;
}

/** The samples of one fold, scaled with statistics from its training window only. */
export interface PreparedFold {
  scaler: FeatureScaler;
  trainIndices: number[];
  testIndices: number[];
}

export function prepareFold(series: SupervisedSeries, plan: FoldPlan): PreparedFold {
  const trainIndices = range(plan.trainStart, plan.trainEnd);
  return {
    scaler: FeatureScaler.fit(rowsAt(series, trainIndices)),
    trainIndices,
    testIndices: range(plan.testStart, plan.testEnd),
  };
}

/** Forecasts of both naive baselines at `indices`, fit on the training indices. */
export function baselineForecasts(
  series: SupervisedSeries,
  trainIndices: readonly number[],
  indices: readonly number[],
): Record<BaselineName, ClassForecast[]> {
  const trainLabels = labelsAt(series, trainIndices);
  const majority = majorityClassBaseline(trainLabels);
  const moves = (idx: readonly number[]) => idx.map((t) => series.lastMoves[t] ?? 1) as ClassIndex[];
  const last = lastDirectionBaseline(moves(trainIndices), trainLabels);
  return { majorityClass: indices.map(() => majority), lastDirection: moves(indices).map(last) };
}

/**
 * Walk-forward evaluation: for each fold, fit the scaler and a fresh predictor on the training window (early stopping
 * on its end), predict the test block that follows after a gap of at least the label horizon, and compare with the
 * naive baselines fit on the same training window.
 */
export async function walkForward(
  fullSeries: SupervisedSeries,
  spec: Omit<PredictorSpec, 'inputSize'>,
  options: WalkForwardOptions = {},
  onProgress?: TrainingProgressCallback,
): Promise<WalkForwardReport> {
  const subset = resolveFeatureSubset(options.features);
  const series = projectSeries(fullSeries, subset);
  const probe = await createPredictor({ ...spec, inputSize: subset.indices.length });
  const lookback = probe.lookback;
  const description = probe.describe();
  probe.dispose();
  const plans = planWalkForward(usableRange(series, lookback), series.spec.horizonBars, options);
  const folds: WalkForwardFold[] = [];
  const pooled = {
    forecasts: [] as ClassForecast[],
    majorityClass: [] as ClassForecast[],
    lastDirection: [] as ClassForecast[],
    labels: [] as ClassIndex[],
    returns: [] as number[],
  };
  const ts = (t: number) => toIso(series.bars[t].ts);
  for (const [k, plan] of plans.entries()) {
    const fold = k + 1;
    onProgress?.({
      stage: 'fold',
      fold,
      folds: plans.length,
      message: `fold ${fold}/${plans.length}: train ${ts(plan.trainStart)}..${ts(plan.trainEnd - 1)}, test ${ts(plan.testStart)}..${ts(plan.testEnd - 1)}`,
    });
    const { scaler, trainIndices, testIndices } = prepareFold(series, plan);
    const predictor = await createPredictor({ ...spec, inputSize: scaler.width });
    let forecasts: ClassForecast[];
    let fit: FitReport;
    try {
      fit = await predictor.fit(
        { windows: scaledWindows(series, scaler, trainIndices, lookback), labels: labelsAt(series, trainIndices) },
        {
          validationFraction: options.validationFraction ?? 0.15,
          gap: series.spec.horizonBars,
          onEpoch: (epoch) =>
            onProgress?.({
              stage: 'epoch',
              fold,
              folds: plans.length,
              epoch,
              message: `fold ${fold} epoch ${epoch.epoch}/${epoch.maxEpochs}`,
            }),
        },
      );
      forecasts = predictor.predict(scaledWindows(series, scaler, testIndices, lookback));
    } finally {
      predictor.dispose();
    }
    const labels = labelsAt(series, testIndices);
    const returns = testIndices.map((t) => series.forwardReturns[t]);
    const baselines = baselineForecasts(series, trainIndices, testIndices);
    const comparison = compareWithBaselines(description.kind, forecasts, baselines, labels, returns);
    folds.push({
      fold,
      train: { from: ts(plan.trainStart), to: ts(plan.trainEnd - 1), samples: trainIndices.length },
      test: { from: ts(plan.testStart), to: ts(plan.testEnd - 1), samples: testIndices.length },
      fit,
      comparison,
    });
    pooled.forecasts.push(...forecasts);
    pooled.majorityClass.push(...baselines.majorityClass);
    pooled.lastDirection.push(...baselines.lastDirection);
    pooled.labels.push(...labels);
    pooled.returns.push(...returns);
    onProgress?.({
      stage: 'evaluate',
      fold,
      folds: plans.length,
      message: comparison.verdict[comparison.verdict.length - 1],
    });
  }
  return {
    symbol: series.bars[0].symbol,
    interval: series.spec.interval,
    horizon: series.spec.horizon,
    threshold: series.spec.threshold,
    featureSet: { id: FEATURE_SET.id, version: FEATURE_SET.version, features: FEATURE_SET.names.length },
    features: subset.names,
    predictor: description,
    folds,
    pooled: compareWithBaselines(
      description.kind,
      pooled.forecasts,
      { majorityClass: pooled.majorityClass, lastDirection: pooled.lastDirection },
      pooled.labels,
      pooled.returns,
    ),
  };
}
