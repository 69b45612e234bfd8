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
import { HyperparameterReader } from './hyperparameter-reader';
import type {
  ClassForecast,
  FeatureWindow,
  FitOptions,
  FitReport,
  LabelledWindows,
  PredictorDescription,
} from './predictor';

export interface LogisticRegressionHyperparameters {
  learningRate: number;
  /** L2 penalty on the weights (not the biases). */
  l2: number;
  maxEpochs: number;
  patience: number;
}

export const LOGISTIC_REGRESSION_DEFAULTS: Readonly<LogisticRegressionHyperparameters> = Object.freeze({
  learningRate: 0.05,
  l2: 1e-3,
  maxEpochs: 300,
  patience: 20,
});

export function resolveLogisticRegressionHyperparameters(input: unknown): LogisticRegressionHyperparameters {
  const r = new HyperparameterReader('logistic', input);
  const d = LOGISTIC_REGRESSION_DEFAULTS;
  const h = {
    learningRate: r.number('learningRate', d.learningRate, 0, 10, true),
    l2: r.number('l2', d.l2, 0, 10),
    maxEpochs: r.integer('maxEpochs', d.maxEpochs, 1, 100_000),
    patience: r.integer('patience', d.patience, 1, 100_000),
  };
  r.done();
  return h;
}

const ADAM_BETA1 = 0.9;
const ADAM_BETA2 = 0.999;
const ADAM_EPSILON = 1e-8;

/**
 * Multinomial logistic regression (softmax over down/flat/up) on the newest feature row, in plain TypeScript: the
 * baseline every network has to beat, trained by full-batch Adam with early stopping. Deterministic (zero
 * initialisation, no sampling). Weights are rounded to float32 after training, so a saved model predicts exactly
 * what the trained one did.
 */
export class LogisticRegressionPredictor extends BasePredictor {
  readonly kind = 'logistic' as const;
  readonly lookback = 1;
  private kernel: Float32Array;
  private bias: Float32Array;

  constructor(
    readonly inputSize: number,
    readonly hyperparameters: LogisticRegressionHyperparameters = { ...LOGISTIC_REGRESSION_DEFAULTS },
  ) {
    super();
    this.kernel = new Float32Array(inputSize * CLASS_COUNT);
    this.bias = new Float32Array(CLASS_COUNT);
  }

