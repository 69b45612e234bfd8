import { accuracyOf, syntheticWindows } from '../testing/synthetic-windows';
import { createPredictor } from './create-predictor';

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

  it('rejects windows shorter than its lookback', async () => {
    const lstm = await createPredictor({ kind: 'lstm', inputSize: 3, hyperparameters: { lookback: 4, units: 2 } });
    const short = [[Float64Array.of(0, 0, 0), Float64Array.of(0, 0, 0)]];
    expect(() => lstm.predict(short)).toThrow('prediction input: windows[0]: has 2 rows; needs at least 4');
    lstm.dispose();
  });
});
