import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorMessage } from '@rrr/core';
import * as tf from '@tensorflow/tfjs';
import { ModelArtifactError } from './model-artifact-error';

export const MODEL_FILE_FORMAT = 'rrr-model';
export const MODEL_FORMAT_VERSION = 1;
export const MODEL_JSON_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';

const BYTES_PER_FLOAT32 = 4;

/** The content of model.json. */
export interface ModelJson {
  format: typeof MODEL_FILE_FORMAT;
  formatVersion: number;
  generatedBy: string;
  modelTopology: Record<string, unknown>;
  weightSpecs: tf.io.WeightsManifestEntry[];
  weights: { path: string; byteLength: number; sha256: string };
  userDefinedMetadata?: Record<string, unknown>;
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function specBytes(spec: tf.io.WeightsManifestEntry): number {
  return spec.shape.reduce((a, b) => a * b, 1) * BYTES_PER_FLOAT32;
}

function errorCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null ? (err as { code?: string }).code : undefined;
}

async function writeAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}

/**
 * The rrr model files as a tfjs IOHandler (tfjs-node and its file:// handler cannot be installed here):
 * `model.json` holds the topology, weight specs, a SHA-256 of the weights and free-form metadata; `weights.bin`
 * holds the float32 weights, concatenated in weightSpecs order, little-endian. `load` refuses — naming the file and
 * the problem — a missing file, bad JSON, another format or version, malformed specs, truncated or garbled weights.
 */
export class FileModelHandler implements tf.io.IOHandler {
  readonly modelJsonPath: string;
  readonly weightsPath: string;

  constructor(readonly dir: string) {
    this.modelJsonPath = join(dir, MODEL_JSON_FILE);
    this.weightsPath = join(dir, WEIGHTS_FILE);
  }