  private static probabilities(
    x: ArrayLike<number>,
    offset: number,
    width: number,
    w: ArrayLike<number>,
    b: ArrayLike<number>,
    out: Float64Array,
  ): void {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < CLASS_COUNT; c += 1) {
      let z = b[c];
      for (let j = 0; j < width; j += 1) z += x[offset + j] * w[j * CLASS_COUNT + c];
      out[c] = z;
      if (z > max) max = z;
    }
    let sum = 0;
    for (let c = 0; c < CLASS_COUNT; c += 1) {
      out[c] = Math.exp(out[c] - max);
      sum += out[c];
    }
    for (let c = 0; c < CLASS_COUNT; c += 1) out[c] /= sum;
  }

  async fit(data: LabelledWindows, options: FitOptions = {}): Promise<FitReport> {
    assertTrainingData(data, 1, this.inputSize);
    const { windows, labels } = data;
    const h = this.hyperparameters;
    const F = this.inputSize;
    const split = splitForValidation(windows.length, options.validationFraction ?? 0.15, options.gap ?? 0);
    const x = new Float64Array(windows.length * F);
    windows.forEach((w, i) => x.set(w[w.length - 1], i * F));
    const n = split.trainEnd;
    const validationLabels = labels.slice(split.validationStart);

    const w = new Float64Array(F * CLASS_COUNT);
    const b = new Float64Array(CLASS_COUNT);
    const m = { w: new Float64Array(w.length), b: new Float64Array(CLASS_COUNT) };
    const v = { w: new Float64Array(w.length), b: new Float64Array(CLASS_COUNT) };
    const best = { w: new Float64Array(w.length), b: new Float64Array(CLASS_COUNT) };
    const p = new Float64Array(CLASS_COUNT);
    let step = 0;

    const result = await runEarlyStopping({
      maxEpochs: h.maxEpochs,
      patience: h.patience,
      onEpoch: options.onEpoch,
      runEpoch: async () => {
        const gw = new Float64Array(w.length);
        const gb = new Float64Array(CLASS_COUNT);
        let loss = 0;
        for (let i = 0; i < n; i += 1) {
          LogisticRegressionPredictor.probabilities(x, i * F, F, w, b, p);
          loss -= Math.log(Math.max(p[labels[i]], 1e-12));
          for (let c = 0; c < CLASS_COUNT; c += 1) {
            const diff = p[c] - (labels[i] === c ? 1 : 0);
            gb[c] += diff;
            for (let j = 0; j < F; j += 1) gw[j * CLASS_COUNT + c] += x[i * F + j] * diff;
          }
        }
        step += 1;
        const lr = (h.learningRate * Math.sqrt(1 - ADAM_BETA2 ** step)) / (1 - ADAM_BETA1 ** step);
        const update = (param: Float64Array, grad: Float64Array, mm: Float64Array, vv: Float64Array, l2: number) => {
          for (let k = 0; k < param.length; k += 1) {
            const g = grad[k] / n + l2 * param[k];
            mm[k] = ADAM_BETA1 * mm[k] + (1 - ADAM_BETA1) * g;
            vv[k] = ADAM_BETA2 * vv[k] + (1 - ADAM_BETA2) * g * g;
            param[k] -= (lr * mm[k]) / (Math.sqrt(vv[k]) + ADAM_EPSILON);
          }
        };
        update(w, gw, m.w, v.w, h.l2);
        update(b, gb, m.b, v.b, 0);
        return loss / n;
      },
      validationLoss: () => {
        if (validationLabels.length === 0) return Number.NaN;
        const probs = new Float64Array(validationLabels.length * CLASS_COUNT);
        for (let i = 0; i < validationLabels.length; i += 1) {
          LogisticRegressionPredictor.probabilities(x, (split.validationStart + i) * F, F, w, b, p);
          probs.set(p, i * CLASS_COUNT);
        }
        return meanLogLoss(probs, validationLabels);
      },
      keepBest: () => {
        best.w.set(w);
        best.b.set(b);
      },
      restoreBest: () => {
        w.set(best.w);
        b.set(best.b);
      },
    });
    this.kernel = Float32Array.from(w);
    this.bias = Float32Array.from(b);
    return { ...result, trainSamples: n, validationSamples: validationLabels.length };
  }

  predict(windows: readonly FeatureWindow[]): ClassForecast[] {
    assertWindows(windows, 1, this.inputSize, 'prediction input');
    const p = new Float64Array(CLASS_COUNT);
    return windows.map((window) => {
      LogisticRegressionPredictor.probabilities(
        window[window.length - 1],
        0,
        this.inputSize,
        this.kernel,
        this.bias,
        p,
      );
      return forecastFromProbabilities(p[0], p[1], p[2]);
    });
  }

  describe(): PredictorDescription {
    return {
      kind: this.kind,
      lookback: this.lookback,
      inputSize: this.inputSize,
      hyperparameters: { ...this.hyperparameters },
      parameters: this.kernel.length + this.bias.length,
    };
  }

  dispose(): void {
    // Plain arrays: nothing to free.
  }

  private weightShapes() {
    return [
      { name: 'kernel', shape: [this.inputSize, CLASS_COUNT] },
      { name: 'bias', shape: [CLASS_COUNT] },
    ];
  }

  async exportArtifacts(): Promise<PredictorArtifacts> {
    const data = new Float32Array(this.kernel.length + this.bias.length);
    data.set(this.kernel);
    data.set(this.bias, this.kernel.length);
    return {
      topology: { class_name: 'SoftmaxRegression', config: { inputSize: this.inputSize, classes: CLASS_COUNT } },
      weightSpecs: this.weightShapes().map((s) => ({ name: s.name, shape: [...s.shape], dtype: 'float32' as const })),
      weightData: data.buffer,
    };
  }

  async importArtifacts(artifacts: PredictorArtifacts, file: string): Promise<void> {
    assertWeightShapes(this.kind, this.weightShapes(), artifacts.weightSpecs, file);
    const data = new Float32Array(artifacts.weightData);
    this.kernel = data.slice(0, this.kernel.length);
    this.bias = data.slice(this.kernel.length, this.kernel.length + CLASS_COUNT);
  }
}
