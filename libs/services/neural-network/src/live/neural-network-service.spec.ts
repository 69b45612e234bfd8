import { mkdtempSync, rmSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  InProcessEventBus,
  ManualClock,
  createMetricsRegistry,
  openDatabase,
  validatePrediction,
  validateSignal,
  type Database,
  type Prediction,
  type Signal,
} from '@rrr/core';
import { computeFeatureRows } from '../features/compute-features';
import { ModelRegistry } from '../registry/model-registry';
import { loadSp500Bars } from '../testing/daily-csv-bars';
import { trainModel } from '../training/train-model';
import { createNeuralNetworkService } from './neural-network-service';

const DAY = 86_400_000;

describe('createNeuralNetworkService', () => {
  const bars = loadSp500Bars().slice(-700);
  const stored = bars.slice(0, 600);
  const live = bars.slice(600, 610);
  let dir: string;
  let modelsDir: string;
  let db: Database;
  let bus: InProcessEventBus;
  const clock = new ManualClock(Date.UTC(2026, 0, 2));

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-nn-service-'));
    modelsDir = join(dir, 'models');
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    bus = new InProcessEventBus({ clock });
    await db.insertMany(
      'bars',
      stored.map(({ symbol, interval, ts, open, high, low, close, volume }) => ({
        symbol,
        interval,
        ts,
        open,
        high,
        low,
        close,
        volume,
      })),
    );
    await trainModel(
      { db, modelsDir, clock },
      { symbol: 'SPX', kind: 'logistic', hyperparameters: { maxEpochs: 60 }, testFraction: 0 },
    );
  });
  afterEach(async () => {
    await bus.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function collect() {
    const predictions: Prediction[] = [];
    const signals: Signal[] = [];
    await bus.subscribe('prediction', (p) => void predictions.push(p));
    await bus.subscribe('signal', (s) => void signals.push(s));
    return { predictions, signals };
  }

  it('warms up from stored bars, then publishes a validated prediction and signal for every live bar', async () => {
    const metrics = createMetricsRegistry();
    const service = createNeuralNetworkService({ db, bus, metrics, clock }, { modelsDir, warmupBars: 300 });
    const { predictions, signals } = await collect();
    await service.start();
    expect(service.loadedModels()).toEqual([
      expect.objectContaining({
        model: 'spx-logistic-1d@1',
        symbol: 'SPX',
        ready: true,
        barsSeen: 300,
        predictions: 0,
      }),
    ]);
    for (const bar of live) await bus.publish('bar', bar);
    await bus.publish('bar', { ...live[0], symbol: 'AAPL' });
    await bus.idle();

    expect(predictions).toHaveLength(10);
    expect(signals).toHaveLength(10);
    predictions.forEach((p, i) => {
      expect(validatePrediction(p)).toEqual([]);
      expect(p).toMatchObject({ symbol: 'SPX', ts: live[i].ts + DAY, horizon: '1d', model: 'spx-logistic-1d@1' });
      expect(validateSignal(signals[i])).toEqual([]);
      const expected = p.confidence < 0.4 || p.predicted === 'flat' ? 'flat' : p.predicted === 'up' ? 'long' : 'short';
      expect(signals[i]).toMatchObject({
        direction: expected,
        source: 'spx-logistic-1d@1',
        ts: p.ts,
        price: live[i].close,
      });
      expect(signals[i].strength).toBe(expected === 'flat' ? 0 : p.confidence);
    });

    // Live streaming inference equals batch features over the same bars, scaled and predicted offline.
    const { model } = await new ModelRegistry({ db, modelsDir }).load('spx-logistic-1d@1');
    const rows = computeFeatureRows([...stored.slice(-300), ...live]);
    const offline = model.predictor.predict(
      rows.slice(-10).map((row) => [model.scaler.transform(row as Float64Array)]),
    );
    expect(predictions.map((p) => p.probabilities)).toEqual(offline.map((f) => f.probabilities));

    const text = await metrics.metrics();
    expect(text).toContain('rrr_model_inference_seconds_count{model="spx-logistic-1d@1"} 10');
    expect(text).toMatch(/rrr_model_predictions_total\{model="spx-logistic-1d@1",predicted="(down|flat|up)"\}/);
    const storedPredictions = await db.query<{ ts: number; label: string; probabilities: string }>(
      'SELECT ts, label, probabilities FROM predictions ORDER BY ts',
    );
    expect(storedPredictions.map((r) => r.ts)).toEqual(predictions.map((p) => p.ts));
    expect(JSON.parse(storedPredictions[0].probabilities)).toEqual(predictions[0].probabilities);
    expect(await service.health()).toMatchObject({
      status: 'up',
      details: { skippedBars: 0, lastPredictionTs: live[9].ts + DAY },
    });

    await bus.publish('bar', live[5]);
    await bus.idle();
    expect(predictions).toHaveLength(10);
    expect((await service.health()).details).toMatchObject({ skippedBars: 1 });

    await service.stop();
    expect((await service.health()).status).toBe('down');
    await bus.publish('bar', { ...live[9], ts: live[9].ts + DAY });
    await bus.idle();
    expect(predictions).toHaveLength(10);
  });

  it('serves a model trained on a feature subset with exactly those columns', async () => {
    const features = ['rsi14', 'bollingerPercentB', 'logReturn1', 'logReturn5'] as const;
    const trained = await trainModel(
      { db, modelsDir, clock },
      {
        symbol: 'SPX',
        kind: 'logistic',
        name: 'spx-subset',
        features,
        hyperparameters: { maxEpochs: 60 },
        testFraction: 0,
      },
    );
    expect(trained.record).toMatchObject({ status: 'active', features: [...features] });
    const service = createNeuralNetworkService({ db, bus, clock }, { modelsDir, warmupBars: 300 });
    const { predictions } = await collect();
    await service.start();
    expect(service.loadedModels()).toEqual([expect.objectContaining({ model: 'spx-subset@1', ready: true })]);
    for (const bar of live) await bus.publish('bar', bar);
    await bus.idle();
    await service.stop();

    const { model } = await new ModelRegistry({ db, modelsDir }).load('spx-subset@1');
    const columns = [0, 19, 27, 28];
    const rows = computeFeatureRows([...stored.slice(-300), ...live]);
    const offline = model.predictor.predict(
      rows.slice(-10).map((row) => [model.scaler.transform(columns.map((c) => (row as Float64Array)[c]))]),
    );
    expect(predictions).toHaveLength(10);
    expect(predictions.map((p) => p.probabilities)).toEqual(offline.map((f) => f.probabilities));
  });

  it('emits flat signals of strength 0 below the confidence floor', async () => {
    const service = createNeuralNetworkService(
      { db, bus, clock },
      { modelsDir, minConfidence: 0.99, persistPredictions: false },
    );
    const { predictions, signals } = await collect();
    await service.start();
    for (const bar of live.slice(0, 3)) await bus.publish('bar', bar);
    await bus.idle();
    expect(predictions).toHaveLength(3);
    expect(signals.map((s) => [s.direction, s.strength])).toEqual([
      ['flat', 0],
      ['flat', 0],
      ['flat', 0],
    ]);
    expect(await db.query('SELECT id FROM predictions')).toEqual([]);
    await service.stop();
  });

  it('keeps running when an active model file is corrupt, and reports it as degraded', async () => {
    const registry = new ModelRegistry({ db, modelsDir });
    const record = await registry.get('spx-logistic-1d@1');
    const weights = join(registry.artifactDir(record), 'weights.bin');
    truncateSync(weights, 10);
    const service = createNeuralNetworkService({ db, bus, clock }, { modelsDir });
    await service.start();
    const health = await service.health();
    expect(health.status).toBe('degraded');
    expect(health.details).toMatchObject({
      failures: { 'spx-logistic-1d@1': expect.stringContaining(`${weights}: is 10 bytes but model.json declares`) },
    });
    expect(service.loadedModels()).toEqual([]);
    await service.stop();
  });
});
