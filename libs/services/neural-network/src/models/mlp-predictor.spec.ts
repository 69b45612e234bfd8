import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { accuracyOf, syntheticWindows } from '../testing/synthetic-windows';
import { createPredictor, loadPredictor } from './create-predictor';
import { ModelArtifactError } from './model-artifact-error';

describe('MlpPredictor on the wasm backend', () => {
  const train = syntheticWindows({ samples: 600, features: 6, lookback: 1, seed: 3 });
  const test = syntheticWindows({ samples: 200, features: 6, lookback: 1, seed: 4 });
  const small = { hiddenUnits: [16], learningRate: 0.01, batchSize: 32, maxEpochs: 12, patience: 4 };
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rrr-mlp-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('trains on wasm and learns the rule', async () => {
    const model = await createPredictor({ kind: 'mlp', inputSize: 6, hyperparameters: { ...small, seed: 1 } });
    expect(tf.getBackend()).toBe('wasm');
    const report = await model.fit(train);
    expect(
      accuracyOf(
        model.predict(test.windows).map((f) => f.predicted),
        test.labels,
      ),
    ).toBeGreaterThan(0.8);
    expect(report.validationLoss).toBeLessThan(0.6);
    expect(model.describe()).toMatchObject({
      kind: 'mlp',
      lookback: 1,
      inputSize: 6,
      parameters: 6 * 16 + 16 + 16 * 3 + 3,
    });
    model.dispose();
  });

  it('reproduces a run exactly for the same seed, and differs for another seed', async () => {
    const run = async (seed: number) => {
      const model = await createPredictor({
        kind: 'mlp',
        inputSize: 6,
        hyperparameters: { ...small, maxEpochs: 3, seed },
      });
      await model.fit(train);
      const out = model.predict(test.windows.slice(0, 20));
      model.dispose();
      return out;
    };
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('saves through the file handler and loads back to identical predictions; leaks no tensors', async () => {
    const model = await createPredictor({
      kind: 'mlp',
      inputSize: 6,
      hyperparameters: { ...small, maxEpochs: 2, seed: 5 },
    });
    await model.fit(train);
    const before = tf.memory().numTensors;
    model.predict(test.windows);
    expect(tf.memory().numTensors).toBe(before);
    await model.save(dir, { symbol: 'SPX' });
    const loaded = await loadPredictor(dir);
    expect(loaded.metadata).toEqual({ symbol: 'SPX' });
    expect(loaded.predictor.describe()).toEqual(model.describe());
    expect(loaded.predictor.predict(test.windows)).toEqual(model.predict(test.windows));
    model.dispose();
    loaded.predictor.dispose();
  });

  it('refuses to load weights of another shape, naming the file and the weight', async () => {
    const wide = await createPredictor({ kind: 'mlp', inputSize: 6, hyperparameters: { ...small, maxEpochs: 1 } });
    await wide.save(dir);
    const narrow = await createPredictor({
      kind: 'mlp',
      inputSize: 6,
      hyperparameters: { ...small, hiddenUnits: [8] },
    });
    const attempt = narrow.load(dir);
    await expect(attempt).rejects.toThrow(ModelArtifactError);
    await expect(narrow.load(dir)).rejects.toThrow(
      `${join(dir, 'model.json')}: weight 0 (hidden1/kernel) has shape [6, 16]; this mlp predictor expects [6, 8] for hidden1/kernel`,
    );
    const otherInput = await createPredictor({ kind: 'mlp', inputSize: 7, hyperparameters: small });
    await expect(otherInput.load(dir)).rejects.toThrow('was trained on 6 features per row; this predictor takes 7');
    const lstm = await createPredictor({ kind: 'lstm', inputSize: 6, hyperparameters: { lookback: 1, units: 2 } });
    await expect(lstm.load(dir)).rejects.toThrow('holds a mlp predictor; cannot load it into a lstm predictor');
    for (const m of [wide, narrow, otherInput, lstm]) m.dispose();
  });
});
