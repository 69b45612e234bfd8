import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accuracyOf, syntheticWindows } from '../testing/synthetic-windows';
import { LogisticRegressionPredictor, resolveLogisticRegressionHyperparameters } from './logistic-regression-predictor';
import type { EpochReport } from './predictor';

describe('LogisticRegressionPredictor', () => {
  const train = syntheticWindows({ samples: 600, features: 5, lookback: 1, seed: 1 });
  const test = syntheticWindows({ samples: 300, features: 5, lookback: 1, seed: 2 });
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rrr-logistic-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('learns a three-class rule on one feature far above chance', async () => {
    const model = new LogisticRegressionPredictor(
      5,
      resolveLogisticRegressionHyperparameters({ learningRate: 0.1, maxEpochs: 400 }),
    );
    const report = await model.fit(train);
    const forecasts = model.predict(test.windows);
    expect(
      accuracyOf(
        forecasts.map((f) => f.predicted),
        test.labels,
      ),
    ).toBeGreaterThan(0.85);
    expect(report.trainSamples).toBe(510);
    expect(report.validationSamples).toBe(90);
    expect(report.validationLoss).toBeLessThan(Math.log(3) * 0.7);
    for (const f of forecasts) {
      expect(f.probabilities.down + f.probabilities.flat + f.probabilities.up).toBeCloseTo(1, 12);
      expect(f.confidence).toBe(f.probabilities[f.predicted]);
    }
  });

  it('stops after `patience` epochs without a better validation loss and keeps the best epoch', async () => {
    // A learning rate this large makes the loss oscillate, so improvement stalls early.
    const model = new LogisticRegressionPredictor(
      5,
      resolveLogisticRegressionHyperparameters({ learningRate: 5, patience: 3, maxEpochs: 200 }),
    );
    const epochs: EpochReport[] = [];
    const report = await model.fit(train, { onEpoch: (e) => epochs.push(e) });
    expect(report.stoppedEarly).toBe(true);
    expect(report.epochs).toBe(report.bestEpoch + 3);
    const best = Math.min(...epochs.map((e) => e.validationLoss));
    expect(report.validationLoss).toBe(best);
    expect(epochs.find((e) => e.epoch === report.bestEpoch)?.improved).toBe(true);
  });

  it('is deterministic and predicts exactly the same after save and load', async () => {
    const a = new LogisticRegressionPredictor(5);
    const b = new LogisticRegressionPredictor(5);
    await a.fit(train, { gap: 2 });
    await b.fit(train, { gap: 2 });
    expect(b.predict(test.windows)).toEqual(a.predict(test.windows));
    const files = await a.save(dir, { note: 'kept' });
    expect(files.weightsBytes).toBe((5 * 3 + 3) * 4);
    const c = new LogisticRegressionPredictor(5);
    expect(await c.load(dir)).toEqual({ note: 'kept' });
    expect(c.predict(test.windows)).toEqual(a.predict(test.windows));
  });
});
