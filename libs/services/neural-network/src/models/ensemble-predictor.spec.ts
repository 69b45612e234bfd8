import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accuracyOf, syntheticWindows } from '../testing/synthetic-windows';
import { createPredictor, loadPredictor } from './create-predictor';
import { EnsemblePredictor } from './ensemble-predictor';
import { LogisticRegressionPredictor, resolveLogisticRegressionHyperparameters } from './logistic-regression-predictor';
import type { EpochReport } from './predictor';

describe('EnsemblePredictor', () => {
  const train = syntheticWindows({ samples: 400, features: 4, lookback: 3, seed: 21 });
  const test = syntheticWindows({ samples: 100, features: 4, lookback: 3, seed: 22 });
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'rrr-ensemble-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('averages member probabilities with normalised weights', async () => {
    const a = new LogisticRegressionPredictor(4, resolveLogisticRegressionHyperparameters({ maxEpochs: 30 }));
    const b = new LogisticRegressionPredictor(4, resolveLogisticRegressionHyperparameters({ maxEpochs: 3 }));
    await a.fit(train);
    await b.fit(train);
    const ensemble = new EnsemblePredictor(4, [
      { predictor: a, weight: 3 },
      { predictor: b, weight: 1 },
    ]);
    const [pa, pb, pe] = [a.predict(test.windows), b.predict(test.windows), ensemble.predict(test.windows)];
    pe.forEach((f, i) => {
      for (const c of ['down', 'flat', 'up'] as const) {
        expect(f.probabilities[c]).toBeCloseTo(0.75 * pa[i].probabilities[c] + 0.25 * pb[i].probabilities[c], 12);
      }
    });
  });

  it('trains every member (reporting epochs per member), and saves and loads as one model', async () => {
    const ensemble = await createPredictor({
      kind: 'ensemble',
      inputSize: 4,
      hyperparameters: {
        members: [
          { kind: 'logistic', weight: 1 },
          { kind: 'mlp', weight: 1, hyperparameters: { hiddenUnits: [8], maxEpochs: 4, learningRate: 0.01, seed: 2 } },
          { kind: 'lstm', weight: 2, hyperparameters: { lookback: 3, units: 4, maxEpochs: 2, seed: 3 } },
        ],
      },
    });
    expect(ensemble.lookback).toBe(3);
    const epochs: EpochReport[] = [];
    const report = await ensemble.fit(train, { onEpoch: (e) => epochs.push(e) });
    expect(new Set(epochs.map((e) => e.member))).toEqual(new Set(['logistic#1', 'mlp#2', 'lstm#3']));
    expect(report.members).toHaveLength(3);
    expect(
      accuracyOf(
        ensemble.predict(test.windows).map((f) => f.predicted),
        test.labels,
      ),
    ).toBeGreaterThan(0.6);

    await ensemble.save(dir);
    const loaded = await loadPredictor(dir);
    expect(loaded.predictor.describe()).toEqual(ensemble.describe());
    expect(loaded.predictor.predict(test.windows)).toEqual(ensemble.predict(test.windows));
    loaded.predictor.dispose();

    // A member saved before LSTM gates were configurable used tfjs's hard sigmoid, and is rebuilt with it.
    const file = join(dir, 'model.json');
    const json = JSON.parse(readFileSync(file, 'utf8'));
    expect(json.userDefinedMetadata.predictor.hyperparameters.members[2].hyperparameters.recurrentActivation).toBe(
      'sigmoid',
    );
    delete json.userDefinedMetadata.predictor.hyperparameters.members[2].hyperparameters.recurrentActivation;
    writeFileSync(file, JSON.stringify(json));
    const older = (await loadPredictor(dir)).predictor;
    expect(older.describe().members?.[2].predictor.hyperparameters).toMatchObject({
      recurrentActivation: 'hardSigmoid',
    });
    expect(older.describe().members?.[1].predictor.hyperparameters).not.toHaveProperty('recurrentActivation');
    older.dispose();
    ensemble.dispose();
  });
});
