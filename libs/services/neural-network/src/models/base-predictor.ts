import type * as tf from '@tensorflow/tfjs';
import { ValidationError } from '@rrr/core';
import { FileModelHandler } from './file-model-handler';
import { ModelArtifactError } from './model-artifact-error';
import {
  PREDICTOR_KINDS,
  type ClassForecast,
  type FeatureWindow,
  type FitOptions,
  type FitReport,
  type LabelledWindows,
  type Predictor,
  type PredictorDescription,
  type PredictorKind,
  type SavedModelFiles,
} from './predictor';

/** What a predictor persists: a JSON topology and float32 weights described by specs, in order. */
export interface PredictorArtifacts {
  topology: Record<string, unknown>;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weightData: ArrayBuffer;
}

export interface WeightShape {
  name: string;
  shape: readonly number[];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Throws a ModelArtifactError naming the first stored weight whose count or shape differs from `expected`. */
export function assertWeightShapes(
  kind: PredictorKind,
  expected: readonly WeightShape[],
  specs: readonly tf.io.WeightsManifestEntry[],
  file: string,
): void {
  if (expected.length !== specs.length) {
    throw new ModelArtifactError(
      file,
      `holds ${specs.length} weight tensors; this ${kind} predictor has ${expected.length}`,
    );
  }
  specs.forEach((spec, i) => {
    if (!sameShape(spec.shape, expected[i].shape)) {
      throw new ModelArtifactError(
        file,
        `weight ${i} (${spec.name}) has shape [${spec.shape.join(', ')}]; this ${kind} predictor expects [${expected[i].shape.join(', ')}] for ${expected[i].name}`,
      );
    }
  });
}

/** The predictor description stored in a model.json, checked enough to rebuild the predictor from it. */
export function storedPredictorDescription(metadata: unknown, file: string): PredictorDescription {
  const stored = (metadata as { predictor?: Partial<PredictorDescription> } | undefined)?.predictor;
  if (typeof stored !== 'object' || stored === null) {
    throw new ModelArtifactError(file, 'userDefinedMetadata.predictor is missing (not saved by a Predictor)');
  }
  if (!PREDICTOR_KINDS.includes(stored.kind as PredictorKind)) {
    throw new ModelArtifactError(
      file,
      `predictor kind ${JSON.stringify(stored.kind)} is not one of ${PREDICTOR_KINDS.join(', ')}`,
    );
  }
  for (const field of ['lookback', 'inputSize'] as const) {
    if (!Number.isInteger(stored[field]) || (stored[field] as number) < 1) {
      throw new ModelArtifactError(
        file,
        `predictor.${field} must be a positive integer (got ${JSON.stringify(stored[field])})`,
      );
    }
  }
  if (typeof stored.hyperparameters !== 'object' || stored.hyperparameters === null) {
    throw new ModelArtifactError(file, 'predictor.hyperparameters must be an object');
  }
  return stored as PredictorDescription;
}

/** Checks that windows are wide and long enough for a predictor before any tensor is built. */
export function assertWindows(
  windows: readonly FeatureWindow[],
  lookback: number,
  inputSize: number,
  subject: string,
): void {
  for (let i = 0; i < windows.length; i += 1) {
    const w = windows[i];
    if (w.length < lookback) {
      throw new ValidationError(subject, [
        { field: `windows[${i}]`, message: `has ${w.length} rows; needs at least ${lookback}` },
      ]);
    }
    for (let r = w.length - lookback; r < w.length; r += 1) {
      if (w[r].length !== inputSize) {
        throw new ValidationError(subject, [
          { field: `windows[${i}][${r}]`, message: `has ${w[r].length} features; this predictor takes ${inputSize}` },
        ]);
      }
    }
  }
}

/** Checks training data before any work: one label per window, and windows fit for the predictor. */
export function assertTrainingData(data: LabelledWindows, lookback: number, inputSize: number): void {
  if (data.windows.length !== data.labels.length) {
    throw new ValidationError('training data', [
      { field: 'labels', message: `${data.labels.length} labels for ${data.windows.length} windows` },
    ]);
  }
  assertWindows(data.windows, lookback, inputSize, 'training data');
}

/** save/load over the rrr model files for every predictor kind; kinds supply their artifacts. */
export abstract class BasePredictor implements Predictor {
  abstract readonly kind: PredictorKind;
  abstract readonly lookback: number;
  abstract readonly inputSize: number;
  abstract fit(data: LabelledWindows, options?: FitOptions): Promise<FitReport>;
  abstract predict(windows: readonly FeatureWindow[]): ClassForecast[];
  abstract describe(): PredictorDescription;
  abstract dispose(): void;
  /** Current weights and the topology needed to read them. */
  abstract exportArtifacts(): Promise<PredictorArtifacts>;
  /** Adopts stored weights; throws ModelArtifactError (naming `file`) when they do not fit this predictor. */
  abstract importArtifacts(artifacts: PredictorArtifacts, file: string): Promise<void>;

  async save(dir: string, metadata?: Record<string, unknown>): Promise<SavedModelFiles> {
    const artifacts = await this.exportArtifacts();
    const handler = new FileModelHandler(dir);
    await handler.save({
      modelTopology: artifacts.topology,
      weightSpecs: artifacts.weightSpecs,
      weightData: artifacts.weightData,
      userDefinedMetadata: {
        predictor: this.describe() as unknown as object,
        ...(metadata === undefined ? {} : { model: metadata }),
      },
    });
    const json = await handler.readModelJson();
    return {
      dir,
      modelJson: handler.modelJsonPath,
      weightsBin: handler.weightsPath,
      weightsBytes: json.weights.byteLength,
      sha256: json.weights.sha256,
    };
  }

  async load(dir: string): Promise<Record<string, unknown> | undefined> {
    const handler = new FileModelHandler(dir);
    const artifacts = await handler.load();
    const file = handler.modelJsonPath;
    const stored = storedPredictorDescription(artifacts.userDefinedMetadata, file);
    if (stored.kind !== this.kind) {
      throw new ModelArtifactError(
        file,
        `holds a ${stored.kind} predictor; cannot load it into a ${this.kind} predictor`,
      );
    }
    if (stored.inputSize !== this.inputSize) {
      throw new ModelArtifactError(
        file,
        `was trained on ${stored.inputSize} features per row; this predictor takes ${this.inputSize}`,
      );
    }
    if (stored.lookback !== this.lookback) {
      throw new ModelArtifactError(
        file,
        `reads windows of ${stored.lookback} rows; this predictor reads ${this.lookback}`,
      );
    }
    await this.importArtifacts(
      {
        topology: artifacts.modelTopology as Record<string, unknown>,
        weightSpecs: artifacts.weightSpecs ?? [],
        weightData: artifacts.weightData as ArrayBuffer,
      },
      file,
    );
    return (artifacts.userDefinedMetadata as { model?: Record<string, unknown> } | undefined)?.model;
  }
}
