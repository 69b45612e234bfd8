import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accuracyOf, syntheticWindows } from '../testing/synthetic-windows';
import { createPredictor, loadPredictor } from './create-predictor';

describe('LstmPredictor (tiny, wasm)', () => {
  it('learns a label decided by the OLDEST row of the window, which a one-row model cannot see', async () => {
    const train = syntheticWindows({ samples: 320, features: 3, lookback: 4, seed: 11, signalRow: 0 });
    const test = syntheticWindows({ samples: 200, features: 3, lookback: 4, seed: 12, signalRow: 0 });
    const lstm = await createPredictor({
      kind: 'lstm',
      inputSize: 3,
      hyperparameters: {
        lookback: 4,
        units: 8,
        learningRate: 0.03,
        batchSize: 32,
        maxEpochs: 10,
        patience: 4,
        seed: 3,
      },
    });
    const logistic = await createPredictor({ kind: 'logistic', inputSize: 3 });
    await lstm.fit(train);
    await logistic.fit(train);
    const lstmAccuracy = accuracyOf(
      lstm.predict(test.windows).map((f) => f.predicted),
      test.labels,
    );
    const oneRowAccuracy = accuracyOf(
      logistic.predict(test.windows).map((f) => f.predicted),
      test.labels,
    );
    expect(lstm.lookback).toBe(4);
    expect(lstmAccuracy).toBeGreaterThan(0.7);
    expect(oneRowAccuracy).toBeLessThan(0.5);
    lstm.dispose();
  });

  it('gates with the sigmoid by default; a file saved before the option existed loads with the hard sigmoid', async () => {
    const data = syntheticWindows({ samples: 120, features: 3, lookback: 3, seed: 5, signalRow: 0 });
    const small = { lookback: 3, units: 4, maxEpochs: 2, seed: 9 };
    const fresh = await createPredictor({ kind: 'lstm', inputSize: 3, hyperparameters: small });
    expect(fresh.describe().hyperparameters).toMatchObject({ recurrentActivation: 'sigmoid' });
    fresh.dispose();
    await expect(
      createPredictor({ kind: 'lstm', inputSize: 3, hyperparameters: { recurrentActivation: 'relu' } }),
    ).rejects.toThrow('lstm hyperparameters: recurrentActivation: must be one of sigmoid, hardSigmoid');

    const hard = await createPredictor({
      kind: 'lstm',
      inputSize: 3,
      hyperparameters: { ...small, recurrentActivation: 'hardSigmoid' },
    });
    await hard.fit(data);
    const dir = mkdtempSync(join(tmpdir(), 'rrr-lstm-'));
    try {
      await hard.save(dir);
      const file = join(dir, 'model.json');
      const json = JSON.parse(readFileSync(file, 'utf8'));
      delete json.userDefinedMetadata.predictor.hyperparameters.recurrentActivation;
      writeFileSync(file, JSON.stringify(json));
      const { predictor } = await loadPredictor(dir);
      expect(predictor.describe().hyperparameters).toMatchObject({ recurrentActivation: 'hardSigmoid' });
      const windows = data.windows.slice(0, 8);
      expect(predictor.predict(windows)).toEqual(hard.predict(windows));
      predictor.dispose();

      // The same weights behind sigmoid gates predict something else: the stored activation is part of the model.
      json.userDefinedMetadata.predictor.hyperparameters.recurrentActivation = 'sigmoid';
      writeFileSync(file, JSON.stringify(json));
      const sigmoid = (await loadPredictor(dir)).predictor;
      expect(sigmoid.predict(windows)).not.toEqual(hard.predict(windows));
      sigmoid.dispose();
    } finally {
      hard.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects windows shorter than its lookback', async () => {
    const lstm = await createPredictor({ kind: 'lstm', inputSize: 3, hyperparameters: { lookback: 4, units: 2 } });
    const short = [[Float64Array.of(0, 0, 0), Float64Array.of(0, 0, 0)]];
    expect(() => lstm.predict(short)).toThrow('prediction input: windows[0]: has 2 rows; needs at least 4');
    lstm.dispose();
  });
});
