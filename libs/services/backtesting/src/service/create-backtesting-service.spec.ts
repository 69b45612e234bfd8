import { ConfigError, openDatabase, RrrError, type Database } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BacktestRequest } from '../api/backtest-request';
import { runBacktest } from '../api/run-backtest';
import { bundledBarLoader } from '../data/bar-loader';
import { insertBacktestRun, type BacktestRunRecord } from '../storage/backtest-run-store';
import { settledJob } from '../testing/settled-job';
import { validationProblemsOf } from '../testing/validation-problems-of';
import { createBacktestingService } from './create-backtesting-service';

const SMA_2010S: BacktestRequest = {
  strategy: 'sma-cross',
  symbols: 'SPX',
  from: '2010-01-01',
  to: '2019-12-31',
  params: { fast: 20, slow: 50 },
};

describe('createBacktestingService over SQLite and the bundled S&P 500', () => {
  let dir: string;
  let db: Database;
  let ids: number;
  let files = 0;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-backtesting-service-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A database per test: a stopped service hands its queued runs to the next one started on the same database.
  beforeEach(async () => {
    ids = 0;
    db = await openDatabase({ sqlitePath: join(dir, `rrr-${++files}.db`) });
  });
  afterEach(async () => db.close());

  const build = (
    config: Parameters<typeof createBacktestingService>[1] = {},
    prefix = expect.getState().currentTestName,
  ) =>
    createBacktestingService({ db, newId: () => `${String(prefix).replace(/\W+/g, '-').slice(-40)}-${++ids}` }, config);
  const storedRows = async (id: string) => ({
    runs: await db.query<{ status: string; error: string | null }>(
      'SELECT status, error FROM backtest_runs WHERE id = ?',
      [id],
    ),
    trades: (await db.queryOne<{ n: number }>('SELECT COUNT(*) AS n FROM backtest_trades WHERE run_id = ?', [id]))?.n,
  });

  it('runs a job to completion and stores the same run `rrr backtest` stores, with its equity curve', async () => {
    const service = build();
    await service.start();
    const job = await service.submit(SMA_2010S);
    expect(job.status).toBe('running'); // a free slot: it starts at once
    const done = await settledJob(service, job.id);
    await service.stop();

    const direct = await runBacktest(SMA_2010S, { loader: bundledBarLoader() });
    expect(done).toMatchObject({ status: 'completed', fraction: 1 });
    expect(done.barsTotal).toBeGreaterThan(2_500);
    expect(done.barsProcessed).toBe(done.barsTotal);
    expect(done.startedAt).not.toBeNull();
    expect(await service.progress(job.id)).toEqual({
      id: job.id,
      status: 'completed',
      fraction: 1,
      barsProcessed: done.barsTotal,
      barsTotal: done.barsTotal,
    });

    const { run, trades } = await service.getRun(job.id);
    expect(run).toMatchObject({ id: job.id, status: 'completed', strategy: 'sma-cross', symbols: ['SPX'] });
    expect(run.parameters).toEqual({ fast: 20, slow: 50 });
    expect(run.metrics?.strategy.sharpe).toBeCloseTo(direct.metrics.sharpe as number, 12);
    expect(run.finalEquity).toBeCloseTo(direct.metrics.finalEquity as number, 6);
    expect(run.metrics?.equity?.ts).toEqual(direct.curve.ts);
    expect(run.metrics?.equity?.equity).toEqual(direct.curve.equity);
    expect(trades).toHaveLength(direct.trades.length);
    expect(trades[0]).toMatchObject({ entryTs: direct.trades[0].entryTs, entryPrice: direct.trades[0].entryPrice });
    expect((await service.listRuns()).map((r) => r.id)).toContain(job.id);
  });

  it('refuses bad requests before queueing anything: fast ≥ slow, a range with no data, an unknown symbol', async () => {
    const service = build();
    await service.start();
    expect(await validationProblemsOf(service.submit({ ...SMA_2010S, params: { fast: 50, slow: 20 } }))).toEqual([
      'params.fast: must be < slow (got fast 50, slow 20)',
    ]);
    expect(await validationProblemsOf(service.submit({ ...SMA_2010S, from: '2030-01-01', to: '2030-12-31' }))).toEqual([
      'from: is after the last bar: SPX 1d data covers 2000-01-03 … 2020-04-17',
    ]);
    expect(await validationProblemsOf(service.submit({ ...SMA_2010S, symbols: 'NOPE' }))).toEqual([
      expect.stringMatching(/^symbols: no 1d bars of NOPE in /),
    ]);
    expect((await service.health()).details).toMatchObject({ queued: 0, running: 0, completed: 0 });
    expect(await db.query('SELECT id FROM backtest_runs')).toEqual([]);
    await service.stop();
  });

  it('runs one job at a time by default, in submission order; a queued job can be cancelled', async () => {
    const service = build();
    await service.start();
    const first = await service.submit(SMA_2010S);
    const second = await service.submit({ ...SMA_2010S, params: { fast: 10, slow: 30 } });
    const third = await service.submit({ ...SMA_2010S, strategy: 'buy-and-hold', params: {} });
    expect([first, second, third].map((j) => service.job(j.id).status)).toEqual(['running', 'queued', 'queued']);
    expect((await service.health()).details).toMatchObject({ queued: 2, running: 1, concurrency: 1 });

    expect(service.cancel(second.id)).toMatchObject({ status: 'cancelled', error: 'cancelled before it started' });
    expect(service.job(third.id).status).toBe('queued');
    expect((await settledJob(service, first.id)).status).toBe('completed');
    const last = await settledJob(service, third.id);
    expect(last.status).toBe('completed');
    expect(last.startedAt as number).toBeGreaterThanOrEqual(service.job(first.id).finishedAt as number);
    // Its stored run is ended, as a cancelled replay's is, so no process takes it over.
    expect(await storedRows(second.id)).toEqual({
      runs: [{ status: 'failed', error: 'cancelled before it started' }],
      trades: 0,
    });
    expect(() => service.cancel(first.id)).toThrow(`backtest ${first.id} is already completed`);
    await service.stop();
  });

  it('keeps the event loop turning while a replay runs (and would not without yielding)', async () => {
    /** The replay progress (bars, reported every 1,000) that other work on the event loop gets to see. */
    const progressSeenMidReplay = async (yieldEvery: number): Promise<number[]> => {
      const service = build({ yieldEvery });
      await service.start();
      const seen = new Set<number>();
      const job = await service.submit({ ...SMA_2010S, from: '2000-01-01' });
      let ticking = true;
      const tick = (): void => {
        const { barsProcessed, barsTotal } = service.job(job.id);
        if (barsTotal !== null && barsProcessed < barsTotal) seen.add(barsProcessed);
        if (ticking) setImmediate(tick);
      };
      setImmediate(tick);
      await settledJob(service, job.id);
      ticking = false;
      await service.stop();
      return [...seen];
    };
    // 5,105 bars in chunks of 100: the loop turns between the progress reports at 1,000 … 5,000 bars.
    expect(await progressSeenMidReplay(100)).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    // One chunk: the replay holds the loop from its first bar to its last.
    expect(await progressSeenMidReplay(1_000_000)).toEqual([]);
  });

  it('stop() aborts the running job, leaving its stored run failed and no trades, and hands over the queued ones', async () => {
    const service = build();
    await service.start();
    const running = await service.submit({ ...SMA_2010S, from: '2000-01-01' });
    const queued = await service.submit(SMA_2010S);
    await service.stop();
    expect(service.job(running.id)).toMatchObject({
      status: 'cancelled',
      error: 'cancelled: the backtesting service stopped',
    });
    // Let go, not cancelled: this process no longer answers for it from memory, its stored run does.
    expect(() => service.job(queued.id)).toThrow(/not found/);
    expect(await service.progress(queued.id)).toMatchObject({ status: 'queued' });
    expect(await storedRows(running.id)).toEqual({
      runs: [{ status: 'failed', error: 'cancelled: the backtesting service stopped' }],
      trades: 0,
    });
    // This process lets go of the queued job, but its stored run stays queued for the next service to take over.
    expect(await storedRows(queued.id)).toEqual({ runs: [{ status: 'queued', error: null }], trades: 0 });
    expect(await service.health()).toMatchObject({ status: 'down', details: { queued: 0, running: 0, cancelled: 1 } });
    await expect(service.submit(SMA_2010S)).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });

    // Started again (a registry restart), it takes the handed-over job back under its id, and new work as before.
    await service.start();
    expect(service.job(queued.id).status).toBe('running');
    const again = await service.submit(SMA_2010S);
    expect((await settledJob(service, queued.id)).status).toBe('completed');
    expect((await settledJob(service, again.id)).status).toBe('completed');
    expect((await storedRows(queued.id)).runs).toEqual([{ status: 'completed', error: null }]);
    await service.stop();
  });

  it('a submit refused once its run is stored (the service stopped while it was checked) leaves no stored run', async () => {
    const service = build();
    await service.start();
    // The request is checked against the data first; the service stops while that is read.
    const submitted = service.submit(SMA_2010S);
    await service.stop();
    await expect(submitted).rejects.toMatchObject({ code: 'SERVICE_UNAVAILABLE' });
    expect(await db.query('SELECT id FROM backtest_runs')).toEqual([]);
  });

  it('refuses a submit when the queue is full, naming the limit', async () => {
    const service = build({ maxQueued: 1 });
    await service.start();
    await service.submit(SMA_2010S);
    await service.submit(SMA_2010S);
    const refusal = await service.submit(SMA_2010S).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RrrError);
    expect(refusal).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'the backtest queue is full (1 jobs waiting)',
      details: { queued: 1, maxQueued: 1 },
    });
    await service.stop();
  });

  it('answers progress of runs it only knows from the database, and 404s unknown ids', async () => {
    const first = build({}, 'db-progress');
    await first.start();
    const job = await first.submit(SMA_2010S);
    await settledJob(first, job.id);
    await first.stop();

    const later = build({}, 'db-progress-later');
    await later.start();
    expect(await later.progress(job.id)).toEqual({
      id: job.id,
      status: 'completed',
      fraction: 1,
      barsProcessed: null,
      barsTotal: null,
    });
    expect(() => later.job(job.id)).toThrow(`backtest job "${job.id}" not found`);
    await expect(later.progress('no-such-run')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await later.stop();
  });

  it('stamps the stored run of a running replay alive while it works', async () => {
    const service = build({ yieldEvery: 1, heartbeatMs: 10 });
    await service.start();
    const job = await service.submit({ ...SMA_2010S, from: '2000-01-01' });
    const stamps = new Set<number>();
    let createdAt = 0;
    while (service.job(job.id).status === 'running') {
      const row = await db.queryOne<{ created_at: number; heartbeat_at: number | null }>(
        'SELECT created_at, heartbeat_at FROM backtest_runs WHERE id = ?',
        [job.id],
      );
      if (row?.heartbeat_at != null) {
        createdAt = row.created_at;
        stamps.add(row.heartbeat_at);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    await service.stop();
    expect(service.job(job.id).status).toBe('completed');
    // Inserted with a first stamp, then stamped again while the replay ran.
    expect(stamps.has(createdAt)).toBe(true);
    expect(Math.max(...stamps)).toBeGreaterThan(createdAt);
  });

  it('ends the stored runs of a process that died as interrupted when runs are read; CLI runs keep their state', async () => {
    const run = (id: string): BacktestRunRecord => ({
      id,
      name: null,
      strategy: 'sma-cross',
      parameters: { fast: 20, slow: 50 },
      symbols: ['SPX'],
      interval: '1d',
      startTs: Date.UTC(2010, 0, 1),
      endTs: Date.UTC(2019, 11, 31),
      initialCapital: 100_000,
      finalEquity: null,
      metrics: null,
      status: 'running',
      error: null,
      createdAt: Date.now() - 60_000,
      finishedAt: null,
    });
    const lastHeard = Date.now() - 60_000;
    await insertBacktestRun(db, run('dead-service-run'), lastHeard);
    await insertBacktestRun(db, run('cli-run'));
    await insertBacktestRun(db, run('live-service-run'), Date.now());
    const service = build({ heartbeatMs: 1_000 });

    const listed = await service.listRuns({ limit: 1_000 });
    const statusOf = (id: string) => listed.find((r) => r.id === id)?.status;
    expect([statusOf('dead-service-run'), statusOf('cli-run'), statusOf('live-service-run')]).toEqual([
      'failed',
      'running',
      'running',
    ]);
    const { run: dead } = await service.getRun('dead-service-run');
    expect(dead.error).toBe(
      `interrupted: the process running it stopped (last heard of at ${new Date(lastHeard).toISOString()})`,
    );
    expect(dead.finishedAt).toBeGreaterThan(lastHeard);
    expect(await service.progress('dead-service-run')).toMatchObject({ status: 'failed', error: dead.error });
    await db.execute("DELETE FROM backtest_runs WHERE id IN ('dead-service-run', 'cli-run', 'live-service-run')");
  });

  it('checks its config, naming each bad field', () => {
    const error = (() => {
      try {
        build({ concurrency: 0, maxQueued: 20_000, yieldEvery: 1.5, heartbeatMs: 0 });
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => `${p.field}: ${p.message}`)).toEqual([
      'concurrency: must be an integer from 1 to 64',
      'maxQueued: must be an integer from 0 to 10000',
      'yieldEvery: must be an integer from 1 to 1000000',
      'heartbeatMs: must be an integer from 10 to 600000',
    ]);
  });
});
