import { callApi, startJobsPlatform, type JobsPlatform } from '../../testing/start-jobs-platform';

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
});
