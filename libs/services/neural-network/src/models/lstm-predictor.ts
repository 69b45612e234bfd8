import * as tf from '@tensorflow/tfjs';
import { CLASS_COUNT } from '../features/labels';
import { HyperparameterReader } from './hyperparameter-reader';
import type { PredictorDescription } from './predictor';
import {
  readTfTrainingHyperparameters,
  TfLayersPredictor,
  type TfTrainingHyperparameters,
} from './tf-layers-predictor';

/**
 * Gate activation. 'sigmoid' (Keras's default since TF 2) is one kernel per gate; tfjs's own default, the
 * piecewise-linear 'hardSigmoid', is three (multiply, add, clip) plus their gradients — ~27 % more kernels per
 * training batch, which is what an LSTM step's cost is made of at our sizes. Models saved before this option existed
 * used 'hardSigmoid' and load as such.
 */
export const LSTM_RECURRENT_ACTIVATIONS = ['sigmoid', 'hardSigmoid'] as const;
export type LstmRecurrentActivation = (typeof LSTM_RECURRENT_ACTIVATIONS)[number];

export interface LstmHyperparameters extends TfTrainingHyperparameters {
  /** Feature rows per input sequence. */
  lookback: number;
  units: number;
  recurrentActivation: LstmRecurrentActivation;
}

export const LSTM_DEFAULTS: Readonly<LstmHyperparameters> = Object.freeze({
  lookback: 10,
  units: 16,
  recurrentActivation: 'sigmoid',
  learningRate: 2e-3,
  batchSize: 64,
  maxEpochs: 30,
  patience: 5,
  seed: 42,
});

export function resolveLstmHyperparameters(input: unknown): LstmHyperparameters {
  const r = new HyperparameterReader('lstm', input);
  const d = LSTM_DEFAULTS;
  const h: LstmHyperparameters = {
    lookback: r.integer('lookback', d.lookback, 1, 1000),
    units: r.integer('units', d.units, 1, 1024),
    recurrentActivation: r.choice('recurrentActivation', d.recurrentActivation, LSTM_RECURRENT_ACTIVATIONS),
    ...readTfTrainingHyperparameters(r, d),
  };
  r.done();
  return h;
}

/** One LSTM layer over the last `lookback` feature rows, then softmax over down/flat/up. */
export class LstmPredictor extends TfLayersPredictor {
  readonly kind = 'lstm' as const;

  constructor(
    inputSize: number,
    readonly hyperparameters: LstmHyperparameters = { ...LSTM_DEFAULTS },
  ) {
    super(inputSize, hyperparameters.lookback, hyperparameters);
    this.model = this.buildModel();
  }

  protected override inputShape(n: number): number[] {
    return [n, this.lookback, this.inputSize];
  }

  protected buildModel(): tf.LayersModel {
    const h = this.hyperparameters;
    const model = tf.sequential({ name: 'lstm' });
    model.add(
      tf.layers.lstm({
        name: 'lstm',
        units: h.units,
        recurrentActivation: h.recurrentActivation,
        inputShape: [h.lookback, this.inputSize],
        kernelInitializer: tf.initializers.glorotUniform({ seed: h.seed }),
        recurrentInitializer: tf.initializers.orthogonal({ seed: h.seed + 1 }),
      }),
    );
    model.add(
      tf.layers.dense({
        name: 'output',
        units: CLASS_COUNT,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: h.seed + 2 }),
      }),
    );
    model.compile({ optimizer: tf.train.adam(h.learningRate), loss: 'categoricalCrossentropy' });
    return model;
  }

  describe(): PredictorDescription {
    return {
      kind: this.kind,
      lookback: this.lookback,
      inputSize: this.inputSize,
      hyperparameters: { ...this.hyperparameters },
      parameters: this.parameterCount(),
    };
  }
}
