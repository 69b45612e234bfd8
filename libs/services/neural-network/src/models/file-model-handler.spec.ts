import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticWindows } from '../testing/synthetic-windows';
import { FileModelHandler } from './file-model-handler';
import { LogisticRegressionPredictor } from './logistic-regression-predictor';
import { loadPredictor } from './create-predictor';
import { ModelArtifactError } from './model-artifact-error';

describe('FileModelHandler and corrupt model files', () => {
  let dir: string;
  let modelJson: string;
  let weightsBin: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-model-files-'));
    modelJson = join(dir, 'model.json');
    weightsBin = join(dir, 'weights.bin');
    const model = new LogisticRegressionPredictor(4);
    await model.fit(syntheticWindows({ samples: 100, features: 4, lookback: 1, seed: 1 }));
    await model.save(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const editJson = (edit: (json: Record<string, unknown>) => void) => {
    const json = JSON.parse(readFileSync(modelJson, 'utf8'));
    edit(json);
    writeFileSync(modelJson, JSON.stringify(json));
  };

  it('writes model.json (topology, weight specs, checksum) next to weights.bin', async () => {
    const json = JSON.parse(readFileSync(modelJson, 'utf8'));
    expect(json).toMatchObject({
      format: 'rrr-model',
      formatVersion: 1,
      modelTopology: { class_name: 'SoftmaxRegression', config: { inputSize: 4, classes: 3 } },
      weightSpecs: [
        { name: 'kernel', shape: [4, 3], dtype: 'float32' },
        { name: 'bias', shape: [3], dtype: 'float32' },
      ],
      weights: { path: 'weights.bin', byteLength: 60 },
      userDefinedMetadata: { predictor: { kind: 'logistic', inputSize: 4, lookback: 1 } },
    });
    expect(json.weights.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(weightsBin)).toHaveLength(60);
    const artifacts = await new FileModelHandler(dir).load();
    expect((artifacts.weightData as ArrayBuffer).byteLength).toBe(60);
  });

  it('reports a truncated weights file with its size and the declared one', async () => {
    truncateSync(weightsBin, 40);
    await expect(loadPredictor(dir)).rejects.toThrow(
      `${weightsBin}: is 40 bytes but model.json declares 60 (truncated or from another model)`,
    );
  });

  it('reports garbled weights as a checksum mismatch', async () => {
    const bytes = readFileSync(weightsBin);
    bytes[7] ^= 0xff;
    writeFileSync(weightsBin, bytes);
    const attempt = loadPredictor(dir);
    await expect(attempt).rejects.toThrow(ModelArtifactError);
    await expect(loadPredictor(dir)).rejects.toThrow(
      new RegExp(`^${weightsBin}: checksum mismatch: sha256 is [0-9a-f]{64}, model.json records`),
    );
  });

  it('reports bad JSON, a missing model and a missing weights file', async () => {
    writeFileSync(modelJson, '{"format": "rrr-model", ');
    await expect(loadPredictor(dir)).rejects.toThrow(new RegExp(`^${modelJson}: is not valid JSON: `));
    rmSync(modelJson);
    await expect(loadPredictor(dir)).rejects.toThrow(`${modelJson}: does not exist (no model saved in this directory)`);
    const other = mkdtempSync(join(tmpdir(), 'rrr-model-files-'));
    try {
      await new LogisticRegressionPredictor(4).save(other);
      rmSync(join(other, 'weights.bin'));
      await expect(new LogisticRegressionPredictor(4).load(other)).rejects.toThrow(
        `${join(other, 'weights.bin')}: does not exist (model.json refers to it)`,
      );
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('refuses another format, another format version and specs that disagree with the byte count', async () => {
    editJson((j) => (j.formatVersion = 2));
    await expect(loadPredictor(dir)).rejects.toThrow(
      `${modelJson}: format version 2 is not supported (this build reads version 1)`,
    );
    editJson((j) => {
      j.formatVersion = 1;
      j.format = 'keras';
    });
    await expect(loadPredictor(dir)).rejects.toThrow('format is "keras", expected "rrr-model" (not an rrr model file)');
    editJson((j) => {
      j.format = 'rrr-model';
      (j.weightSpecs as { shape: number[] }[])[0].shape = [5, 3];
    });
    await expect(loadPredictor(dir)).rejects.toThrow('weightSpecs describe 72 bytes but weights.byteLength is 60');
    editJson((j) => ((j.weights as { path: string }).path = '../../etc/passwd'));
    await expect(loadPredictor(dir)).rejects.toThrow('weights.path must be "weights.bin"');
  });

  it('refuses a file saved by a predictor of another shape', async () => {
    await expect(new LogisticRegressionPredictor(5).load(dir)).rejects.toThrow(
      `${modelJson}: was trained on 4 features per row; this predictor takes 5`,
    );
  });
});
