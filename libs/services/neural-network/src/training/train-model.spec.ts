import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { barToRow, ManualClock, NotFoundError, openDatabase, type Database } from '@rrr/core';
import { ModelArtifactError } from '../models/model-artifact-error';
import { ModelRegistry } from '../registry/model-registry';
import { loadSp500Bars } from '../testing/daily-csv-bars';
import { evaluateModel } from './evaluate-model';
import { listModels } from './list-models';
import { trainModel } from './train-model';
import type { TrainingProgress } from './training-progress';

describe('trainModel / evaluateModel / listModels with the SQLite registry', () => {
  const bars = loadSp500Bars().slice(-900);
  let dir: string;
  let modelsDir: string;
  let db: Database;
  const clock = new ManualClock(Date.UTC(2026, 0, 2));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-train-'));
    modelsDir = join(dir, 'models');
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    await db.insertMany('bars', bars.map(barToRow));
  });
  afterEach(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const train = (extra: Record<string, unknown> = {}, onProgress?: (p: TrainingProgress) => void) =>
    trainModel(
      { db, modelsDir, clock },
      { symbol: 'SPX', kind: 'logistic', hyperparameters: { maxEpochs: 80 }, ...extra },
      onProgress,
    );

  it('reads bars from the database, trains, compares with baselines and registers version 1 as active', async () => {
    const progress: TrainingProgress[] = [];
    const result = await train({}, (p) => progress.push(p));
    expect(result.model).toBe('spx-logistic-1d@1');
    expect(result.record).toMatchObject({
      name: 'spx-logistic-1d',
      version: 1,
      kind: 'logistic',
      symbol: 'SPX',
      interval: '1d',
      horizonMs: 86_400_000,
      status: 'active',
      artifactUri: 'spx-logistic-1d/v1',
      createdAt: clock.now(),
      hyperparameters: { learningRate: 0.05, l2: 0.001, maxEpochs: 80, patience: 20 },
    });
    expect(result.record.features).toHaveLength(33);
    // 900 bars − 57 warm-up − 1 unlabelled = 842 samples; 20 % held out after a one-bar gap.
    expect(result.holdout?.model.samples).toBe(168);
    expect(result.fit.trainSamples + result.fit.validationSamples + 1).toBe(842 - 168 - 1);
    expect(result.record.metrics).toMatchObject({ holdout: { verdict: result.holdout?.verdict } });
    expect(JSON.parse(readFileSync(join(result.dir, 'model.json'), 'utf8')).userDefinedMetadata.model).toMatchObject({
      name: 'spx-logistic-1d',
      version: 1,
      symbol: 'SPX',
      label: { interval: '1d', horizon: '1d', horizonBars: 1, threshold: 0.003 },
      trainedFrom: bars[57].ts,
    });
    expect(progress.map((p) => p.stage)).toEqual(
      expect.arrayContaining(['data', 'fold', 'epoch', 'evaluate', 'save', 'done']),
    );
  });

  it('counts versions up, moves "active" to the newest, and lists them', async () => {
    await train();
    await train({ hyperparameters: { maxEpochs: 5 } });
    await train({ name: 'spx-other' });
    const all = await listModels({ db, modelsDir });
    expect(all.map((m) => [m.modelId, m.status])).toEqual([
      ['spx-logistic-1d@1', 'trained'],
      ['spx-logistic-1d@2', 'trained'],
      ['spx-other@1', 'active'],
    ]);
    expect((await listModels({ db, modelsDir }, { name: 'spx-logistic-1d', status: 'trained' })).length).toBe(2);
    const registry = new ModelRegistry({ db, modelsDir });
    expect((await registry.activate('spx-logistic-1d@1')).status).toBe('active');
    expect((await registry.get('spx-other')).status).toBe('trained');
    await expect(registry.get('spx-logistic-1d@9')).rejects.toThrow(NotFoundError);
  });

  it('loads a registered model back with identical predictions, and refuses corrupt or mismatched files by name', async () => {
    const { record } = await train();
    const registry = new ModelRegistry({ db, modelsDir });
    const { model } = await registry.load('spx-logistic-1d');
    expect(model.id).toBe('spx-logistic-1d@1');
    const window = [model.scaler.transform(new Float64Array(33).fill(0.5))];
    const again = (await registry.load(record)).model;
    expect(again.predictor.predict([window])).toEqual(model.predictor.predict([window]));

    // A second version whose directory holds the first version's files.
    await train();
    const v2 = await registry.get('spx-logistic-1d@2');
    cpSync(registry.artifactDir(record), registry.artifactDir(v2), { recursive: true });
    const v2Json = join(registry.artifactDir(v2), 'model.json');
    await expect(registry.load(v2)).rejects.toThrow(
      `${v2Json}: holds spx-logistic-1d@1, but spx-logistic-1d@2 was expected here`,
    );

    const json = join(registry.artifactDir(record), 'model.json');
    const original = readFileSync(json, 'utf8');
    const parsed = JSON.parse(original);
    parsed.userDefinedMetadata.model.featureSet.hash = 'f'.repeat(64);
    parsed.userDefinedMetadata.model.featureSet.version = 0;
    writeFileSync(json, JSON.stringify(parsed));
    await expect(registry.load(record)).rejects.toThrow(ModelArtifactError);
    await expect(registry.load(record)).rejects.toThrow(
      /model\.json: was trained on feature set rrr-technical v0 \(33 features, hash ffffffffffff\); this build computes rrr-technical v1 \(33 features, hash [0-9a-f]{12}\)$/,
    );
    writeFileSync(json, original.slice(0, 200));
    await expect(registry.load(record)).rejects.toThrow(`${json}: is not valid JSON`);
  });

  it('trains on a feature subset, stores it in ml_models and model.json, and refuses a tampered list', async () => {
    const features = ['logReturn1', 'rsi14', 'atr14Pct'] as const;
    const result = await train({ features });
    expect(result.record.features).toEqual(['rsi14', 'atr14Pct', 'logReturn1']);
    const json = join(result.dir, 'model.json');
    const original = readFileSync(json, 'utf8');
    const parsed = JSON.parse(original);
    expect(parsed.userDefinedMetadata.model.features).toEqual(['rsi14', 'atr14Pct', 'logReturn1']);
    expect(parsed.userDefinedMetadata.predictor).toMatchObject({ kind: 'logistic', inputSize: 3 });
    expect(parsed.userDefinedMetadata.model.scaler.mean).toHaveLength(3);

    const registry = new ModelRegistry({ db, modelsDir });
    const { model } = await registry.load(result.record);
    expect(model.metadata.features).toEqual(['rsi14', 'atr14Pct', 'logReturn1']);
    expect(model.predictor.inputSize).toBe(3);

    const tamper = async (list: unknown) => {
      writeFileSync(
        json,
        JSON.stringify({
          ...parsed,
          userDefinedMetadata: {
            ...parsed.userDefinedMetadata,
            model: { ...parsed.userDefinedMetadata.model, features: list },
          },
        }),
      );
      return registry.load(result.record);
    };
    await expect(tamper(['rsi14', 'atr14Pct', 'logReturn2'])).rejects.toThrow(
      `${json}: was trained on features logReturn2, which feature set rrr-technical v1 does not compute`,
    );
    await expect(tamper(['atr14Pct', 'rsi14', 'logReturn1'])).rejects.toThrow(
      `${json}: model metadata features must follow the feature set's column order without repeats: rsi14 comes after atr14Pct`,
    );
    await expect(tamper(['rsi14', 'atr14Pct'])).rejects.toThrow(
      `${json}: scaler has 3 columns, the predictor takes 3 and the model reads 2 features`,
    );
    await expect(tamper(['rsi14', 'atr14Pct', 'logReturn5'])).rejects.toThrow(
      `${json}: reads features rsi14, atr14Pct, logReturn5, but ml_models row spx-logistic-1d@1 lists rsi14, atr14Pct, logReturn1`,
    );
    // A model saved before subsets existed reads every feature.
    const full = await train({ name: 'spx-full' });
    const fullJson = join(full.dir, 'model.json');
    const fullParsed = JSON.parse(readFileSync(fullJson, 'utf8'));
    delete fullParsed.userDefinedMetadata.model.features;
    writeFileSync(fullJson, JSON.stringify(fullParsed));
    expect((await registry.load('spx-full')).model.metadata.features).toHaveLength(33);
  });

  it('refuses an unknown or empty feature list before reading any bars', async () => {
    await expect(train({ symbol: 'NOPE', features: ['rsi14', 'rsi99', 'volume'] })).rejects.toThrow(
      /^feature subset: features: unknown features "rsi99", "volume"; known: rsi14, /,
    );
    await expect(train({ features: [] })).rejects.toThrow('feature subset: features: must name at least one feature');
  });

  it('evaluateModel runs a walk-forward on bars given directly (no database)', async () => {
    const report = await evaluateModel(
      {},
      { symbol: 'SPX', bars, kind: 'logistic', hyperparameters: { maxEpochs: 30 }, folds: 2, testSize: 100 },
    );
    expect(report.folds.map((f) => f.test.samples)).toEqual([100, 100]);
    expect(report.features).toHaveLength(33);
    const subset = await evaluateModel(
      {},
      {
        symbol: 'SPX',
        bars,
        kind: 'logistic',
        hyperparameters: { maxEpochs: 30 },
        folds: 2,
        testSize: 100,
        features: ['rsi14', 'logReturn1'],
      },
    );
    expect(subset.features).toEqual(['rsi14', 'logReturn1']);
    expect(subset.predictor.inputSize).toBe(2);
    expect(subset.pooled.model.samples).toBe(200);
    expect(subset.pooled.model.logLoss).not.toBe(report.pooled.model.logLoss);
    expect(report.pooled.verdict[2]).toMatch(/over 200 test samples\.$/);
    await expect(evaluateModel({}, { symbol: 'SPX', kind: 'logistic' })).rejects.toThrow(
      'give the bars or a database to read them from',
    );
  });
});
