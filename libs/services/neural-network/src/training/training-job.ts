import type { JobRecord } from '@rrr/core';
import type { ModelStatus } from '../registry/model-registry';
import type { TrainingStage } from './training-progress';
import type { TrainingJobRequest } from './training-job-request';

/** Where a training job stands, from the training pipeline's own progress reports. */
export interface TrainingJobProgress {
  /** The pipeline's last stage; null until the worker reported once. */
  stage: TrainingStage | null;
  /** The pipeline's last message (`logistic epoch 12/300`, `registering spx-logistic-1d`). */
  message: string;
  /** The last epoch reported, and the most the current model may run (early stopping may end it sooner). */
  epoch: number | null;
  maxEpochs: number | null;
  /** Ensemble member being fitted (`mlp`), when the model is an ensemble. */
  member: string | null;
  /** Share of the work done, in [0, 1] (see trainingFraction). */
  fraction: number;
}

/** What a completed job registered. */
export interface TrainingJobResult {
  /** `name@version`. */
  model: string;
  /** ml_models.id */
  id: number;
  status: ModelStatus;
  /** Whether this process's live service serves it now (activated, and its symbol among those served). */
  served: boolean;
  /** The holdout comparison with the naive baselines, one line per baseline; empty without a holdout. */
  verdict: string[];
  /** Holdout accuracy; null without a holdout. */
  holdoutAccuracy: number | null;
}

/** A training job: the checked request, its progress while it runs, and what it registered once completed. */
export interface TrainingJob extends JobRecord {
  request: TrainingJobRequest;
  progress: TrainingJobProgress;
  result: TrainingJobResult | null;
}
