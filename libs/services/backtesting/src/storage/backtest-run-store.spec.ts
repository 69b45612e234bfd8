import { NotFoundError, PostgresTestSchemas, openDatabase, type Database } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RoundTrip } from '../engine/round-trip-ledger';
import { computePerformanceMetrics } from '../metrics/performance-metrics';
import {
  completeBacktestRun,
  failBacktestRun,
  insertBacktestRun,
  listBacktestRuns,
  loadBacktestRun,
  type BacktestRunRecord,
} from './backtest-run-store';

const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

const trades: RoundTrip[] = [
  {
    symbol: 'SPX',
    direction: 'long',
    quantity: 2,
    entryTs: T0 + DAY,
    entryPrice: 100,
    exitTs: T0 + 3 * DAY,
    exitPrice: 110,
    pnl: 19.5,
    returnFraction: 0.0975,
    fees: 0.5,
    exitReason: 'take-profit',
    equityAtEntry: 1_000,
  },
  {
    symbol: 'SPX',
    direction: 'short',
    quantity: 1,
    entryTs: T0 + 4 * DAY,
    entryPrice: 112,
    exitTs: null,
    exitPrice: null,
    pnl: null,
    returnFraction: null,
    fees: 0.1,
    exitReason: 'open',
    equityAtEntry: 1_019.5,
    markPrice: 111,
    unrealizedPnl: 0.9,
  },
];

const metrics = computePerformanceMetrics(
  {
    ts: [T0, T0 + DAY, T0 + 2 * DAY],
    equity: [1_000, 1_010, 1_019.5],
    grossExposure: [0, 200, 0],
    closedTrades: [{ pnl: 19.5, returnFraction: 0.0975, entryTs: T0 + DAY, exitTs: T0 + 3 * DAY }],
    openTrades: 1,
    fills: [{ notional: 200, fee: 0.2 }],
  },
  { periodsPerYear: 252 },
);

function run(id: string, createdAt: number, strategy = 'sma-cross'): BacktestRunRecord {
  return {
    id,
    name: null,
    strategy,
    parameters: { fast: 5, slow: 10 },
    symbols: ['SPX'],
    interval: '1d',
    startTs: T0,
    endTs: T0 + 10 * DAY,
    initialCapital: 1_000,
    finalEquity: null,
    metrics: null,
    status: 'running',
    error: null,
    createdAt,
    finishedAt: null,
  };
}

function contract(open: () => Promise<Database>): void {
  let db: Database;
  beforeEach(async () => {
    db = await open();
  });
  afterEach(async () => db.close());

  it('stores a run as running, completes it with its metrics and round trips, and reads both back', async () => {
    await insertBacktestRun(db, run('r1', T0));
    expect((await loadBacktestRun(db, 'r1')).run).toMatchObject({
      status: 'running',
      finalEquity: null,
      metrics: null,
    });
    const settings = { fillTiming: 'next-open', commissionRate: 0.001 };
    await completeBacktestRun(db, 'r1', {
      finalEquity: 1_019.5,
      metrics: { strategy: metrics, benchmark: metrics, settings },
      trades,
      finishedAt: T0 + 1,
    });
    const stored = await loadBacktestRun(db, 'r1');
    expect(stored.run).toEqual({
      ...run('r1', T0),
      status: 'completed',
      finalEquity: 1_019.5,
      metrics: { strategy: metrics, benchmark: metrics, settings },
      finishedAt: T0 + 1,
    });
    expect(stored.trades).toEqual([
      {
        symbol: 'SPX',
        direction: 'long',
        quantity: 2,
        entryTs: T0 + DAY,
        entryPrice: 100,
        exitTs: T0 + 3 * DAY,
        exitPrice: 110,
        pnl: 19.5,
        returnPct: 9.75,
        fees: 0.5,
        exitReason: 'take-profit',
      },
      {
        symbol: 'SPX',
        direction: 'short',
        quantity: 1,
        entryTs: T0 + 4 * DAY,
        entryPrice: 112,
        exitTs: null,
        exitPrice: null,
        pnl: null,
        returnPct: null,
        fees: 0.1,
        exitReason: 'open',
      },
    ]);
  });

  it('keeps the equity curve with the metrics, and leaves it out of the list', async () => {
    await insertBacktestRun(db, run('curve', T0));
    const equity = { ts: [T0, T0 + DAY, T0 + 2 * DAY], equity: [1_000, 1_010.25, 1_019.5] };
    const settings = { fillTiming: 'next-open' };
    await completeBacktestRun(db, 'curve', {
      finalEquity: 1_019.5,
      metrics: { strategy: metrics, benchmark: metrics, settings, equity },
      trades,
      finishedAt: T0 + 1,
    });
    expect((await loadBacktestRun(db, 'curve')).run.metrics?.equity).toEqual(equity);
    const [listed] = await listBacktestRuns(db);
    expect(listed.metrics).toEqual({ strategy: metrics, benchmark: metrics, settings });
  });

  it('records a failure, lists runs newest first, and refuses unknown ids', async () => {
    await insertBacktestRun(db, run('old', T0));
    await insertBacktestRun(db, run('new', T0 + DAY, 'bollinger'));
    await failBacktestRun(db, 'new', 'boom', T0 + DAY + 5);
    expect((await listBacktestRuns(db)).map((r) => [r.id, r.status, r.error])).toEqual([
      ['new', 'failed', 'boom'],
      ['old', 'running', null],
    ]);
    expect((await listBacktestRuns(db, { strategy: 'sma-cross' })).map((r) => r.id)).toEqual(['old']);
    await expect(loadBacktestRun(db, 'nope')).rejects.toBeInstanceOf(NotFoundError);
    await expect(
      completeBacktestRun(db, 'nope', {
        finalEquity: 1,
        metrics: { strategy: metrics, benchmark: metrics, settings: {} },
        trades,
        finishedAt: 1,
      }),
    ).rejects.toBeInstanceOf(NotFoundError);
  });
}

describe('backtest run store on SQLite', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-bt-store-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  contract(() => openDatabase({ sqlitePath: join(dir, `run-${++n}.db`) }));
});

describe('backtest run store on PostgreSQL', () => {
  let schemas: PostgresTestSchemas | undefined;
  // connect() fails with the command that starts the server when it is down.
  beforeAll(async () => {
    schemas = await PostgresTestSchemas.connect();
  });
  afterAll(async () => schemas?.dropAll());
  contract(async () => {
    if (schemas === undefined) throw new Error('PostgreSQL test schemas are not connected');
    return openDatabase({ url: (await schemas.create()).url, sqlitePath: '', poolMax: 2 });
  });
});
