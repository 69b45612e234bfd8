import { ManualClock, NotFoundError, openDatabase, type Database, type HealthReport } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BacktestRequest } from '../api/backtest-request';
import { heldPredictor } from '../testing/held-predictor';
import { settledJob } from '../testing/settled-job';
import { createBacktestingService, type BacktestingService } from './create-backtesting-service';

const HOLD_2019: BacktestRequest = { strategy: 'buy-and-hold', symbols: 'SPX', from: '2019-01-01', to: '2019-12-31' };
/** Runs on a held predictor: it keeps the one slot of its service busy until released. */
const PREDICTOR_2019: BacktestRequest = {
  strategy: 'predictor',
  symbols: 'SPX',
  from: '2019-01-01',
  to: '2019-03-01',
  params: { historyBars: 5 },
};
const HEARTBEAT_MS = 50;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A process whose stamps are late (its clock stands an hour back, so every stamp it writes is stale) still holds its
 * queued backtest when another process takes it over and runs it. When the late process's slot frees, its start
 * finds the run no longer queued: it drops the job — unrun, and without writing over the other process's run.
 */
describe('a backtest held by two processes runs once', () => {
  let dir: string;
  let handles: Database[];
  let services: BacktestingService[];
  let releases: (() => void)[];

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-bt-claim-race-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  beforeEach(() => {
    handles = [];
    services = [];
    releases = [];
  });
  afterEach(async () => {
    for (const release of releases) release();
    for (const service of services) await service.stop();
    for (const handle of handles) await handle.close();
  });

  const details = (service: BacktestingService) =>
    (service.health() as HealthReport).details as {
      queued: number;
      running: number;
      completed: number;
      failed: number;
    };

  it('the taker completes it; the late process drops its copy and leaves the stored run as the taker wrote it', async () => {
    const file = join(dir, 'race.db');
    const open = async () => {
      const db = await openDatabase({ sqlitePath: file });
      handles.push(db);
      return db;
    };
    const held = heldPredictor();
    releases.push(held.release);
    const lateDb = await open();
    let ids = 0;
    const late = createBacktestingService(
      {
        db: lateDb,
        predict: held.predict,
        clock: new ManualClock(Date.now() - 3_600_000),
        newId: () => `late-${++ids}`,
      },
      { heartbeatMs: HEARTBEAT_MS },
    );
    services.push(late);
    await late.start();
    const busy = await late.submit(PREDICTOR_2019);
    const queued = await late.submit(HOLD_2019);
    expect([busy.status, queued.status]).toEqual(['running', 'queued']);
    // The busy replay's stored run moves to running once its bars are loaded; until then the taker (which has no
    // predictor to run it with) would take it over too.
    const statusOf = async (id: string) =>
      (await lateDb.queryOne<{ status: string }>('SELECT status FROM backtest_runs WHERE id = ?', [id]))?.status;
    const runningBy = Date.now() + 20_000;
    while ((await statusOf(busy.id)) !== 'running' && Date.now() < runningBy) await sleep(HEARTBEAT_MS / 5);

    const taker = createBacktestingService({ db: await open() }, { heartbeatMs: HEARTBEAT_MS });
    services.push(taker);
    await taker.start();
    expect((await settledJob(taker, queued.id)).status).toBe('completed');
    const stored = async () =>
      lateDb.queryOne<{ status: string; error: string | null; final_equity: number | null; finished_at: number }>(
        'SELECT status, error, final_equity, finished_at FROM backtest_runs WHERE id = ?',
        [queued.id],
      );
    const byTaker = await stored();
    expect(byTaker).toMatchObject({ status: 'completed', error: null });

    // The late process's slot frees: it comes to its copy, finds the run no longer queued, and lets the job go.
    held.release();
    expect((await settledJob(late, busy.id)).status).toBe('completed');
    const deadline = Date.now() + 20_000;
    while (details(late).queued + details(late).running > 0 && Date.now() < deadline) await sleep(HEARTBEAT_MS / 5);
    expect(details(late)).toMatchObject({ queued: 0, running: 0, completed: 1, failed: 0 });
    expect(details(taker)).toMatchObject({ completed: 1, failed: 0 });
    expect(() => late.job(queued.id)).toThrow(NotFoundError);
    expect(await stored()).toEqual(byTaker);
    expect(await late.progress(queued.id)).toEqual({
      id: queued.id,
      status: 'completed',
      fraction: 1,
      barsProcessed: null,
      barsTotal: null,
    });
  });
});
