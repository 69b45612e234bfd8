import * as tf from '@tensorflow/tfjs';
import { CLASS_COUNT } from '../features/labels';
import { meanLogLoss } from '../training/classification-metrics';
import {
  assertTrainingData,
  assertWeightShapes,
  assertWindows,
  BasePredictor,
  type PredictorArtifacts,
} from './base-predictor';
import { forecastFromProbabilities } from './class-forecast';
import { runEarlyStopping, splitForValidation } from './early-stopping';
import type { HyperparameterReader } from './hyperparameter-reader';
import { ModelArtifactError } from './model-artifact-error';
import type { ClassForecast, FeatureWindow, FitOptions, FitReport, LabelledWindows } from './predictor';
import { createSeededRandom, seededShuffle } from './seeded-random';

/** Optimisation settings shared by the tfjs networks. */
export interface TfTrainingHyperparameters {
  learningRate: number;
  batchSize: number;
  maxEpochs: number;
  patience: number;
  /** Seeds the weight initialisers and the mini-batch shuffle. */
  seed: number;
}

/** Reads the optimisation settings every tfjs network shares, with the same bounds for each. */
export function readTfTrainingHyperparameters(
  r: HyperparameterReader,
  defaults: Readonly<TfTrainingHyperparameters>,
): TfTrainingHyperparameters {
  return {
    learningRate: r.number('learningRate', defaults.learningRate, 0, 10, true),
    batchSize: r.integer('batchSize', defaults.batchSize, 1, 1_000_000),
    maxEpochs: r.integer('maxEpochs', defaults.maxEpochs, 1, 100_000),
    patience: r.integer('patience', defaults.patience, 1, 100_000),
    seed: r.integer('seed', defaults.seed, 0, 2 ** 31 - 1),
  };
}

/**
 * Training, inference and persistence for tfjs layers models (MLP, LSTM). `fit` rebuilds the network from its seeded
 * initialisers, shuffles mini-batches with a seeded generator and uses no dropout (tfjs reuses one mask per seed), so
 * a seed reproduces a run exactly on one backend.
 */
export abstract class TfLayersPredictor extends BasePredictor {
  /** Assigned by the subclass constructor (buildModel needs the subclass's own hyperparameters). */
  protected model!: tf.LayersModel;

  protected constructor(
    readonly inputSize: number,
    readonly lookback: number,
    protected readonly training: TfTrainingHyperparameters,
  ) {
    super();
  }

  /** A freshly initialised, compiled network. */
  protected abstract buildModel(): tf.LayersModel;

  /** Shape of the input tensor for `n` samples. */
  protected inputShape(n: number): number[] {
    return this.lookback === 1 ? [n, this.inputSize] : [n, this.lookback, this.inputSize];
  }

  /** The newest `lookback` rows of every window, as one float32 tensor. */
  protected toInput(windows: readonly FeatureWindow[]): tf.Tensor {
    const F = this.inputSize;
    const L = this.lookback;
    const data = new Float32Array(windows.length * L * F);
    windows.forEach((w, i) => {
      const first = w.length - L;
      for (let r = 0; r < L; r += 1) data.set(w[first + r], (i * L + r) * F);
    });
    return tf.tensor(data, this.inputShape(windows.length), 'float32');
  }

  private probabilities(x: tf.Tensor): Float32Array {
    return tf.tidy(() => (this.model.predict(x) as tf.Tensor).dataSync() as Float32Array);
  }

  async fit(data: LabelledWindows, options: FitOptions = {}): Promise<FitReport> {
    assertTrainingData(data, this.lookback, this.inputSize);
    const { windows, labels } = data;
    const h = this.training;
    const split = splitForValidation(windows.length, options.validationFraction ?? 0.15, options.gap ?? 0);
    this.model.dispose();
    this.model = this.buildModel();

    const x = this.toInput(windows);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels as number[], 'int32'), CLASS_COUNT).toFloat());
    const validationLabels = labels.slice(split.validationStart);
    const xValidation = validationLabels.length === 0 ? undefined : tf.tidy(() => x.slice(split.validationStart));
    const random = createSeededRandom(h.seed);
    const trainIndices = Array.from({ length: split.trainEnd }, (_, i) => i);
    let best: tf.Tensor[] | undefined;
    try {
      const result = await runEarlyStopping({
        maxEpochs: h.maxEpochs,
        patience: h.patience,
        onEpoch: options.onEpoch,
        runEpoch: async () => {
          const order = seededShuffle(trainIndices, random);
          let lossSum = 0;
          for (let start = 0; start < order.length; start += h.batchSize) {
            const batch = order.slice(start, start + h.batchSize);
            const [xb, yb] = tf.tidy(() => {
              const idx = tf.tensor1d(batch, 'int32');
              return [tf.gather(x, idx), tf.gather(y, idx)];
            });
            const loss = await this.model.trainOnBatch(xb, yb);
            xb.dispose();
            yb.dispose();
            lossSum += (Array.isArray(loss) ? loss[0] : loss) * batch.length;
          }
          return lossSum / order.length;
        },
        validationLoss: () =>
          xValidation === undefined ? Number.NaN : meanLogLoss(this.probabilities(xValidation), validationLabels),
        keepBest: () => {
          best?.forEach((t) => t.dispose());
          best = this.model.getWeights().map((t) => t.clone());
        },
        restoreBest: () => {
          if (best !== undefined) this.model.setWeights(best);
        },
      });
      return { ...result, trainSamples: split.trainEnd, validationSamples: validationLabels.length };
    } finally {
      best?.forEach((t) => t.dispose());
      x.dispose();
      y.dispose();
      xValidation?.dispose();
    }
  }

  predict(windows: readonly FeatureWindow[]): ClassForecast[] {
    assertWindows(windows, this.lookback, this.inputSize, 'prediction input');
    if (windows.length === 0) return [];
    const x = this.toInput(windows);
    try {
      const p = this.probabilities(x);
      return windows.map((_, i) => forecastFromProbabilities(p[i * 3], p[i * 3 + 1], p[i * 3 + 2]));
    } finally {
      x.dispose();
    }
  }

  protected parameterCount(): number {
    return this.model.countParams();
  }

  dispose(): void {
    this.model.dispose();
  }

  async exportArtifacts(): Promise<PredictorArtifacts> {
    let captured: tf.io.ModelArtifacts | undefined;
    await this.model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        captured = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (captured?.weightSpecs === undefined || captured.modelTopology === undefined) {
      throw new ModelArtifactError('(in memory)', 'tfjs produced no topology or weight specs');
    }
    return {
      topology: captured.modelTopology as Record<string, unknown>,
      weightSpecs: captured.weightSpecs,
      weightData: tf.io.concatenateArrayBuffers(captured.weightData ?? new ArrayBuffer(0)),
    };
  }

  async importArtifacts(artifacts: PredictorArtifacts, file: string): Promise<void> {
    // Weights are matched by position and shape, not by name: tfjs suffixes layer names (`dense_1`) per process.
    const expected = this.model.weights.map((w) => ({ name: w.originalName, shape: w.shape.map((d) => d ?? -1) }));
    assertWeightShapes(this.kind, expected, artifacts.weightSpecs, file);
    const named = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
    const tensors = artifacts.weightSpecs.map((spec) => named[spec.name]);
    try {
      this.model.setWeights(tensors);
    } finally {
      tensors.forEach((t) => t.dispose());
    }
  }
}
