import * as tf from '@tensorflow/tfjs';
import { CLASS_COUNT } from '../features/labels';
import { HyperparameterReader } from './hyperparameter-reader';
import type { PredictorDescription } from './predictor';
import {
  readTfTrainingHyperparameters,
  TfLayersPredictor,
  type TfTrainingHyperparameters,
} from './tf-layers-predictor';

export interface MlpHyperparameters extends TfTrainingHyperparameters {
  /** Units of each hidden ReLU layer, input side first. */
  hiddenUnits: number[];
  /** L2 penalty on the kernels. */
  l2: number;
}

export const MLP_DEFAULTS: Readonly<MlpHyperparameters> = Object.freeze({
  hiddenUnits: [32, 16],
  l2: 1e-4,
  learningRate: 1e-3,
  batchSize: 64,
  maxEpochs: 100,
  patience: 10,
  seed: 42,
});

export function resolveMlpHyperparameters(input: unknown): MlpHyperparameters {
  const r = new HyperparameterReader('mlp', input);
  const d = MLP_DEFAULTS;
  const h: MlpHyperparameters = {
    hiddenUnits: r.integerList('hiddenUnits', d.hiddenUnits, 1, 4096),
    l2: r.number('l2', d.l2, 0, 10),
    ...readTfTrainingHyperparameters(r, d),
  };
  r.done();
  return h;
}

/** Feed-forward network on the newest feature row: ReLU hidden layers, softmax over down/flat/up. */
export class MlpPredictor extends TfLayersPredictor {
  readonly kind = 'mlp' as const;

  constructor(
    inputSize: number,
    readonly hyperparameters: MlpHyperparameters = { ...MLP_DEFAULTS, hiddenUnits: [...MLP_DEFAULTS.hiddenUnits] },
  ) {
    super(inputSize, 1, hyperparameters);
    this.model = this.buildModel();
  }

  protected buildModel(): tf.LayersModel {
    const h = this.hyperparameters;
    const model = tf.sequential({ name: 'mlp' });
    h.hiddenUnits.forEach((units, i) => {
      model.add(
        tf.layers.dense({
          name: `hidden${i + 1}`,
          units,
          activation: 'relu',
          ...(i === 0 ? { inputShape: [this.inputSize] } : {}),
          kernelInitializer: tf.initializers.heNormal({ seed: h.seed + i }),
          kernelRegularizer: h.l2 > 0 ? tf.regularizers.l2({ l2: h.l2 }) : undefined,
        }),
      );
    });
    model.add(
      tf.layers.dense({
        name: 'output',
        units: CLASS_COUNT,
        activation: 'softmax',
        kernelInitializer: tf.initializers.glorotUniform({ seed: h.seed + h.hiddenUnits.length }),
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
      hyperparameters: { ...this.hyperparameters, hiddenUnits: [...this.hyperparameters.hiddenUnits] },
      parameters: this.parameterCount(),
    };
  }
}
