import type { PredictionClass, PredictionProbabilities } from '@rrr/core';
import type { ClassIndex } from '../features/labels';

export const PREDICTOR_KINDS = ['logistic', 'mlp', 'lstm', 'ensemble'] as const;
export type PredictorKind = (typeof PREDICTOR_KINDS)[number];

/** Consecutive scaled feature rows, oldest first; the last row is the bar the prediction is made at. */
export type FeatureWindow = readonly ArrayLike<number>[];

/** Training samples in time order (the validation split is taken from the end). */
export interface LabelledWindows {
  windows: readonly FeatureWindow[];
  labels: readonly ClassIndex[];
}

/** A classifier's output for one window. */
export interface ClassForecast {
  probabilities: PredictionProbabilities;
  predicted: PredictionClass;
  /** The probability of the predicted class. */
  confidence: number;
}

export interface EpochReport {
  /** 1-based. */
  epoch: number;
  maxEpochs: number;
  trainLoss: number;
  /** Mean log loss on the validation split; NaN when training without one. */
  validationLoss: number;
  /** True when this epoch's weights are the best so far (the ones kept). */
  improved: boolean;
  /** Ensemble member being trained, e.g. `mlp#1`. */
  member?: string;
}

export interface FitOptions {
  /** Share of the samples, taken from the END of the time-ordered training data, used for early stopping. Default 0.15. */
  validationFraction?: number;
  /** Samples dropped between the training part and the validation part: the label horizon, so no training label
   * looks into the validation period. Default 0. */
  gap?: number;
  onEpoch?: (report: EpochReport) => void;
}

export interface FitReport {
  epochs: number;
  /** Epoch whose weights were kept (best validation loss). */
  bestEpoch: number;
  trainLoss: number;
  validationLoss: number;
  stoppedEarly: boolean;
  trainSamples: number;
  validationSamples: number;
  members?: FitReport[];
}

export interface PredictorDescription {
  kind: PredictorKind;
  /** Feature rows per window. */
  lookback: number;
  /** Features per row. */
  inputSize: number;
  hyperparameters: Record<string, unknown>;
  /** Trainable parameters. */
  parameters: number;
  members?: { weight: number; predictor: PredictorDescription }[];
}

/** Files written by {@link Predictor.save}. */
export interface SavedModelFiles {
  dir: string;
  modelJson: string;
  weightsBin: string;
  weightsBytes: number;
  sha256: string;
}

/**
 * One interface over every model kind (replacing the legacy's three diverging predictor files): train on labelled
 * windows, predict class probabilities, persist through the rrr model files.
 */
export interface Predictor {
  readonly kind: PredictorKind;
  readonly lookback: number;
  readonly inputSize: number;
  /** Trains from scratch-initialised weights, with early stopping on a validation split from the end of the data. */
  fit(data: LabelledWindows, options?: FitOptions): Promise<FitReport>;
  /** One forecast per window; each window must hold at least `lookback` rows of `inputSize` features. */
  predict(windows: readonly FeatureWindow[]): ClassForecast[];
  /** Writes model.json + weights.bin into `dir`; `metadata` is stored verbatim next to the weights. */
  save(dir: string, metadata?: Record<string, unknown>): Promise<SavedModelFiles>;
  /**
   * Replaces this predictor's weights with those saved in `dir`. Fails with a ModelArtifactError naming the file and
   * the problem when the files are corrupt or were saved by a predictor of another kind, shape or configuration.
   * Returns the metadata stored with the weights.
   */
  load(dir: string): Promise<Record<string, unknown> | undefined>;
  describe(): PredictorDescription;
  /** Frees tensors; the predictor is unusable afterwards. */
  dispose(): void;
}