  async save(artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> {
    const topology = artifacts.modelTopology;
    if (topology === undefined || topology instanceof ArrayBuffer || artifacts.weightSpecs === undefined) {
      throw new ModelArtifactError(
        this.modelJsonPath,
        'cannot save: the artifacts need a JSON topology and weight specs',
      );
    }
    const bad = artifacts.weightSpecs.find((s) => s.dtype !== 'float32' || s.quantization !== undefined);
    if (bad !== undefined) {
      throw new ModelArtifactError(
        this.modelJsonPath,
        `cannot save weight "${bad.name}": only unquantised float32 is stored`,
      );
    }
    const data = new Uint8Array(tf.io.concatenateArrayBuffers(artifacts.weightData ?? new ArrayBuffer(0)));
    const declared = artifacts.weightSpecs.reduce((sum, s) => sum + specBytes(s), 0);
    if (declared !== data.byteLength) {
      throw new ModelArtifactError(
        this.modelJsonPath,
        `cannot save: weight specs describe ${declared} bytes, weight data has ${data.byteLength}`,
      );
    }
    const json: ModelJson = {
      format: MODEL_FILE_FORMAT,
      formatVersion: MODEL_FORMAT_VERSION,
      generatedBy: '@rrr/neural-network',
      modelTopology: topology as Record<string, unknown>,
      weightSpecs: artifacts.weightSpecs.map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype })),
      weights: { path: WEIGHTS_FILE, byteLength: data.byteLength, sha256: sha256(data) },
      ...(artifacts.userDefinedMetadata === undefined ? {} : { userDefinedMetadata: artifacts.userDefinedMetadata }),
    };
    await mkdir(this.dir, { recursive: true });
    // Weights first: model.json is the commit point, so a crash never leaves it pointing at missing weights.
    await writeAtomically(this.weightsPath, data);
    await writeAtomically(this.modelJsonPath, `${JSON.stringify(json, null, 2)}\n`);
    return {
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        modelTopologyBytes: Buffer.byteLength(JSON.stringify(topology)),
        weightSpecsBytes: Buffer.byteLength(JSON.stringify(json.weightSpecs)),
        weightDataBytes: data.byteLength,
      },
    };
  }

  /** model.json, validated (no weights read). */
  async readModelJson(): Promise<ModelJson> {
    let text: string;
    try {
      text = await readFile(this.modelJsonPath, 'utf8');
    } catch (err) {
      const problem =
        errorCode(err) === 'ENOENT'
          ? 'does not exist (no model saved in this directory)'
          : `cannot be read: ${errorMessage(err)}`;
      throw new ModelArtifactError(this.modelJsonPath, problem);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new ModelArtifactError(this.modelJsonPath, `is not valid JSON: ${errorMessage(err)}`);
    }
    return this.validateModelJson(parsed);
  }

  private validateModelJson(value: unknown): ModelJson {
    const fail = (problem: string): never => {
      throw new ModelArtifactError(this.modelJsonPath, problem);
    };
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return fail('must hold a JSON object');
    const json = value as Partial<ModelJson>;
    if (json.format !== MODEL_FILE_FORMAT) {
      fail(`format is ${JSON.stringify(json.format)}, expected "${MODEL_FILE_FORMAT}" (not an rrr model file)`);
    }
    if (json.formatVersion !== MODEL_FORMAT_VERSION) {
      fail(
        `format version ${JSON.stringify(json.formatVersion)} is not supported (this build reads version ${MODEL_FORMAT_VERSION})`,
      );
    }
    if (typeof json.modelTopology !== 'object' || json.modelTopology === null) fail('modelTopology must be an object');
    if (!Array.isArray(json.weightSpecs)) return fail('weightSpecs must be an array');
    json.weightSpecs.forEach((spec, i) => {
      const s = spec as Partial<tf.io.WeightsManifestEntry>;
      if (typeof s.name !== 'string' || s.name === '') fail(`weightSpecs[${i}].name must be a non-empty string`);
      if (!Array.isArray(s.shape) || !s.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        fail(`weightSpecs[${i}] (${s.name}): shape must be an array of non-negative integers`);
      }
      if (s.dtype !== 'float32')
        fail(`weightSpecs[${i}] (${s.name}): dtype ${JSON.stringify(s.dtype)} is not supported (float32 only)`);
    });
    const w = json.weights;
    if (typeof w !== 'object' || w === null) return fail('weights must be an object with path, byteLength and sha256');
    if (w.path !== WEIGHTS_FILE) fail(`weights.path must be "${WEIGHTS_FILE}" (got ${JSON.stringify(w.path)})`);
    if (!Number.isInteger(w.byteLength) || w.byteLength < 0) fail('weights.byteLength must be a non-negative integer');
    if (typeof w.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(w.sha256)) fail('weights.sha256 must be 64 hex digits');
    const declared = json.weightSpecs.reduce((sum, s) => sum + specBytes(s), 0);
    if (declared !== w.byteLength) {
      fail(`weightSpecs describe ${declared} bytes but weights.byteLength is ${w.byteLength}`);
    }
    if (
      json.userDefinedMetadata !== undefined &&
      (typeof json.userDefinedMetadata !== 'object' || json.userDefinedMetadata === null)
    ) {
      fail('userDefinedMetadata must be an object');
    }
    return json as ModelJson;
  }

  async load(): Promise<tf.io.ModelArtifacts> {
    const json = await this.readModelJson();
    let bytes: Buffer;
    try {
      bytes = await readFile(this.weightsPath);
    } catch (err) {
      const problem =
        errorCode(err) === 'ENOENT'
          ? `does not exist (model.json refers to it)`
          : `cannot be read: ${errorMessage(err)}`;
      throw new ModelArtifactError(this.weightsPath, problem);
    }
    if (bytes.byteLength !== json.weights.byteLength) {
      throw new ModelArtifactError(
        this.weightsPath,
        `is ${bytes.byteLength} bytes but model.json declares ${json.weights.byteLength} (truncated or from another model)`,
      );
    }
    const digest = sha256(bytes);
    if (digest !== json.weights.sha256) {
      throw new ModelArtifactError(
        this.weightsPath,
        `checksum mismatch: sha256 is ${digest}, model.json records ${json.weights.sha256} (the weights are corrupt or were modified)`,
      );
    }
    const weightData = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    return {
      format: json.format,
      generatedBy: json.generatedBy,
      modelTopology: json.modelTopology,
      weightSpecs: json.weightSpecs,
      weightData,
      ...(json.userDefinedMetadata === undefined
        ? {}
        : { userDefinedMetadata: json.userDefinedMetadata as Record<string, object> }),
    };
  }
}
