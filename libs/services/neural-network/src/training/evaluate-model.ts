import type { Database } from '@rrr/core';
import type { PredictorKind } from '../models/predictor';
import type { TfBackendName } from '../models/tf-backend';
import { loadSeries, type SeriesRequest } from './train-model';
import type { TrainingProgressCallback } from './training-progress';
import { walkForward, type WalkForwardOptions, type WalkForwardReport } from './walk-forward';

export interface EvaluateModelRequest extends SeriesRequest, WalkForwardOptions {
  kind: PredictorKind;
  hyperparameters?: Record<string, unknown>;
  backend?: TfBackendName;
}

/**
 * Walk-forward evaluation of a model kind on a symbol's history (nothing is registered): per fold, scaler and model
 * fit on the training window, tested on the next block after a gap of at least the label horizon, compared with the
 * majority-class and last-direction baselines. The report's `pooled.verdict` says plainly whether the model won.
 */
export async function evaluateModel(
  deps: { db?: Database },
  request: EvaluateModelRequest,
  onProgress?: TrainingProgressCallback,
): Promise<WalkForwardReport> {
  const series = await loadSeries(deps.db, request);
  onProgress?.({ stage: 'data', message: `${series.bars.length} ${series.spec.interval} bars of ${request.symbol}` });
  const report = await walkForward(
    series,
    { kind: request.kind, hyperparameters: request.hyperparameters, backend: request.backend },
    {
      folds: request.folds,
      testSize: request.testSize,
      trainSize: request.trainSize,
      expanding: request.expanding,
      gap: request.gap,
      validationFraction: request.validationFraction,
      features: request.features,
    },
    onProgress,
  );
  onProgress?.({ stage: 'done', message: report.pooled.verdict[report.pooled.verdict.length - 1] });
  return report;
}
