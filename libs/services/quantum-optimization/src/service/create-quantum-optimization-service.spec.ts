import { ConfigError, ManualClock, openDatabase, ValidationError, type Database } from '@rrr/core';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { estimateInputsFromPrices } from '../estimate-inputs-from-prices';
import { optimizePortfolio } from '../optimize-portfolio';
import { createRng } from '../seeded-rng';
import { settledOptimizationJob } from '../testing/settled-optimization-job';
import { storeCloses } from '../testing/store-closes';
import {
  createQuantumOptimizationService,
  type QuantumOptimizationService,
} from './create-quantum-optimization-service';
import { OptimizationRunStore } from './optimization-run-store';

/** The real daily closes shipped in npm packages: S&P 500 (vega-datasets) and AAPL (@observablehq/sample-datasets). */
function bundledDailyBars(symbol: 'SPX' | 'AAPL'): { ts: number; close: number }[] {
  const path =
    symbol === 'SPX'
      ? join(dirname(require.resolve('vega-datasets')), '..', 'data', 'sp500-2000.csv')
      : require.resolve('@observablehq/sample-datasets/aapl.csv');
  return readFileSync(path, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => {
      const [date, , , , close] = line.split(',');
      return { ts: Date.parse(`${date}T00:00:00Z`), close: Number(close) };
    });
}

const settled = settledOptimizationJob;

async function problemsOf(promise: Promise<unknown>): Promise<string[]> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ValidationError);
    return (error as ValidationError).problems.map((p) => `${p.field}: ${p.message}`);
  }
  throw new Error('expected a ValidationError');
}

