import { join } from 'node:path';
import { ValidationError } from '@rrr/core';
import { FEATURE_SET, type FeatureSetDescriptor } from '../features/feature-set';
import { FeatureScaler, type FeatureScalerState } from '../features/feature-scaler';
import { createLabelSpec, type LabelSpec } from '../features/labels';
import { loadPredictor } from './create-predictor';
import { MODEL_JSON_FILE } from './file-model-handler';
import { ModelArtifactError } from './model-artifact-error';
import type { Predictor, SavedModelFiles } from './predictor';
import type { TfBackendName } from './tf-backend';

/** Everything besides the weights that inference needs, stored in model.json next to them. */
export interface TrainedModelMetadata {
  name: string;
  version: number;
  symbol: string;
  label: LabelSpec;
  featureSet: FeatureSetDescriptor;
  /**
   * The columns of the feature set the model reads, in feature-set order; absent means all of them (models saved
   * before subsets existed). A loaded model always has it.
   */
  features?: readonly string[];
  scaler: FeatureScalerState;
  /** Open time of the first and last bar the model was trained on (epoch ms). */
  trainedFrom: number;
  trainedTo: number;
}

/** A predictor with the scaler and label definition it was trained with: what the registry stores and serves. */
export interface TrainedModel {
  /** `name@version`, the Prediction.model of its forecasts. */
  readonly id: string;
  readonly predictor: Predictor;
  readonly scaler: FeatureScaler;
  readonly metadata: TrainedModelMetadata;
}

export function modelId(name: string, version: number): string {
  return `${name}@${version}`;
}

export function createTrainedModel(
  predictor: Predictor,
  scaler: FeatureScaler,
  metadata: TrainedModelMetadata,
): TrainedModel {
  return { id: modelId(metadata.name, metadata.version), predictor, scaler, metadata };
}

export function saveTrainedModel(model: TrainedModel, dir: string): Promise<SavedModelFiles> {
  return model.predictor.save(dir, { ...model.metadata });
}

export interface LoadTrainedModelExpectations {
  /** The registry's name and version for this directory; a file holding another model is refused. */
  name?: string;
  version?: number;
  /** The feature set this build computes (default FEATURE_SET); a model trained on another is refused. */
  featureSet?: FeatureSetDescriptor;
  backend?: TfBackendName;
}

/**
 * The trained model saved in `dir`. Refuses — with a ModelArtifactError naming model.json and the problem — corrupt
 * files, a model trained on another feature set, a scaler that does not fit the predictor, or a name/version other
 * than the one expected.
 */
export async function loadTrainedModel(dir: string, expect: LoadTrainedModelExpectations = {}): Promise<TrainedModel> {
  const file = join(dir, MODEL_JSON_FILE);
  const { predictor, metadata } = await loadPredictor(dir, { backend: expect.backend });
  try {
    const m = metadata as Partial<TrainedModelMetadata> | undefined;
    if (m === undefined || typeof m !== 'object') {
      throw new ModelArtifactError(
        file,
        'userDefinedMetadata.model is missing (a bare predictor, not a trained model)',
      );
    }
    if (typeof m.name !== 'string' || !Number.isInteger(m.version) || typeof m.symbol !== 'string') {
      throw new ModelArtifactError(file, 'model metadata needs a name, an integer version and a symbol');
    }
    if (
      (expect.name !== undefined && m.name !== expect.name) ||
      (expect.version !== undefined && m.version !== expect.version)
    ) {
      throw new ModelArtifactError(
        file,
        `holds ${modelId(m.name, m.version as number)}, but ${modelId(expect.name ?? m.name, expect.version ?? (m.version as number))} was expected here`,
      );
    }
    const wanted = expect.featureSet ?? FEATURE_SET;
    const stored = m.featureSet;
    if (stored === undefined || stored.hash !== wanted.hash) {
      const describe = (f: Partial<FeatureSetDescriptor> | undefined) =>
        f === undefined
          ? 'no feature set'
          : `${f.id} v${f.version} (${f.names?.length ?? '?'} features, hash ${String(f.hash).slice(0, 12)})`;
      throw new ModelArtifactError(
        file,
        `was trained on feature set ${describe(stored)}; this build computes ${describe(wanted)}`,
      );
    }
    const features = storedFeatures(m.features, wanted, file);
    let scaler: FeatureScaler;
    let label: LabelSpec;
    try {
      scaler = FeatureScaler.fromJSON(m.scaler, 'scaler');
      label = createLabelSpec(m.label ?? ({} as LabelSpec));
    } catch (err) {
      if (err instanceof ValidationError) throw new ModelArtifactError(file, `model metadata: ${err.message}`);
      throw err;
    }
    if (scaler.width !== predictor.inputSize || scaler.width !== features.length) {
      throw new ModelArtifactError(
        file,
        `scaler has ${scaler.width} columns, the predictor takes ${predictor.inputSize} and the model reads ${features.length} features`,
      );
    }
    if (!Number.isFinite(m.trainedFrom) || !Number.isFinite(m.trainedTo)) {
      throw new ModelArtifactError(file, 'model metadata needs trainedFrom and trainedTo (epoch ms)');
    }
    return createTrainedModel(predictor, scaler, { ...(m as TrainedModelMetadata), label, features });
  } catch (err) {
    predictor.dispose();
    throw err;
  }
}

/**
 * The stored feature subset, checked against the feature set this build computes: every name known and in the
 * set's column order (the columns are picked by name from rows in that order). Absent means the whole set.
 */
function storedFeatures(stored: unknown, featureSet: FeatureSetDescriptor, file: string): string[] {
  if (stored === undefined) return [...featureSet.names];
  if (!Array.isArray(stored) || stored.length === 0 || stored.some((name) => typeof name !== 'string')) {
    throw new ModelArtifactError(file, 'model metadata features must be a non-empty list of feature names');
  }
  const names = stored as string[];
  const unknown = names.filter((name) => !featureSet.names.includes(name));
  if (unknown.length > 0) {
    throw new ModelArtifactError(
      file,
      `was trained on features ${unknown.join(', ')}, which feature set ${featureSet.id} v${featureSet.version} does not compute`,
    );
  }
  const positions = names.map((name) => featureSet.names.indexOf(name));
  const outOfOrder = positions.findIndex((p, i) => i > 0 && p <= positions[i - 1]);
  if (outOfOrder > 0) {
    throw new ModelArtifactError(
      file,
      `model metadata features must follow the feature set's column order without repeats: ${names[outOfOrder]} comes after ${names[outOfOrder - 1]}`,
    );
  }
  return names;
}
