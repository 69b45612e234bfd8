import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessEventBus, ManualClock, openDatabase, type Database, type Prediction } from '@rrr/core';
import { computeFeatureRows } from '../features/compute-features';
import { ModelRegistry } from '../registry/model-registry';
import { loadSp500Bars } from '../testing/daily-csv-bars';
import { trainModel } from '../training/train-model';
import { createNeuralNetworkService, type NeuralNetworkService } from './neural-network-service';

const DAY = 86_400_000;

/** Polls `probe` until it holds: the service's periodic check runs on its own timer. */
async function until(probe: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the neural-network service follows the active models in ml_models without a restart', () => {
  const bars = loadSp500Bars().slice(-700);
  const stored = bars.slice(0, 600);
  const live = bars.slice(600, 612);
  const clock = new ManualClock(Date.UTC(2026, 0, 2));
  let dir: string;
  let modelsDir: string;
  let sqlitePath: string;
  let db: Database;
  /** A second connection to the same SQLite file: the CLI or another platform process. */
  let other: Database;
  let bus: InProcessEventBus;
  let service: NeuralNetworkService | undefined;
  let predictions: Prediction[];

  /** A tiny logistic model on the stored bars (as `rrr model train` would), registered through `on`. */
  const train = (on: Database, activate: boolean, maxEpochs: number) =>
    trainModel(
      { db: on, modelsDir, clock },
      { symbol: 'SPX', kind: 'logistic', hyperparameters: { maxEpochs }, testFraction: 0, activate },
    );

  /**
   * What the model predicts offline for live[i]: batch features over the bars it saw (the newest 300 stored when it
   * loaded — the `liveStored` first live bars among them — then the live ones), its scaler, its predictor.
   */
  async function offline(modelId: string, indices: number[], liveStored: number) {
    const { model } = await new ModelRegistry({ db, modelsDir }).load(modelId);
    const all = [...stored, ...live];
    const first = stored.length + liveStored - 300;
    const rows = computeFeatureRows(all.slice(first));
    const forecasts = model.predictor.predict(
      indices.map((i) => [model.scaler.transform(rows[stored.length + i - first] as Float64Array)]),
    );
    model.predictor.dispose();
    return forecasts.map((f) => f.probabilities);
  }

  /** Live bars as the data pipeline sends them: stored, then published (`store: false`: not stored yet). */
  async function publish(from: number, to: number, options: { store?: boolean } = {}): Promise<void> {
    for (const bar of live.slice(from, to)) {
      if (options.store !== false) await storeBars([bar]);
      await bus.publish('bar', bar);
    }
    await bus.idle();
  }

  const storeBars = (list: typeof bars) =>
    db.insertMany(
      'bars',
      list.map(({ symbol, interval, ts, open, high, low, close, volume }) => ({
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

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-nn-active-sync-'));
    modelsDir = join(dir, 'models');
    sqlitePath = join(dir, 'rrr.db');
    db = await openDatabase({ sqlitePath });
    other = await openDatabase({ sqlitePath });
    bus = new InProcessEventBus({ clock });
    await storeBars(stored);
    predictions = [];
    await bus.subscribe('prediction', (p) => void predictions.push(p));
  });
  afterEach(async () => {
    await service?.stop();
    service = undefined;
    await bus.close();
    await other.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves a model another process activates, at its next check, and stops when that process retires it', async () => {
    await train(other, false, 60);
    service = createNeuralNetworkService({ db, bus, clock }, { modelsDir, warmupBars: 300, refreshMs: 20 });
    await service.start();
    expect(service.loadedModels()).toEqual([]);
    expect((await service.health()).details).toMatchObject({ models: [], refreshMs: 20 });
    expect((await service.health()).details?.['modelsChangedAt']).toBeUndefined();
    await publish(0, 1);
    expect(predictions).toEqual([]);

    clock.set(Date.UTC(2026, 0, 3));
    await new ModelRegistry({ db: other, modelsDir }).activate('spx-logistic-1d@1');
    await until(() => service?.loadedModels().length === 1, 'the activated model to be served');
    expect(service.loadedModels()).toEqual([
      expect.objectContaining({ model: 'spx-logistic-1d@1', ready: true, barsSeen: 300 }),
    ]);
    const health = await service.health();
    expect(health.status).toBe('up');
    expect(health.details).toMatchObject({ modelsChangedAt: Date.UTC(2026, 0, 3) });

    await publish(1, 4);
    expect(predictions.map((p) => [p.model, p.ts])).toEqual(
      [1, 2, 3].map((i) => ['spx-logistic-1d@1', live[i].ts + DAY]),
    );
    expect(predictions.map((p) => p.probabilities)).toEqual(await offline('spx-logistic-1d@1', [1, 2, 3], 1));

    clock.set(Date.UTC(2026, 0, 4));
    await new ModelRegistry({ db: other, modelsDir }).setStatus('spx-logistic-1d@1', 'retired');
    await until(() => service?.loadedModels().length === 0, 'the retired model to be unloaded');
    expect((await service.health()).details).toMatchObject({ models: [], modelsChangedAt: Date.UTC(2026, 0, 4) });
    await publish(4, 6);
    expect(predictions).toHaveLength(3);
  });

  it('swaps to a newer active version between two bars: every bar predicted exactly once, by one version', async () => {
    await train(db, true, 60);
    // No periodic check: the spec decides when the swap starts, and sends bars while the new version loads.
    service = createNeuralNetworkService({ db, bus, clock }, { modelsDir, warmupBars: 300, refreshMs: 0 });
    await service.start();
    await publish(0, 2);
    const v2 = await train(other, true, 30);
    expect(v2.record).toMatchObject({ modelId: 'spx-logistic-1d@2', status: 'active' });

    const swap = service.syncActiveModels();
    // Not stored before the new version reads its warm-up bars: they reach it through the bars queued while it loads.
    await publish(2, 7, { store: false });
    expect(await swap).toEqual({ loaded: ['spx-logistic-1d@2'], unloaded: ['spx-logistic-1d@1'], failed: [] });
    await publish(7, 12, { store: false });

    expect(predictions.map((p) => p.ts)).toEqual(live.map((bar) => bar.ts + DAY));
    const byModel = (model: string) => predictions.flatMap((p, i) => (p.model === model ? [i] : []));
    const first = byModel('spx-logistic-1d@1');
    const second = byModel('spx-logistic-1d@2');
    // One version after the other, with no bar left out or predicted twice.
    expect([...first, ...second]).toEqual(live.map((_, i) => i));
    expect(first.length).toBeGreaterThanOrEqual(2);
    expect(second.length).toBeGreaterThanOrEqual(5);
    // The new version's features were warmed over every bar, the ones the old version predicted included.
    expect(second.map((i) => predictions[i].probabilities)).toEqual(await offline('spx-logistic-1d@2', second, 2));
    expect(first.map((i) => predictions[i].probabilities)).toEqual(await offline('spx-logistic-1d@1', first, 0));
    expect(service.loadedModels()).toEqual([
      expect.objectContaining({ model: 'spx-logistic-1d@2', predictions: second.length }),
    ]);
  });

  it('leaves a model loaded with loadModel alone, and keeps serving a series whose new version cannot load', async () => {
    await train(db, true, 60);
    service = createNeuralNetworkService({ db, bus, clock }, { modelsDir, warmupBars: 300, refreshMs: 0 });
    await service.start();
    const registry = new ModelRegistry({ db: other, modelsDir });
    await train(other, true, 30);
    // The new version's weights are lost: the check reports it and the series keeps the version it had.
    rmSync(join(registry.artifactDir(await registry.get('spx-logistic-1d@2')), 'weights.bin'));
    expect(await service.syncActiveModels()).toEqual({ loaded: [], unloaded: [], failed: ['spx-logistic-1d@2'] });
    expect(service.loadedModels().map((m) => m.model)).toEqual(['spx-logistic-1d@1']);
    const degraded = await service.health();
    expect(degraded.status).toBe('degraded');
    expect(degraded.details).toMatchObject({
      failures: { 'spx-logistic-1d@2': expect.stringContaining('weights.bin') },
    });
    // Not retried at every check.
    expect(await service.syncActiveModels()).toEqual({ loaded: [], unloaded: [], failed: [] });

    // Version 1 active again: version 2's failure is history, and version 1 stays served.
    await registry.activate('spx-logistic-1d@1');
    expect(await service.syncActiveModels()).toEqual({ loaded: [], unloaded: [], failed: [] });
    expect((await service.health()).status).toBe('up');

    // Pinned by loadModel: retiring it in the registry does not unload it; unloadModel does.
    await service.loadModel('spx-logistic-1d@1');
    await registry.setStatus('spx-logistic-1d@1', 'retired');
    expect(await service.syncActiveModels()).toEqual({ loaded: [], unloaded: [], failed: [] });
    expect(service.loadedModels().map((m) => m.model)).toEqual(['spx-logistic-1d@1']);
    expect(await service.unloadModel('spx-logistic-1d@1')).toBe(true);
    expect(service.loadedModels()).toEqual([]);
  });

  it('refuses a refresh interval that is not a whole number of milliseconds', () => {
    expect(() => createNeuralNetworkService({ db, bus }, { modelsDir, refreshMs: 0.5 })).toThrow(
      /refreshMs: must be an integer >= 0/,
    );
  });
});
