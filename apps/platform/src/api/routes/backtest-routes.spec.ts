import { BACKTEST_STRATEGIES, defaultBarLoader, runBacktest, type BacktestJobProgress } from '@rrr/backtesting';
import { eventually } from '../../testing/eventually';
import { callApi, startJobsPlatform, type JobsPlatform } from '../../testing/start-jobs-platform';

interface ErrorBody {
  error: { code: string; message: string; details?: { problems?: { field: string; message: string }[] } };
}
interface Detail {
  id: string;
  strategy: string;
  symbols: string[];
  status: string;
  from: number;
  to: number;
  params: Record<string, unknown>;
  metrics: Record<string, number | null>;
  benchmarkMetrics: Record<string, number | null>;
  equity: { ts: number; equity: number; drawdown: number }[];
  trades: { symbol: string; direction: string; entryTs: number; exitTs: number | null; pnl: number | null }[];
}

const REQUEST = {
  strategy: 'sma-cross',
  symbol: 'SPX',
  from: '2010-01-01',
  to: '2019-12-31',
  params: { fast: 20, slow: 50 },
};

describe('backtest routes on the platform', () => {
  let jobs: JobsPlatform;

  beforeAll(async () => {
    jobs = await startJobsPlatform();
  });
  afterAll(() => jobs?.close());

  it('starts a backtest over HTTP, reports progress to completion, and serves the stored run', async () => {
    const started = await callApi<{ id: string; status: string; submittedAt: number }>(`${jobs.api}/backtests`, {
      method: 'POST',
      key: jobs.keys.trade,
      body: REQUEST,
    });
    expect(started.status).toBe(202);
    expect(['queued', 'running']).toContain(started.body.status);
    const { id } = started.body;

    const done = await eventually(
      async () => {
        const progress = await callApi<BacktestJobProgress>(`${jobs.api}/backtests/${id}/progress`);
        expect(progress.status).toBe(200);
        return progress.body.status === 'queued' || progress.body.status === 'running' ? undefined : progress.body;
      },
      `backtest ${id} to finish`,
      15_000,
    );
    expect(done).toMatchObject({ id, status: 'completed', fraction: 1 });
    expect(done.barsProcessed).toBe(done.barsTotal);
    expect(done.barsTotal).toBeGreaterThan(2_500);

    // The same run straight through the library, on the same stored bars: the API must serve exactly its figures.
    const direct = await runBacktest({ ...REQUEST, symbols: 'SPX' }, { loader: defaultBarLoader(jobs.db) });
    const detail = await callApi<Detail>(`${jobs.api}/backtests/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toMatchObject({ id, strategy: 'sma-cross', symbols: ['SPX'], status: 'completed' });
    expect([detail.body.from, detail.body.to]).toEqual([Date.UTC(2010, 0, 1), Date.UTC(2020, 0, 1)]);
    expect(detail.body.params).toEqual({ fast: 20, slow: 50 });
    expect(detail.body.metrics.sharpe).toBeCloseTo(direct.metrics.sharpe as number, 12);
    expect(detail.body.benchmarkMetrics.totalReturn).toBeCloseTo(direct.benchmark.totalReturn as number, 12);
    expect(detail.body.equity.map((p) => p.ts)).toEqual(direct.curve.ts);
    expect(detail.body.equity.map((p) => p.equity)).toEqual(direct.curve.equity);
    expect(Math.min(...detail.body.equity.map((p) => p.drawdown))).toBeCloseTo(
      -(direct.metrics.maxDrawdown as number),
      12,
    );
    expect(detail.body.equity.every((p) => p.drawdown <= 0)).toBe(true);
    expect(detail.body.trades).toHaveLength(direct.trades.length);
    expect(detail.body.trades[0]).toMatchObject({
      symbol: 'SPX',
      direction: 'long',
      entryTs: direct.trades[0].entryTs,
      pnl: direct.trades[0].pnl,
    });

    const list = await callApi<{ items: { id: string; status: string; metrics: { sharpe: number } | null }[] }>(
      `${jobs.api}/backtests?limit=10`,
    );
    expect(list.status).toBe(200);
    const listed = list.body.items.find((item) => item.id === id);
    expect(listed).toMatchObject({ status: 'completed' });
    expect(listed?.metrics?.sharpe).toBeCloseTo(direct.metrics.sharpe as number, 12);
  });

  it('refuses fast ≥ slow and a range with no data with a 400 naming the field, before queueing', async () => {
    const before = (await callApi<{ items: unknown[] }>(`${jobs.api}/backtests?limit=200`)).body.items.length;
    const crossed = await callApi<ErrorBody>(`${jobs.api}/backtests`, {
      method: 'POST',
      key: jobs.keys.trade,
      body: { ...REQUEST, params: { fast: 50, slow: 20 } },
    });
    expect(crossed.status).toBe(400);
    expect(crossed.body.error.code).toBe('VALIDATION_FAILED');
    expect(crossed.body.error.details?.problems).toEqual([
      expect.objectContaining({ field: 'params.fast', message: 'must be < slow (got fast 50, slow 20)' }),
    ]);
    const empty = await callApi<ErrorBody>(`${jobs.api}/backtests`, {
      method: 'POST',
      key: jobs.keys.trade,
      body: { ...REQUEST, from: '2030-01-01', to: '2030-06-30' },
    });
    expect(empty.status).toBe(400);
    expect(empty.body.error.details?.problems).toEqual([
      expect.objectContaining({
        field: 'from',
        message: 'is after the last bar: SPX 1d data covers 2000-01-03 … 2020-04-17',
      }),
    ]);
    const shapeless = await callApi<ErrorBody>(`${jobs.api}/backtests`, {
      method: 'POST',
      key: jobs.keys.trade,
      body: { symbol: 'SPX' },
    });
    expect(shapeless.status).toBe(400);
    expect(shapeless.body.error.details?.problems?.[0].field).toBe('body.strategy');
    const misspelt = await callApi<ErrorBody>(`${jobs.api}/backtests`, {
      method: 'POST',
      key: jobs.keys.trade,
      body: { ...REQUEST, parms: { fast: 5 } },
    });
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.error.details?.problems).toEqual([
      expect.objectContaining({
        field: 'body.parms',
        message: expect.stringMatching(
          /^is not a backtest request field \(known: strategy, symbol, symbols, from, to, params,/,
        ),
      }),
    ]);
    expect((await callApi<{ items: unknown[] }>(`${jobs.api}/backtests?limit=200`)).body.items).toHaveLength(before);
    expect((await callApi<ErrorBody>(`${jobs.api}/backtests?limit=201`)).status).toBe(400);
  });

  it('needs a trade key to start one: 401 without a key, 403 with a read key', async () => {
    const anonymous = await callApi<ErrorBody>(`${jobs.api}/backtests`, { method: 'POST', body: REQUEST });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('UNAUTHORIZED');
    const reader = await callApi<ErrorBody>(`${jobs.api}/backtests`, {
      method: 'POST',
      key: jobs.keys.read,
      body: REQUEST,
    });
    expect(reader.status).toBe(403);
    expect(reader.body.error.code).toBe('FORBIDDEN');
  });

  it('cancels a job (202, then cancelled), 409s one that ended, 404s an unknown one, and needs a trade key', async () => {
    // One replay at a time: of three submitted together, the last waits behind two whole replays.
    const submitted = await Promise.all(
      [1, 2, 3].map(() =>
        callApi<BacktestJobProgress>(`${jobs.api}/backtests`, {
          method: 'POST',
          key: jobs.keys.trade,
          body: { ...REQUEST, from: '2000-01-01' },
        }),
      ),
    );
    const last = submitted[2].body.id;
    // Waiting, it is already a stored run: listed as queued.
    const waiting = await callApi<{ items: { id: string; status: string }[] }>(`${jobs.api}/backtests`);
    expect(waiting.body.items.find((run) => run.id === last)?.status).toBe('queued');
    const cancel = (id: string) =>
      callApi<BacktestJobProgress & ErrorBody>(`${jobs.api}/backtests/${id}/cancel`, {
        method: 'POST',
        key: jobs.keys.trade,
      });
    expect((await callApi(`${jobs.api}/backtests/${last}/cancel`, { method: 'POST' })).status).toBe(401);
    expect(
      (await callApi(`${jobs.api}/backtests/${last}/cancel`, { method: 'POST', key: jobs.keys.read })).status,
    ).toBe(403);
    const cancelled = await cancel(last);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body.id).toBe(last);
    const ended = await eventually(
      async () => {
        const progress = (await callApi<BacktestJobProgress>(`${jobs.api}/backtests/${last}/progress`)).body;
        return progress.status === 'queued' || progress.status === 'running' ? undefined : progress;
      },
      'the cancelled job to end',
      15_000,
    );
    expect(ended.status).toBe('cancelled');
    // Its stored run is ended too, so no other process takes it over.
    const stored = await callApi<Detail & { error: string | null }>(`${jobs.api}/backtests/${last}`);
    expect([stored.body.status, stored.body.error]).toEqual(['failed', 'cancelled before it started']);
    const again = await cancel(last);
    expect([again.status, again.body.error.code]).toEqual([409, 'CONFLICT']);
    expect((await cancel('no-such-job')).status).toBe(404);
  });

  it('lists the strategies a backtest runs, with their parameters, as the catalog declares them', async () => {
    const listed = await callApi<{ items: { name: string; description: string; parameters: unknown[] }[] }>(
      `${jobs.api}/backtests/strategies`,
    );
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual(
      Object.values(BACKTEST_STRATEGIES).map(({ name, description, parameters }) => ({
        name,
        description,
        parameters,
      })),
    );
    expect(listed.body.items.find((s) => s.name === 'sma-cross')?.parameters).toEqual([
      { name: 'fast', type: 'integer', default: 20, min: 1, max: 10_000, description: 'fast average, bars' },
      { name: 'slow', type: 'integer', default: 50, min: 2, max: 10_000, description: 'slow average, bars' },
    ]);
  });

  it('answers 404 in the error shape for unknown runs', async () => {
    for (const path of ['/backtests/no-such-run', '/backtests/no-such-run/progress']) {
      const response = await callApi<ErrorBody>(`${jobs.api}${path}`);
      expect(response.status).toBe(404);
      expect(response.body.error.code).toBe('NOT_FOUND');
    }
  });
});
