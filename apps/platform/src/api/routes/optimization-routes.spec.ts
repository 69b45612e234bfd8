import {
  estimateInputsFromPrices,
  OPTIMIZATION_METHODS,
  OPTIMIZATION_REQUEST_FIELDS,
  optimizePortfolio,
} from '@rrr/quantum-optimization';
import { eventually } from '../../testing/eventually';
import { callApi, startJobsPlatform, type JobsPlatform } from '../../testing/start-jobs-platform';

interface Job {
  id: string;
  status: string;
  request: { symbols: string[]; k: number; method: string };
  inputs: { expectedReturns: number[]; observations: number; firstTs: number; lastTs: number };
  result: {
    runs: { method: string; holdings: { symbol: string; weight: number }[]; objective: number }[];
    winner: { method: string | null };
  } | null;
}
interface ErrorBody {
  error: { code: string; details?: { problems?: { field: string; message: string }[] } };
}

describe('optimization routes on the platform', () => {
  let jobs: JobsPlatform;

  beforeAll(async () => {
    jobs = await startJobsPlatform();
  });
  afterAll(() => jobs?.close());

  it('optimises over the stored SPX and AAPL closes and serves the result', async () => {
    const started = await callApi<Job>(`${jobs.api}/optimizations`, {
      method: 'POST',
      key: jobs.keys.trade,
      body: { symbols: ['SPX', 'AAPL'], k: 1, method: 'all', seed: 2 },
    });
    expect(started.status).toBe(202);
    expect(started.body.request).toMatchObject({ symbols: ['SPX', 'AAPL'], k: 1, method: 'all' });
    // SPX and AAPL share AAPL's 1,260 trading days (2013-05-13 … 2018-05-11).
    expect(started.body.inputs).toMatchObject({
      observations: 1_259,
      firstTs: Date.UTC(2013, 4, 13),
      lastTs: Date.UTC(2018, 4, 11),
    });

    const done = await eventually(
      async () => {
        const job = await callApi<Job>(`${jobs.api}/optimizations/${started.body.id}`);
        return job.body.status === 'queued' || job.body.status === 'running' ? undefined : job.body;
      },
      'the optimisation to finish',
      15_000,
    );
    expect(done.status).toBe('completed');

    const closes = async (symbol: string) =>
      (
        await jobs.db.query<{ close: number }>(
          `SELECT close FROM bars WHERE symbol = ? AND interval = '1d' AND ts >= ? AND ts <= ? ORDER BY ts`,
          [symbol, Date.UTC(2013, 4, 13), Date.UTC(2018, 4, 11)],
        )
      ).map((r) => r.close);
    const inputs = estimateInputsFromPrices({ SPX: await closes('SPX'), AAPL: await closes('AAPL') });
    const expected = optimizePortfolio({ ...inputs, k: 1, method: 'all', seed: 2 });
    expect(done.result?.runs.map((r) => [r.method, r.holdings, r.objective])).toEqual(
      expected.runs.map((r) => [r.method, r.holdings, r.objective]),
    );
    expect(done.result?.winner.method).toBe(expected.winner.method);

    // Stored as it finished: listed, and the row holds the result the API served.
    const listed = await callApi<{ items: Job[] }>(`${jobs.api}/optimizations?limit=5`);
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([done]);
    const row = await jobs.db.queryOne<{ status: string; result: string }>(
      'SELECT status, result FROM optimization_runs WHERE id = ?',
      [done.id],
    );
    expect(row?.status).toBe('completed');
    expect(JSON.parse(row?.result ?? 'null')).toEqual(done.result);
    expect((await callApi(`${jobs.api}/optimizations?limit=0`)).status).toBe(400);
  });

  it('lists the methods and the request fields as the library declares them, and POST holds to those bounds', async () => {
    interface MethodsBody {
      items: { id: string; answers: string; maxAssets: number | null; reads: string[]; limits: string }[];
      fields: { name: string; default: number | string | null; min?: number; max?: number; choices?: string[] }[];
    }
    const listed = await callApi<MethodsBody>(`${jobs.api}/optimizations/methods`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual(
      JSON.parse(JSON.stringify({ items: OPTIMIZATION_METHODS, fields: OPTIMIZATION_REQUEST_FIELDS })),
    );
    expect(listed.body.items.map((m) => [m.id, m.maxAssets, m.reads])).toEqual([
      ['all', null, ['k', 'riskAversion', 'seed']],
      ['exact', 20, ['k', 'riskAversion']],
      ['qaoa', 20, ['k', 'riskAversion', 'seed']],
      ['anneal', null, ['k', 'riskAversion', 'seed']],
      ['tempering', null, ['k', 'riskAversion', 'seed']],
      ['mean-variance', null, ['riskAversion']],
    ]);
    const field = (name: string) => listed.body.fields.find((f) => f.name === name);
    expect(field('symbols')).toMatchObject({ default: null, min: 2, max: 20 });
    expect(field('riskAversion')).toMatchObject({ default: 1, min: 0 });
    expect(field('interval')).toMatchObject({ default: '1d', choices: ['1m', '5m', '15m', '1h', '4h', '1d'] });
    expect(field('method')?.choices).toEqual(listed.body.items.map((m) => m.id));

    // One symbol more than the published maximum, and k below its minimum: refused, each field named.
    const symbolsMax = field('symbols')?.max ?? NaN;
    const tooMany = Array.from({ length: symbolsMax + 1 }, (_, i) => `SYM${String(i).padStart(2, '0')}`);
    const refusals = await Promise.all(
      [{ symbols: tooMany }, { symbols: ['SPX', 'AAPL'], k: (field('k')?.min ?? NaN) - 1 }].map((body) =>
        callApi<ErrorBody>(`${jobs.api}/optimizations`, { method: 'POST', key: jobs.keys.trade, body }),
      ),
    );
    expect(
      refusals.map((r) => [r.status, r.body.error.details?.problems?.map((p) => `${p.field}: ${p.message}`)]),
    ).toEqual([
      // symbols is a list or comma-separated text: the schema says why neither form fits.
      [
        400,
        [
          `body.symbols: must NOT have more than ${symbolsMax} items`,
          'body.symbols: must be string',
          'body.symbols: must match a schema in anyOf',
        ],
      ],
      [400, [`body.k: must be >= ${field('k')?.min}`]],
    ]);
  });

  it('cancels a job (202, then cancelled), 409s one that ended and 404s an unknown one', async () => {
    // One solve at a time: the second of two submitted together waits behind a QAOA run.
    const [first, second] = await Promise.all(
      [{ method: 'qaoa' }, { method: 'exact' }].map(({ method }) =>
        callApi<Job>(`${jobs.api}/optimizations`, {
          method: 'POST',
          key: jobs.keys.trade,
          body: { symbols: ['SPX', 'AAPL'], k: 1, method },
        }),
      ),
    );
    const cancel = (id: string) =>
      callApi<Job & ErrorBody>(`${jobs.api}/optimizations/${id}/cancel`, { method: 'POST', key: jobs.keys.trade });
    const cancelled = await cancel(second.body.id);
    expect(cancelled.status).toBe(202);
    const ended = await eventually(
      async () => {
        const job = (await callApi<Job>(`${jobs.api}/optimizations/${second.body.id}`)).body;
        return job.status === 'queued' || job.status === 'running' ? undefined : job;
      },
      'the cancelled optimisation to end',
      15_000,
    );
    expect(ended.status).toBe('cancelled');
    const again = await cancel(second.body.id);
    expect([again.status, again.body.error.code]).toEqual([409, 'CONFLICT']);
    expect((await cancel('nope')).status).toBe(404);
    await eventually(
      async () => {
        const job = (await callApi<Job>(`${jobs.api}/optimizations/${first.body.id}`)).body;
        return job.status === 'queued' || job.status === 'running' ? undefined : job;
      },
      'the first optimisation to end',
      15_000,
    );
  });

  it('400s naming the field, 401/403 without a trade key, 404 for unknown ids', async () => {
    const bad = await callApi<ErrorBody>(`${jobs.api}/optimizations`, {
      method: 'POST',
      key: jobs.keys.trade,
      body: { symbols: ['SPX', 'ZZZ'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details?.problems).toEqual([
      { field: 'symbols', message: 'ZZZ has no 1d bars stored', value: 'ZZZ' },
    ]);
    const method = await callApi<ErrorBody>(`${jobs.api}/optimizations`, {
      method: 'POST',
      key: jobs.keys.trade,
      body: { symbols: ['SPX', 'AAPL'], method: 'quantum' },
    });
    expect(method.status).toBe(400);
    expect(method.body.error.details?.problems?.[0].field).toBe('body.method');
    expect(
      (await callApi(`${jobs.api}/optimizations`, { method: 'POST', body: { symbols: ['SPX', 'AAPL'] } })).status,
    ).toBe(401);
    expect(
      (
        await callApi(`${jobs.api}/optimizations`, {
          method: 'POST',
          key: jobs.keys.read,
          body: { symbols: ['SPX', 'AAPL'] },
        })
      ).status,
    ).toBe(403);
    const missing = await callApi<ErrorBody>(`${jobs.api}/optimizations/nope`);
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('NOT_FOUND');
  });
});
