import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InProcessEventBus, openDatabase, ValidationError, type Database, type Prediction } from '@rrr/core';
import { createNeuralNetworkService, type NeuralNetworkService } from '../live/neural-network-service';
import { ModelRegistry } from '../registry/model-registry';
import { loadSp500Bars } from '../testing/daily-csv-bars';
import type { TrainingJob } from './training-job';
import { resolveTrainingJobRequest } from './training-job-request';
import { TrainingRunStore } from './training-run-store';

/** Polls the job until `done` holds for it. */
async function until(read: () => Promise<TrainingJob>, done: (job: TrainingJob) => boolean, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await read();
    if (done(job)) return job;
    if (Date.now() > deadline) throw new Error(`timed out; job ${job.id} is ${job.status}: ${job.progress.message}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

function problemsOf(input: unknown): { field: string; message: string }[] {
  try {
    resolveTrainingJobRequest(input);
  } catch (err) {
    if (err instanceof ValidationError) return err.problems.map(({ field, message }) => ({ field, message }));
    throw err;
  }
  throw new Error('the request was accepted');
}

describe('resolveTrainingJobRequest', () => {
  it("fills in `rrr model train`'s defaults", () => {
    expect(resolveTrainingJobRequest({ symbol: 'SPX' })).toEqual({
      symbol: 'SPX',
      kind: 'logistic',
      interval: '1d',
      horizon: '1d',
      threshold: 0.003,
      hyperparameters: {},
      activate: true,
      name: 'spx-logistic-1d',
    });
    expect(
      resolveTrainingJobRequest({
        symbol: 'BTC-USD',
        kind: 'mlp',
        interval: '1m',
        horizon: '5m',
        hyperparameters: { maxEpochs: 5 },
        features: ['logReturn1', 'rsi14'],
        activate: false,
      }),
    ).toMatchObject({ horizon: '5m', threshold: 0.002, features: ['rsi14', 'logReturn1'], name: 'btc-usd-mlp-5m' });
  });

  it('names every wrong field in one refusal', () => {
    expect(
      problemsOf({
        symbol: 'spx',
        kind: 'forest',
        interval: '2d',
        hyperparameters: [],
        activate: 'yes',
        epochs: 3,
      }),
    ).toEqual([
      { field: 'epochs', message: expect.stringMatching(/^is not a training option \(known: symbol, kind, /) },
      { field: 'symbol', message: expect.stringMatching(/^must be 3-20 characters/) },
      { field: 'kind', message: 'must be one of logistic, mlp, lstm, ensemble' },
      { field: 'interval', message: 'must be one of 1m, 5m, 15m, 1h, 4h, 1d' },
      { field: 'hyperparameters', message: 'must be an object of name: value' },
      { field: 'activate', message: 'must be true or false' },
    ]);
    expect(
      problemsOf({
        symbol: 'SPX',
        horizon: '4h',
        interval: '1h',
        hyperparameters: { learningRate: -1, depth: 3 },
        features: ['rsi14', 'nope'],
        name: 'Bad Name',
      }),
    ).toEqual([
      { field: 'threshold', message: expect.stringMatching(/^has no default for horizon 4h/) },
      { field: 'hyperparameters.learningRate', message: expect.stringMatching(/^must be a number in/) },
      { field: 'hyperparameters.depth', message: expect.stringMatching(/^is not a logistic hyperparameter/) },
      { field: 'features', message: expect.stringContaining('nope') },
      { field: 'name', message: expect.stringMatching(/^must be 1-63 of a-z/) },
    ]);
  });
});

describe('training jobs on the neural-network service', () => {
  const bars = loadSp500Bars().slice(-700);
  const stored = bars.slice(0, 600);
  let dir: string;
  let modelsDir: string;
  let sqlitePath: string;
  let db: Database;
  let bus: InProcessEventBus;
  let service: NeuralNetworkService;
  let training: NonNullable<NeuralNetworkService['training']>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-nn-training-jobs-'));
    modelsDir = join(dir, 'models');
    sqlitePath = join(dir, 'rrr.db');
    db = await openDatabase({ sqlitePath });
    bus = new InProcessEventBus();
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
    service = createNeuralNetworkService(
      { db, bus },
      { modelsDir, warmupBars: 300, refreshMs: 0, training: { database: { sqlitePath } } },
    );
    await service.start();
    if (service.training === undefined) throw new Error('the service runs no training jobs');
    training = service.training;
  }, 30_000);
  afterAll(async () => {
    await service?.stop();
    await bus.close();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('trains on a worker thread with progress, registers and activates the model, and serves it at once', async () => {
    const predictions: Prediction[] = [];
    await bus.subscribe('prediction', (p) => void predictions.push(p));
    const seen = new Set<string>();
    const job = await training.submit({ symbol: 'SPX', hyperparameters: { maxEpochs: 40 } });
    expect(job).toMatchObject({ status: expect.stringMatching(/^(queued|running)$/), result: null });
    const done = await until(
      () => training.job(job.id),
      (j) => {
        if (j.progress.stage !== null) seen.add(j.progress.stage);
        return j.status !== 'queued' && j.status !== 'running';
      },
    );
    expect(done.error).toBeUndefined();
    expect(done).toMatchObject({
      status: 'completed',
      request: { symbol: 'SPX', kind: 'logistic', name: 'spx-logistic-1d', activate: true },
      progress: { stage: 'done', fraction: 1, maxEpochs: 40 },
      result: { model: 'spx-logistic-1d@1', status: 'active', served: true },
    });
    expect(done.result?.verdict.length).toBeGreaterThan(0);
    expect(done.progress.epoch).toBeGreaterThanOrEqual(1);
    // Stored as it completed (a list waits for the pending writes): any process on the database reads the same job.
    expect((await training.jobs()).map((j) => j.id)).toEqual([job.id]);
    expect(await new TrainingRunStore(db).get(job.id)).toEqual(done);
    const record = await new ModelRegistry({ db, modelsDir }).get('spx-logistic-1d@1');
    expect(record).toMatchObject({ status: 'active', id: done.result?.id });
    // Served before the job completed: the next bar is predicted by it.
    expect(service.loadedModels().map((m) => m.model)).toEqual(['spx-logistic-1d@1']);
    await bus.publish('bar', bars[600]);
    await bus.idle();
    expect(predictions.map((p) => p.model)).toEqual(['spx-logistic-1d@1']);
  }, 40_000);

  it('refuses a series without enough stored bars, naming the symbol', async () => {
    await expect(training.submit({ symbol: 'AAPL' })).rejects.toMatchObject({
      problems: [{ field: 'symbol', message: 'has no 1d bars stored (GET /api/v1/symbols lists the stored series)' }],
    });
    expect((await training.jobs()).map((j) => j.request.symbol)).toEqual(['SPX']);
  });

  it('cancels a running job by terminating its worker; nothing is registered', async () => {
    const job = await training.submit({
      symbol: 'SPX',
      kind: 'mlp',
      name: 'spx-cancelled',
      hyperparameters: { maxEpochs: 500, patience: 500, batchSize: 8 },
    });
    await until(
      () => training.job(job.id),
      (j) => j.progress.stage === 'epoch',
    );
    expect(training.cancel(job.id).status).toBe('running');
    const ended = await until(
      () => training.job(job.id),
      (j) => j.status !== 'running',
    );
    expect(ended).toMatchObject({ status: 'cancelled', error: 'cancelled on request', result: null });
    expect(ended.progress.fraction).toBeLessThan(0.9);
    expect(() => training.cancel(job.id)).toThrow(/already cancelled/);
    await training.jobs();
    expect(await new TrainingRunStore(db).get(job.id)).toMatchObject({
      status: 'cancelled',
      error: 'cancelled on request',
    });
    expect(await new ModelRegistry({ db, modelsDir }).list({ name: 'spx-cancelled' })).toEqual([]);
  }, 40_000);
});