describe('createQuantumOptimizationService over stored bars', () => {
  let dir: string;
  let db: Database;
  let service: QuantumOptimizationService;
  const aapl = bundledDailyBars('AAPL');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-quantum-service-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
    await storeCloses(db, 'SPX', bundledDailyBars('SPX'));
    await storeCloses(db, 'AAPL', aapl);
    // Two seeded random walks on AAPL's dates, so there is something to choose between.
    for (const [symbol, seed, drift] of [
      ['GLD', 7, 0.0002],
      ['TLT', 11, 0.0001],
    ] as const) {
      const rng = createRng(seed);
      let price = 100;
      await storeCloses(
        db,
        symbol,
        aapl.map(({ ts }) => {
          price *= Math.exp(drift + 0.01 * (rng.next() - 0.5) * 2);
          return { ts, close: price };
        }),
      );
    }
    service = createQuantumOptimizationService({ db });
    await service.start();
  });

  afterAll(async () => {
    await service.stop();
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('solves on a worker thread the problem estimated from the stored closes, as optimizePortfolio does', async () => {
    const symbols = ['SPX', 'AAPL', 'GLD', 'TLT'];
    const submitted = await service.submit({ symbols, k: 2, method: 'all', seed: 3 });
    expect(submitted.inputs.observations).toBe(aapl.length - 1);
    expect(submitted.inputs).toMatchObject({ firstTs: aapl[0].ts, lastTs: aapl[aapl.length - 1].ts });
    const job = await settled(service, submitted.id);
    expect(job.status).toBe('completed');

    const closes = await Promise.all(
      symbols.map((s) =>
        db.query<{ close: number }>(
          `SELECT close FROM bars WHERE symbol = ? AND interval = '1d' AND ts >= ? AND ts <= ? ORDER BY ts`,
          [s, aapl[0].ts, aapl[aapl.length - 1].ts],
        ),
      ),
    );
    const inputs = estimateInputsFromPrices(
      Object.fromEntries(symbols.map((s, i) => [s, closes[i].map((r) => r.close)])),
    );
    expect(job.inputs.expectedReturns).toEqual(inputs.expectedReturns);
    const expected = optimizePortfolio({ ...inputs, k: 2, method: 'all', seed: 3, riskAversion: 1 });
    const result = job.result;
    expect(result?.runs.map((r) => [r.method, r.bitstring, r.objective])).toEqual(
      expected.runs.map((r) => [r.method, r.bitstring, r.objective]),
    );
    expect(result?.reference?.best).toEqual(expected.reference?.best);
    expect(result?.winner.method).toBe(expected.winner.method);
    expect((await service.jobs())[0].id).toBe(job.id);
    expect((await service.health()).details).toMatchObject({ queued: 0, running: 0, completed: 1 });
  });

  it('names every bad field before queueing, and symbols without data', async () => {
    expect(
      await problemsOf(service.submit({ symbols: ['SPX'], k: 3, method: 'quantum' as 'qaoa', riskAversion: -1 })),
    ).toEqual([
      'symbols: must name 2 to 20 assets (1 valid given)',
      'k: must be an integer from 1 to the number of symbols (1)',
      'method: must be one of all, exact, qaoa, anneal, tempering, mean-variance',
      'riskAversion: must be a number >= 0',
    ]);
    expect(await problemsOf(service.submit({ symbols: ['SPX', 'NOPE'] }))).toEqual([
      'symbols: NOPE has no 1d bars stored',
    ]);
    expect(await problemsOf(service.submit({ symbols: 'SPX,AAPL', from: '2001-01-01', to: '2001-12-31' }))).toEqual([
      'symbols: AAPL has no 1d bars stored between 2001-01-01T00:00:00.000Z and 2001-12-31T00:00:00.000Z',
    ]);
    expect((await service.jobs()).every((j) => j.status === 'completed')).toBe(true);
  });

  it('cancels a queued job and terminates a running one; 404s unknown ids', async () => {
    const slow = await service.submit({ symbols: ['SPX', 'AAPL', 'GLD', 'TLT'], method: 'qaoa' });
    const waiting = await service.submit({ symbols: ['SPX', 'AAPL'], method: 'exact' });
    expect((await service.job(waiting.id)).status).toBe('queued');
    expect(service.cancel(waiting.id)).toMatchObject({ status: 'cancelled', error: 'cancelled before it started' });
    service.cancel(slow.id);
    expect(await settled(service, slow.id)).toMatchObject({
      status: 'cancelled',
      error: 'cancelled on request',
      result: null,
    });
    await expect(service.job('nope')).rejects.toThrow('optimisation "nope" not found');
    expect(() => service.cancel(slow.id)).toThrow(`optimisation ${slow.id} is already cancelled`);
  });

  it('stores every job, so another service on the database answers for it, result included', async () => {
    const submitted = await service.submit({ symbols: ['SPX', 'AAPL', 'GLD'], k: 2, method: 'exact' });
    // Stored before submit returns: another process's service (here unstarted) finds it at once.
    const reader = createQuantumOptimizationService({ db });
    expect((await reader.job(submitted.id)).request).toEqual(submitted.request);
    const done = await settled(service, submitted.id);
    expect(done.status).toBe('completed');
    expect(await reader.job(submitted.id)).toEqual(done);
    expect((await reader.jobs({ limit: 1 }))[0]).toEqual(done);
    const row = await db.queryOne<{ status: string; result: string }>(
      'SELECT status, result FROM optimization_runs WHERE id = ?',
      [submitted.id],
    );
    expect(row?.status).toBe('completed');
    expect(JSON.parse(row?.result ?? 'null')).toEqual(done.result);
  });

  it('reports a job whose process stopped vouching for it as interrupted, and stores that', async () => {
    const [template] = await service.jobs({ limit: 1 });
    const store = new OptimizationRunStore(db);
    const clock = new ManualClock(Date.UTC(2030, 0, 1));
    const lastHeard = clock.now();
    const orphan = { ...template, id: 'orphan', status: 'running' as const, result: null, finishedAt: null };
    const alive = { ...orphan, id: 'alive', status: 'queued' as const, startedAt: null };
    delete orphan.error;
    await store.save(orphan, lastHeard);
    await store.save(alive, lastHeard);
    const reader = createQuantumOptimizationService({ db, clock }, { heartbeatMs: 1_000 });

    clock.advance(3_000);
    expect((await reader.job('orphan')).status).toBe('running');
    await store.heartbeat(['alive'], clock.now());
    clock.advance(1);
    const interrupted = await reader.job('orphan');
    expect(interrupted).toEqual({
      ...orphan,
      status: 'failed',
      error: 'interrupted: the process running it stopped (last heard of at 2030-01-01T00:00:00.000Z)',
      finishedAt: lastHeard + 3_001,
    });
    expect((await store.get('orphan'))?.job).toEqual(interrupted);
    expect((await reader.job('alive')).status).toBe('queued');
    await db.execute("DELETE FROM optimization_runs WHERE id IN ('orphan', 'alive')");
  });

  it('checks its config', () => {
    let error: unknown;
    try {
      createQuantumOptimizationService({ db }, { concurrency: 0, maxQueued: 2.5, keepJobs: 200, heartbeatMs: 5 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'concurrency: must be an integer from 1 to 16',
      'maxQueued: must be an integer from 0 to 10000',
      'heartbeatMs: must be an integer from 10 to 600000',
    ]);
  });
});
