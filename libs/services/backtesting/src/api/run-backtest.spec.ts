import { openDatabase, type Database } from '@rrr/core';
import { BarStore } from '@rrr/data-pipeline';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundledBarLoader, memoryBarLoader, type BarLoader } from '../data/bar-loader';
import { loadBacktestRun } from '../storage/backtest-run-store';
import { readBundledBars } from '../testing/bundled-bars';
import { randomWalkBars } from '../testing/scripted-strategy';
import { validationProblemsOf } from '../testing/validation-problems-of';
import type { BacktestProgress } from './backtest-progress';
import { runBacktest } from './run-backtest';

/** A loader that records what it was asked, to prove that bad input is refused before any bar is read. */
function spyLoader(inner: BarLoader): BarLoader & { calls: string[] } {
  const calls: string[] = [];
  return {
    name: inner.name,
    calls,
    coverage: (s, i) => {
      calls.push(`coverage ${s}`);
      return inner.coverage(s, i);
    },
    load: (s, i, f, t) => {
      calls.push(`load ${s}`);
      return inner.load(s, i, f, t);
    },
    before: (s, i, b, n) => {
      calls.push(`before ${s}`);
      return inner.before(s, i, b, n);
    },
  };
}

describe('runBacktest: bad input is refused before any work', () => {
  const walk = randomWalkBars('AAA', 300, 3);

  it('names an unknown strategy and lists the known ones, without touching the data', async () => {
    const loader = spyLoader(memoryBarLoader(walk));
    expect(await validationProblemsOf(runBacktest({ strategy: 'sma-crossover', symbols: 'AAA' }, { loader }))).toEqual([
      'strategy: must be one of sma-cross, bollinger, buy-and-hold, predictor',
    ]);
    expect(loader.calls).toEqual([]);
  });

  it('names an unknown parameter, a mistyped one and fast ≥ slow', async () => {
    const loader = spyLoader(memoryBarLoader(walk));
    expect(
      await validationProblemsOf(
        runBacktest({ strategy: 'sma-cross', symbols: 'AAA', params: { fats: 5, slow: 'x' } }, { loader }),
      ),
    ).toEqual([
      'params.fats: is not a parameter of sma-cross (it takes: fast, slow)',
      'params.slow: must be an integer',
    ]);
    expect(
      await validationProblemsOf(
        runBacktest({ strategy: 'sma-cross', symbols: 'AAA', params: { fast: '50', slow: '20' } }, { loader }),
      ),
    ).toEqual(['params.fast: must be < slow (got fast 50, slow 20)']);
    expect(loader.calls).toEqual([]);
  });

  it('reports every problem of a request at once', async () => {
    const problems = await validationProblemsOf(
      runBacktest(
        {
          strategy: 'bollinger',
          symbols: ['AAA', 'btc'],
          from: '2020-13-01',
          initialCapital: -5,
          slippage: { model: 'volume', impactBps: -1 },
          fillTiming: 'tomorrow' as 'close',
          positionFraction: 0.5,
        },
        { loader: memoryBarLoader(walk) },
      ),
    );
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'symbols',
      'from',
      'initialCapital',
      'slippage.impactBps',
      'fillTiming',
      'positionFraction',
    ]);
    expect(problems[5]).toContain('exceeds the risk limit maxPositionPct 0.2');
  });

  it('names the range when the data has nothing there, reading only the coverage', async () => {
    const loader = spyLoader(memoryBarLoader(walk));
    const problems = await validationProblemsOf(
      runBacktest({ strategy: 'sma-cross', symbols: 'AAA', from: '2030-01-01' }, { loader }),
    );
    expect(problems).toEqual(['from: is after the last bar: AAA 1d data covers 2024-01-01 … 2024-10-26']);
    expect(loader.calls).toEqual(['coverage AAA']);
    expect(await validationProblemsOf(runBacktest({ strategy: 'sma-cross', symbols: 'ZZZ' }, { loader }))).toEqual([
      'symbols: no 1d bars of ZZZ in memory (import or backfill them first)',
    ]);
  });

  it('names `from` for a hole inside the data (no bar in the range)', async () => {
    const gappy = [...walk.slice(0, 100), ...walk.slice(200)];
    const problems = await validationProblemsOf(
      runBacktest(
        { strategy: 'sma-cross', symbols: 'AAA', from: walk[120].ts, to: walk[150].ts },
        { loader: memoryBarLoader(gappy) },
      ),
    );
    expect(problems[0]).toMatch(/^from: no 1d bars of AAA between 2024-04-30/);
  });
});

