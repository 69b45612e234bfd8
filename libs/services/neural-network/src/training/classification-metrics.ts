import { PREDICTION_CLASSES, ValidationError, type PredictionProbabilities } from '@rrr/core';
import type { ClassIndex } from '../features/labels';
import type { ClassForecast } from '../models/predictor';

/** Probabilities are clipped to [ε, 1] before the log, so one confident miss costs ~16 nats rather than infinity. */
export const LOG_LOSS_EPSILON = 1e-7;

export function sampleLogLoss(probabilities: PredictionProbabilities, label: ClassIndex): number {
  return -Math.log(Math.max(probabilities[PREDICTION_CLASSES[label]], LOG_LOSS_EPSILON));
}

/** Mean log loss of row-major class probabilities (down, flat, up per sample). */
export function meanLogLoss(probabilities: ArrayLike<number>, labels: readonly ClassIndex[]): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i += 1)
    sum -= Math.log(Math.max(probabilities[i * 3 + labels[i]], LOG_LOSS_EPSILON));
  return sum / labels.length;
}

export interface ClassificationMetrics {
  samples: number;
  /** Share of samples whose predicted class is the label. */
  accuracy: number;
  /** Mean negative log-likelihood of the label (nats); lower is better; ln 3 ≈ 1.0986 is a uniform guess. */
  logLoss: number;
  /**
   * Among samples where the model called a direction (predicted up or down) and the price did move, the share where
   * the forward return had that sign. null when the model never called a direction.
   */
  directionalAccuracy: number | null;
  /** Samples with a directional call (up or down predicted). */
  directionalCalls: number;
  /** confusion[actual][predicted], classes in order down, flat, up. */
  confusion: number[][];
  /** Share of each actual class (down, flat, up). */
  labelShares: number[];
  /** Share of each predicted class (down, flat, up). */
  predictedShares: number[];
}

/** Accuracy, log loss, directional accuracy and confusion matrix of forecasts against labels and forward returns. */
export function classificationMetrics(
  forecasts: readonly ClassForecast[],
  labels: readonly ClassIndex[],
  forwardReturns: ArrayLike<number>,
): ClassificationMetrics {
  if (forecasts.length !== labels.length || labels.length !== forwardReturns.length || labels.length === 0) {
    throw new ValidationError('classification metrics', [
      {
        field: 'forecasts',
        message: `need one forecast, label and forward return per sample, at least one (got ${forecasts.length}, ${labels.length}, ${forwardReturns.length})`,
      },
    ]);
  }
  const confusion = [
    [0, 0, 0],
    [0, 0, 0],
    [0, 0, 0],
  ];
  let correct = 0;
  let loss = 0;
  let calls = 0;
  let movedCalls = 0;
  let rightDirection = 0;
  forecasts.forEach((forecast, i) => {
    const predicted = PREDICTION_CLASSES.indexOf(forecast.predicted);
    confusion[labels[i]][predicted] += 1;
    if (predicted === labels[i]) correct += 1;
    loss += sampleLogLoss(forecast.probabilities, labels[i]);
    if (forecast.predicted === 'flat') return;
    calls += 1;
    const r = forwardReturns[i];
    if (r === 0) return;
    movedCalls += 1;
    if (r > 0 === (forecast.predicted === 'up')) rightDirection += 1;
  });
  const n = labels.length;
  return {
    samples: n,
    accuracy: correct / n,
    logLoss: loss / n,
    directionalAccuracy: movedCalls === 0 ? null : rightDirection / movedCalls,
    directionalCalls: calls,
    confusion,
    labelShares: confusion.map((row) => (row[0] + row[1] + row[2]) / n),
    predictedShares: [0, 1, 2].map((c) => (confusion[0][c] + confusion[1][c] + confusion[2][c]) / n),
  };
}
