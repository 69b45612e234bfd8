import { callApi, startJobsPlatform, type JobsPlatform } from '../../testing/start-jobs-platform';
import { eventually } from '../../testing/eventually';
import { startTestPlatform, type TestPlatform } from '../../testing/start-test-platform';

interface ModelItem {
  id: number;
  modelId: string;
  name: string;
  version: number;
  kind: string;
  symbol: string;
  status: string;
  active: boolean;
  metrics: Record<string, unknown>;
  createdAt: number;
}

describe('model routes on the platform', () => {
  let jobs: JobsPlatform;
  const created = Date.UTC(2026, 10, 1);

  beforeAll(async () => {
    // Rows as ModelRegistry.register writes them (the files are not needed to list or describe a model).
    const row = (version: number, status: string, accuracy: number) => ({
      name: 'spx-logistic-1d',
      version,
      kind: 'logistic',
      symbol: 'SPX',
      interval: '1d',
      horizon_ms: 86_400_000,
      features: ['rsi14', 'macd'],
      hyperparameters: { learningRate: 0.01 },
      metrics: { accuracy },
      artifact_uri: `spx-logistic-1d/v${version}`,
      status,
      trained_from: Date.UTC(2000, 0, 3),
      trained_to: Date.UTC(2015, 0, 2),
      created_at: created + version,
    });
    jobs = await startJobsPlatform((db) =>
      db.insertMany('ml_models', [row(1, 'trained', 0.52), row(2, 'active', 0.55)]),
    );
  });
  afterAll(() => jobs?.close());

  it('lists ml_models rows with their status and metrics', async () => {
    const list = await callApi<{ items: ModelItem[] }>(`${jobs.api}/models`);
    expect(list.status).toBe(200);
    expect(list.body.items.map((m) => [m.modelId, m.kind, m.symbol, m.active, m.metrics, m.createdAt])).toEqual([
      ['spx-logistic-1d@1', 'logistic', 'SPX', false, { accuracy: 0.52 }, created + 1],
      ['spx-logistic-1d@2', 'logistic', 'SPX', true, { accuracy: 0.55 }, created + 2],
    ]);
    const active = await callApi<{ items: ModelItem[] }>(`${jobs.api}/models?status=active`);
    expect(active.body.items.map((m) => m.version)).toEqual([2]);
  });

  it('answers one model by id, by name@version and by name (latest), and 404s unknown ones', async () => {
    const [first] = (await callApi<{ items: ModelItem[] }>(`${jobs.api}/models`)).body.items;
    const byId = await callApi<ModelItem & { features: string[]; trainedTo: number }>(`${jobs.api}/models/${first.id}`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({
      modelId: 'spx-logistic-1d@1',
      features: ['rsi14', 'macd'],
      trainedTo: Date.UTC(2015, 0, 2),
    });
    expect((await callApi<ModelItem>(`${jobs.api}/models/spx-logistic-1d@1`)).body.id).toBe(first.id);
    expect((await callApi<ModelItem>(`${jobs.api}/models/spx-logistic-1d`)).body.version).toBe(2);
    for (const ref of ['999999', 'nope@3']) {
      const missing = await callApi<{ error: { code: string } }>(`${jobs.api}/models/${ref}`);
      expect(missing.status).toBe(404);
      expect(missing.body.error.code).toBe('NOT_FOUND');
    }
  });

  it('serves no training routes in a process that runs no neural-network service', async () => {
    const post = await callApi<{ error: { code: string } }>(`${jobs.api}/models/training`, {
      method: 'POST',
      key: jobs.keys.trade,
      body: { symbol: 'SPX' },
    });
    expect(post.status).toBe(404);
    expect(post.body.error.code).toBe('NOT_FOUND');
  });
});

interface TrainingJobView {
  id: string;
  status: string;
  error?: string;
  fraction: number;
  request: Record<string, unknown>;
  progress: { stage: string | null; message: string; epoch: number | null; maxEpochs: number | null; fraction: number };
  result: { model: string; id: number; status: string; served: boolean; verdict: string[] } | null;
}

interface Refusal {
  error: { code: string; message: string; details?: { problems?: { field: string; message: string }[] } };
}

describe('training jobs through the API (neural-network service on worker threads)', () => {
  let platform: TestPlatform<'read' | 'trade'>;
  const post = (body: unknown, key?: string) =>
    callApi<{ id: string; status: string; submittedAt: number } & Refusal>(`${platform.api}/models/training`, {
      method: 'POST',
      body,
      ...(key === undefined ? {} : { key }),
    });
  const read = (id: string) => callApi<TrainingJobView & Refusal>(`${platform.api}/models/training/${id}`);
  const ended = (id: string, timeoutMs = 30_000) =>
    eventually(
      async () => {
        const job = (await read(id)).body;
        return job.status === 'queued' || job.status === 'running' ? undefined : job;
      },
      `training job ${id} to end`,
      timeoutMs,
      50,
    );

  beforeAll(async () => {
    platform = await startTestPlatform({
      tempPrefix: 'rrr-model-training-routes-',
      keys: { read: { scope: 'read' }, trade: { scope: 'trade' } },
      config: {
        services: ['data-pipeline', 'neural-network', 'api'],
        // The data pipeline loads the bundled SPX and AAPL daily bars, and insists on one live pair.
        data: { symbols: ['SPX', 'AAPL', 'BTC-USD'] },
      },
    });
  }, 60_000);
  afterAll(() => platform?.stop());

  it('needs a key of trade scope', async () => {
    const anonymous = await post({ symbol: 'SPX' });
    expect(anonymous.status).toBe(401);
    const reader = await post({ symbol: 'SPX' }, platform.keys.read);
    expect(reader.status).toBe(403);
    expect(reader.body.error.message).toBe(
      `POST /api/v1/models/training needs an API key with trade scope; key ${platform.keyIds.read} has read scope`,
    );
    expect((await callApi<{ items: unknown[] }>(`${platform.api}/models/training`)).body.items).toEqual([]);
  });

  it('refuses a bad request with a 400 naming each field, and queues nothing', async () => {
    const refused = await post({ symbol: 'SPX', kind: 'forest', horizon: '1h', epochs: 3 }, platform.keys.trade);
    expect(refused.status).toBe(400);
    expect(refused.body.error.code).toBe('VALIDATION_FAILED');
    expect(refused.body.error.details?.problems?.map(({ field, message }) => ({ field, message }))).toEqual([
      { field: 'epochs', message: expect.stringMatching(/^is not a training option/) },
      { field: 'kind', message: 'must be one of logistic, mlp, lstm, ensemble' },
      { field: 'horizon', message: 'must be a whole multiple of the bar interval 1d (got 1h)' },
    ]);
    // A value of the wrong JSON type is refused by the route's schema, named under `body`.
    const mistyped = await post({ symbol: 'SPX', activate: 'no' }, platform.keys.trade);
    expect(mistyped.status).toBe(400);
    expect(mistyped.body.error.details?.problems?.map((p) => p.field)).toEqual(['body.activate']);
    const fewBars = await post({ symbol: 'ETH-USD', interval: '1m' }, platform.keys.trade);
    expect(fewBars.status).toBe(400);
    expect(fewBars.body.error.details?.problems).toEqual([
      {
        field: 'symbol',
        message: 'has no 1m bars stored (GET /api/v1/symbols lists the stored series)',
        value: 'ETH-USD',
      },
    ]);
    const hyper = await post({ symbol: 'SPX', hyperparameters: { maxEpochs: 0 } }, platform.keys.trade);
    expect(hyper.body.error.details?.problems?.map((p) => p.field)).toEqual(['hyperparameters.maxEpochs']);
    expect((await callApi<{ items: unknown[] }>(`${platform.api}/models/training`)).body.items).toEqual([]);
  });

  it('trains a tiny logistic model to completion, registers and activates it, and the live service serves it', async () => {
    const accepted = await post(
      { symbol: 'SPX', kind: 'logistic', hyperparameters: { maxEpochs: 30 }, name: 'spx-api' },
      platform.keys.trade,
    );
    expect(accepted.status).toBe(202);
    const job = await ended(accepted.body.id);
    expect(job).toMatchObject({
      status: 'completed',
      fraction: 1,
      request: { symbol: 'SPX', kind: 'logistic', interval: '1d', horizon: '1d', threshold: 0.003, activate: true },
      progress: { stage: 'done', maxEpochs: 30 },
      result: { model: 'spx-api@1', status: 'active', served: true },
    });
    // One line per naive baseline, then the overall verdict, from the holdout.
    expect(job.result?.verdict).toEqual([
      expect.stringMatching(/^logistic (beats|does NOT beat) the majority/),
      expect.stringMatching(/^logistic (beats|does NOT beat) the last/),
      expect.stringMatching(/^Overall: logistic /),
    ]);
    const model = await callApi<{ status: string; active: boolean; kind: string }>(`${platform.api}/models/spx-api@1`);
    expect(model.body).toMatchObject({ status: 'active', active: true, kind: 'logistic' });
    const services = await callApi<{ services: Record<string, { details?: { models?: { model: string }[] } }> }>(
      `${platform.platform.url()}/health`,
    );
    expect(services.body.services['neural-network']?.details?.models?.map((m) => m.model)).toEqual(['spx-api@1']);
  }, 40_000);

  it('cancels a running job (its worker terminated), refuses a second cancel, and 404s unknown jobs', async () => {
    const accepted = await post(
      {
        symbol: 'SPX',
        kind: 'mlp',
        name: 'spx-cancelled',
        hyperparameters: { maxEpochs: 500, patience: 500, batchSize: 16 },
        activate: false,
      },
      platform.keys.trade,
    );
    expect(accepted.status).toBe(202);
    const { id } = accepted.body;
    await eventually(
      async () => ((await read(id)).body.progress.stage === 'epoch' ? true : undefined),
      'the job to reach its epochs',
      20_000,
    );
    const cancel = await callApi<TrainingJobView>(`${platform.api}/models/training/${id}/cancel`, {
      method: 'POST',
      key: platform.keys.trade,
    });
    expect(cancel.status).toBe(202);
    expect(cancel.body.status).toBe('running');
    const job = await ended(id, 10_000);
    expect(job).toMatchObject({ status: 'cancelled', error: 'cancelled on request', result: null });
    const again = await callApi<Refusal>(`${platform.api}/models/training/${id}/cancel`, {
      method: 'POST',
      key: platform.keys.trade,
    });
    expect(again.status).toBe(409);
    expect((await callApi<{ items: unknown[] }>(`${platform.api}/models?symbol=SPX`)).body.items).toHaveLength(1);
    const unknown = await read('no-such-job');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/training job.*no-such-job/);
  }, 40_000);

  it('documents the training routes in the OpenAPI document', async () => {
    const doc = await callApi<{ paths: Record<string, Record<string, unknown>> }>(
      `${platform.platform.url()}/docs/json`,
    );
    expect(Object.keys(doc.body.paths).filter((path) => path.startsWith('/api/v1/models/training'))).toEqual([
      '/api/v1/models/training',
      '/api/v1/models/training/{id}',
      '/api/v1/models/training/{id}/cancel',
    ]);
    expect(Object.keys(doc.body.paths['/api/v1/models/training'])).toEqual(['post', 'get']);
  });
});