describe('runBacktest on the bundled S&P 500', () => {
  let dir: string;
  let db: Database;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rrr-backtest-'));
    db = await openDatabase({ sqlitePath: join(dir, 'rrr.db') });
  });
  afterAll(async () => {
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs SMA 20/50 over 2000-01-01 … 2020-04-17 with legacy costs, stores it, and reads it back', async () => {
    const progress: BacktestProgress[] = [];
    const result = await runBacktest(
      {
        strategy: 'sma-cross',
        symbols: 'SPX',
        from: '2000-01-01',
        to: '2020-04-17',
        params: { fast: '20', slow: '50' },
        name: 'spx sma',
      },
      { db, loader: bundledBarLoader(), newId: () => 'run-1', now: () => 1_700_000_000_000 },
      (p) => progress.push(p),
    );
    expect(result.bars['SPX']).toHaveLength(5_105);
    expect(result.activity.barsProcessed).toBe(5_105);
    expect(result.strategyId).toBe('sma-cross(20,50)');
    // The first signal comes after the 50-bar warm-up; every round trip closed by 2020-03-05.
    expect(result.trades).toHaveLength(57);
    expect(result.metrics.closedTrades).toBe(57);
    expect(result.metrics.winRate).toBeCloseTo(result.trades.filter((t) => (t.pnl ?? 0) > 0).length / 57, 12);
    expect(result.fills.every((f) => f.fee > 0)).toBe(true);
    // 20 % positions: equity moves little next to the index (buy and hold from 1,469.25 to 2,874.56).
    expect(result.benchmark.totalReturn).toBeCloseTo(2_874.560059 / 1_469.25 - 1, 9);
    expect(result.metrics.exposure).toBeGreaterThan(0.5);
    expect(result.metrics.exposure).toBeLessThan(0.8);
    expect(result.refusals).toEqual([]);
    expect(progress.filter((p) => p.phase === 'run').map((p) => p.done)).toEqual([1000, 2000, 3000, 4000, 5000, 5105]);
    expect(progress[progress.length - 1]).toMatchObject({ phase: 'done' });

    const stored = await loadBacktestRun(db, 'run-1');
    expect(stored.run).toMatchObject({
      id: 'run-1',
      name: 'spx sma',
      strategy: 'sma-cross',
      parameters: { fast: 20, slow: 50 },
      symbols: ['SPX'],
      interval: '1d',
      status: 'completed',
      initialCapital: 100_000,
      createdAt: 1_700_000_000_000,
    });
    expect(stored.run.finalEquity).toBeCloseTo(result.metrics.finalEquity as number, 6);
    expect(stored.run.metrics?.strategy.sharpe).toBeCloseTo(result.metrics.sharpe as number, 12);
    expect(stored.run.metrics?.settings).toMatchObject({ commissionRate: 0.001, slippage: { model: 'fixed', bps: 5 } });
    expect(stored.trades).toHaveLength(57);
    expect(stored.trades[0]).toMatchObject({
      symbol: 'SPX',
      direction: 'long',
      entryTs: result.trades[0].entryTs,
      exitReason: 'signal',
    });
    expect(stored.trades[0].returnPct).toBeCloseTo((result.trades[0].returnFraction as number) * 100, 9);
  });

  it('warms up on the bars before `from`, so a late start trades from its first bar', async () => {
    const loader = bundledBarLoader();
    const history = await runBacktest(
      { strategy: 'sma-cross', symbols: 'SPX', from: '2010-01-01', to: '2010-12-31' },
      { loader },
    );
    const inRange = await runBacktest(
      { strategy: 'sma-cross', symbols: 'SPX', from: '2010-01-01', to: '2010-12-31', warmup: 'in-range' },
      { loader },
    );
    expect(history.activity.barsProcessed).toBe(history.activity.barsTraded + 50);
    // With history the strategy is already long on 2010-01-04 (SMA20 > SMA50 since 2009): it buys at once.
    expect(new Date(history.fills[0].ts).toISOString().slice(0, 10)).toBe('2010-01-05');
    expect(inRange.fills[0].ts).toBeGreaterThan(inRange.bars['SPX'][49].ts);
    expect(history.curve.ts[0]).toBe(inRange.curve.ts[0]);
  });

  it('reads the bars from the database when it holds the series, before the bundled files', async () => {
    // Store 2019 only, with every close 1 % higher: a run over the database shows both.
    const year = readBundledBars('SPX').filter((b) => b.ts >= Date.UTC(2019, 0, 1) && b.ts < Date.UTC(2020, 0, 1));
    await new BarStore(db).upsert(year.map((b) => ({ ...b, high: b.high * 1.01, close: b.close * 1.01 })));
    const result = await runBacktest({ strategy: 'buy-and-hold', symbols: 'SPX', positionFraction: 0.1 }, { db });
    expect(result.bars['SPX']).toHaveLength(year.length);
    expect(result.bars['SPX'][0].close).toBeCloseTo(year[0].close * 1.01, 9);
    expect(result.trades).toHaveLength(1);
    expect(result.trades[0]).toMatchObject({ exitReason: 'open', entryTs: year[1].ts });
  });

  it('runs the predictor strategy on an injected model, and refuses it without one', async () => {
    const loader = bundledBarLoader();
    expect(await validationProblemsOf(runBacktest({ strategy: 'predictor', symbols: 'AAPL' }, { loader }))).toEqual([
      'strategy: predictor needs a trained model: pass deps.predict (a @rrr/neural-network predictor)',
    ]);
    // A "model" that sees the last 5 closes: up when the last close is above their mean.
    const predict = (_bar: unknown, history: readonly { close: number }[]) => {
      const mean = history.reduce((s, b) => s + b.close, 0) / history.length;
      const up = history[history.length - 1].close > mean;
      return { probabilities: { down: up ? 0.1 : 0.6, flat: 0.3, up: up ? 0.6 : 0.1 } };
    };
    const result = await runBacktest(
      { strategy: 'predictor', symbols: 'AAPL', params: { historyBars: 5 }, from: '2016-01-01', to: '2016-12-31' },
      { loader, predict },
    );
    expect(result.strategyId).toBe('predictor(model)');
    expect(result.metrics.closedTrades).toBeGreaterThan(10);
  });

  it('marks a run failed when it is aborted midway', async () => {
    const controller = new AbortController();
    controller.abort(new Error('stopped by the user'));
    await expect(
      runBacktest(
        { strategy: 'buy-and-hold', symbols: 'AAPL' },
        { db, loader: bundledBarLoader(), newId: () => 'run-aborted', signal: controller.signal },
      ),
    ).rejects.toThrow('stopped by the user');
    const stored = await loadBacktestRun(db, 'run-aborted');
    expect(stored.run).toMatchObject({ status: 'failed', error: 'stopped by the user' });
  });
});
