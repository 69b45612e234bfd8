import { eventually } from '../../testing/eventually';
import { callApi, startJobsPlatform, type JobsPlatform } from '../../testing/start-jobs-platform';

interface ServiceItem {
  name: string;
  state: string;
  health: { status: string; details?: Record<string, unknown> };
  dependencies: string[];
  restarts: number;
  manualRestarts: number;
}
interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

describe('service routes on the platform', () => {
  let jobs: JobsPlatform;

  beforeAll(async () => {
    jobs = await startJobsPlatform();
  });
  afterAll(() => jobs?.close());

  it('lists every registered service with state, health, dependencies and restart counts', async () => {
    const list = await callApi<{ items: ServiceItem[] }>(`${jobs.api}/services`);
    expect(list.status).toBe(200);
    const byName = Object.fromEntries(list.body.items.map((s) => [s.name, s]));
    expect(Object.keys(byName).sort()).toEqual([
      'api',
      'backtesting',
      'data-pipeline',
      'database',
      'event-bus',
      'monitoring',
      'quantum-optimization',
    ]);
    expect(list.body.items.every((s) => s.state === 'running' && s.health.status === 'up')).toBe(true);
    expect(byName['backtesting']).toMatchObject({
      dependencies: ['database'],
      restarts: 0,
      manualRestarts: 0,
      health: { details: { queued: 0, running: 0, concurrency: 1 } },
    });
    expect(byName['api'].dependencies).toEqual(['database', 'event-bus', 'backtesting', 'quantum-optimization']);
  });

  it('documents every job route at /docs/json with its tag, summary and the key it needs', async () => {
    const doc = (
      await callApi<{
        paths: Record<string, Record<string, { tags: string[]; summary: string; description?: string }>>;
      }>(`${jobs.api.replace(/\/api\/v1$/, '')}/docs/json`)
    ).body;
    const operations = [
      ['get', '/api/v1/backtests', 'backtests'],
      ['post', '/api/v1/backtests', 'backtests'],
      ['get', '/api/v1/backtests/{id}', 'backtests'],
      ['get', '/api/v1/backtests/{id}/progress', 'backtests'],
      ['get', '/api/v1/models', 'models'],
      ['get', '/api/v1/models/{id}', 'models'],
      ['post', '/api/v1/optimizations', 'optimization'],
      ['get', '/api/v1/optimizations/{id}', 'optimization'],
      ['get', '/api/v1/services', 'services'],
      ['post', '/api/v1/services/{name}/restart', 'services'],
    ] as const;
    for (const [method, path, tag] of operations) {
      expect(doc.paths[path]?.[method]).toMatchObject({ tags: [tag], summary: expect.any(String) });
    }
    expect(doc.paths['/api/v1/services/{name}/restart'].post.description).toContain('scope admin');
    expect(doc.paths['/api/v1/backtests'].post.description).toContain('scope trade');
  });

  it('restarts a service for an admin key and shows it running again', async () => {
    const restarted = await callApi<ServiceItem>(`${jobs.api}/services/monitoring/restart`, {
      method: 'POST',
      key: jobs.keys.admin,
    });
    expect(restarted.status).toBe(200);
    expect(restarted.body).toMatchObject({ name: 'monitoring', state: 'running', manualRestarts: 1, restarts: 0 });
    const monitoring = await eventually(async () => {
      const list = await callApi<{ items: ServiceItem[] }>(`${jobs.api}/services`);
      return list.body.items.find((s) => s.name === 'monitoring' && s.health.status === 'up');
    }, 'monitoring up again');
    expect(monitoring).toMatchObject({ state: 'running', manualRestarts: 1 });
  });

  it('needs an admin key: 401 without one, 403 with a trade key', async () => {
    const anonymous = await callApi<ErrorBody>(`${jobs.api}/services/monitoring/restart`, { method: 'POST' });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHORIZED');
    const trader = await callApi<ErrorBody>(`${jobs.api}/services/monitoring/restart`, {
      method: 'POST',
      key: jobs.keys.trade,
    });
    expect(trader.status).toBe(403);
    expect(trader.body.error.code).toBe('FORBIDDEN');
  });

  it('refuses (409) a service others depend on and the API itself; 404 for an unknown one', async () => {
    const database = await callApi<ErrorBody>(`${jobs.api}/services/database/restart`, {
      method: 'POST',
      key: jobs.keys.admin,
    });
    expect(database.status).toBe(409);
    expect(database.body.error.code).toBe('CONFLICT');
    expect(database.body.error.details?.['dependents']).toEqual(
      expect.arrayContaining(['api', 'backtesting', 'quantum-optimization', 'monitoring', 'data-pipeline']),
    );
    const api = await callApi<ErrorBody>(`${jobs.api}/services/api/restart`, { method: 'POST', key: jobs.keys.admin });
    expect(api.status).toBe(409);
    expect(api.body.error.message).toBe('"api" serves this request and cannot restart itself: restart the platform');
    const unknown = await callApi<ErrorBody>(`${jobs.api}/services/nope/restart`, {
      method: 'POST',
      key: jobs.keys.admin,
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('NOT_FOUND');
    const states = (await callApi<{ items: ServiceItem[] }>(`${jobs.api}/services`)).body.items.map((s) => s.state);
    expect(new Set(states)).toEqual(new Set(['running']));
  });
});
