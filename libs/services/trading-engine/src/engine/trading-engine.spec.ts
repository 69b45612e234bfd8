import { INTERVAL_MS, ManualClock, openDatabase, type Bar, type Fill, type Signal } from '@rrr/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sequentialIds } from '../oms/sequential-ids';
import { PaperExchange } from '../paper/paper-exchange';
import { allowAllPreTradeCheck } from '../risk/pre-trade-check';
import { InMemoryTradingStore } from '../store/in-memory-trading-store';
import { SqlTradingStore } from '../store/sql-trading-store';
import type { TradingStore } from '../store/trading-store';
import { SmaCrossStrategy } from '../strategies/sma-cross-strategy';
import type { Strategy } from '../strategies/strategy';
import { loadAaplDailyBars } from '../testing/sample-bars';
import { TradingEngine } from './trading-engine';

const aapl = loadAaplDailyBars();

function engineFor(store: TradingStore, strategies: Strategy[], clock: ManualClock): TradingEngine {
  const exchange = new PaperExchange({
    clock,
    initialBalances: { USD: 100_000 },
    latency: { minMs: 10, maxMs: 50, seed: 42 },
  });
  return new TradingEngine(
    { store, exchange, clock, risk: allowAllPreTradeCheck, ids: sequentialIds(), strategies },
    { quoteCurrency: 'USD', initialCash: 100_000, symbols: ['AAPL'], snapshotEveryMs: 0 },
  );
}

/** A backtest loop: the clock at each bar's close, then the bar. */
async function backtest(store: TradingStore, bars: Bar[], strategies: Strategy[] = [new SmaCrossStrategy()]) {
  const clock = new ManualClock(bars[0].ts);
  const engine = engineFor(store, strategies, clock);
  await engine.start();
  const signals: Signal[] = [];
  for (const bar of bars) {
    clock.set(bar.ts + INTERVAL_MS[bar.interval]);
    signals.push(...(await engine.processBar(bar)).signals);
  }
  await engine.stop();
  return { engine, signals, fills: await store.listFills() };
}

describe('TradingEngine on five years of AAPL daily bars (SMA 20/50 cross)', () => {
  let run: Awaited<ReturnType<typeof backtest>>;
  beforeAll(async () => {
    run = await backtest(new InMemoryTradingStore(), aapl);
  });

  it('acts only on signals after the 50-bar warm-up and fills each order at the next bar open plus 5 bps', () => {
    const first = run.signals[0];
    expect(first.ts).toBe(aapl[49].ts + INTERVAL_MS['1d']);
    const firstLong = run.signals.find((s) => s.direction === 'long') as Signal;
    const k = aapl.findIndex((b) => b.ts + INTERVAL_MS['1d'] === firstLong.ts);
    const entry = run.fills[0];
    expect(entry).toMatchObject({ side: 'buy', liquidity: 'taker' });
    // Sent at the close (= the next bar's open time), it reaches the venue 10–50 ms later on the simulated clock.
    expect(entry.ts - aapl[k + 1].ts).toBeGreaterThanOrEqual(10);
    expect(entry.ts - aapl[k + 1].ts).toBeLessThanOrEqual(50);
    expect(entry.price).toBeCloseTo(aapl[k + 1].open * 1.0005, 9);
    // Sized at 10 % of equity at the signal's close.
    expect(entry.quantity * aapl[k].close).toBeCloseTo(10_000, 6);
    expect(entry.fee).toBeCloseTo(entry.quantity * entry.price * 0.001, 9);
  });

  it('trades every regime change: buys on long signals, reduce-only sells on flat ones', () => {
    const longs = run.signals.filter((s) => s.direction === 'long').length;
    const flats = run.signals.filter((s) => s.direction === 'flat').length;
    expect(run.fills.filter((f) => f.side === 'buy').length).toBe(longs);
    // The first flat signal found no position to close.
    expect(run.fills.filter((f) => f.side === 'sell').length).toBe(flats - 1);
    expect(longs).toBeGreaterThan(5);
  });

  it('keeps the books consistent: equity = cash + position at the last close, and the ledger matches the fills', () => {
    const { portfolio } = run.engine;
    const last = aapl[aapl.length - 1];
    const v = portfolio.valuation();
    expect(v.equity).toBeCloseTo(portfolio.cash + portfolio.quantity('AAPL') * last.close, 6);
    const cashFromFills = run.fills.reduce(
      (c, f: Fill) => c + (f.side === 'buy' ? -1 : 1) * f.quantity * f.price - f.fee,
      100_000,
    );
    expect(portfolio.cash).toBeCloseTo(cashFromFills, 6);
    expect(v.feesPaid).toBeCloseTo(
      run.fills.reduce((s, f) => s + f.fee, 0),
      9,
    );
    expect(portfolio.returns().length).toBe(aapl.length - 1);
  });

  it('is deterministic, and the SQL store changes nothing but durability', async () => {
    const again = await backtest(new InMemoryTradingStore(), aapl);
    expect(again.fills).toEqual(run.fills);
    const dir = mkdtempSync(join(tmpdir(), 'rrr-te-engine-'));
    const db = await openDatabase({ sqlitePath: join(dir, 'engine.db') });
    try {
      const sql = await backtest(new SqlTradingStore(db), aapl.slice(0, 400));
      const memory = await backtest(new InMemoryTradingStore(), aapl.slice(0, 400));
      expect(sql.fills).toEqual(memory.fills);
      expect(sql.engine.portfolio.valuation()).toEqual(memory.engine.portfolio.valuation());
      const snapshots = await db.query<{ n: number }>('SELECT COUNT(*) AS n FROM portfolio_snapshots');
      expect(snapshots[0].n).toBe(400);
    } finally {
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('TradingEngine answering at once (in-memory store, paper exchange)', () => {
  it('processes every bar and order without a promise, with the fills of processBar, each order stored before it is returned', async () => {
    const bars = aapl.slice(0, 600);
    const store = new InMemoryTradingStore();
    const clock = new ManualClock(bars[0].ts);
    const engine = engineFor(store, [new SmaCrossStrategy()], clock);
    await engine.start();
    let promises = 0;
    let submitted = 0;
    for (const bar of bars) {
      clock.set(bar.ts + INTERVAL_MS[bar.interval]);
      const outcome = engine.processBarNow(bar);
      if (outcome instanceof Promise) {
        promises += 1;
        await outcome;
        continue;
      }
      for (const execution of outcome.executions) {
        if (execution.status !== 'submitted') continue;
        submitted += 1;
        expect(execution.order.status).toBe('accepted');
        expect(await store.getOrder(execution.order.id)).toEqual(execution.order);
      }
    }
    await engine.stop();
    expect(promises).toBe(0);
    expect(submitted).toBeGreaterThan(5);
    expect(await store.listFills()).toEqual((await backtest(new InMemoryTradingStore(), bars)).fills);
  });

  it('continues asynchronously from where a strategy has to wait, with the same fills', async () => {
    const bars = aapl.slice(0, 600);
    const sma = new SmaCrossStrategy();
    const waiting: Strategy = {
      id: sma.id,
      warmupBars: sma.warmupBars,
      onBar: (bar, context) => Promise.resolve(sma.onBar(bar, context)),
    };
    const viaPromises = await backtest(new InMemoryTradingStore(), bars, [waiting]);
    const direct = await backtest(new InMemoryTradingStore(), bars);
    expect(viaPromises.fills.length).toBeGreaterThan(5);
    expect(viaPromises.fills).toEqual(direct.fills);
  });
});

describe('TradingEngine.warmUp', () => {
  const k = 300;

  async function runLive(engine: TradingEngine, clock: ManualClock, bars: Bar[]): Promise<Signal[]> {
    const signals: Signal[] = [];
    for (const bar of bars) {
      clock.set(bar.ts + INTERVAL_MS[bar.interval]);
      signals.push(...(await engine.processBar(bar)).signals);
    }
    return signals;
  }

  it('acts from the first live bar exactly as an engine that saw the last warmupBars - 1 bars live', async () => {
    // Reference: the live run starts 49 bars before k, so its first bar that counts is bar k.
    const reference = await backtest(new InMemoryTradingStore(), aapl.slice(k - 49));

    const clock = new ManualClock(aapl[k].ts);
    const published: string[] = [];
    const exchange = new PaperExchange({
      clock,
      initialBalances: { USD: 100_000 },
      latency: { minMs: 10, maxMs: 50, seed: 42 },
    });
    const engine = new TradingEngine(
      {
        store: new InMemoryTradingStore(),
        exchange,
        clock,
        risk: allowAllPreTradeCheck,
        ids: sequentialIds(),
        strategies: [new SmaCrossStrategy()],
        publish: (topic) => void published.push(topic),
      },
      { quoteCurrency: 'USD', initialCash: 100_000, symbols: ['AAPL'], snapshotEveryMs: 0 },
    );
    await engine.start();
    // All k bars of history are offered; the strategy is fed only the newest 49 of them.
    expect(await engine.warmUp(aapl.slice(0, k))).toBe(49);
    expect(published).toEqual([]);
    expect(engine.oms.getWorkingOrders()).toEqual([]);

    const signals = await runLive(engine, clock, aapl.slice(k));
    await engine.stop();
    expect(signals.length).toBeGreaterThan(3);
    expect(signals).toEqual(reference.signals);
    // The trend in force at bar k is joined on bar k, as the reference's first counted signal is.
    expect(signals[0].ts).toBe(aapl[k].ts + INTERVAL_MS['1d']);
  });

  it('does not show the strategies a live bar the warm-up already fed (redelivered, or stored and published)', async () => {
    const clock = new ManualClock(aapl[k].ts);
    const seen: number[] = [];
    const recorder: Strategy = {
      id: 'recorder',
      warmupBars: 4,
      onBar: (bar) => {
        seen.push(bar.ts);
        return [];
      },
    };
    const engine = engineFor(new InMemoryTradingStore(), [recorder], clock);
    await engine.start();
    expect(await engine.warmUp(aapl.slice(k - 10, k))).toBe(3);
    expect(seen).toEqual([aapl[k - 3].ts, aapl[k - 2].ts, aapl[k - 1].ts]);
    await runLive(engine, clock, [aapl[k - 1], aapl[k]]);
    expect(seen).toEqual([aapl[k - 3].ts, aapl[k - 2].ts, aapl[k - 1].ts, aapl[k].ts]);
    // A second warm-up with the same history feeds nothing again.
    expect(await engine.warmUp(aapl.slice(k - 10, k))).toBe(0);
    await engine.stop();
  });

  it('lets an engine rebuilt after a failure continue with the warm strategies instead of warming them again', async () => {
    const clock = new ManualClock(aapl[k].ts);
    const strategy = new SmaCrossStrategy();
    const first = engineFor(new InMemoryTradingStore(), [strategy], clock);
    await first.start();
    await first.warmUp(aapl.slice(0, k));
    const rebuilt = engineFor(new InMemoryTradingStore(), [strategy], clock);
    rebuilt.continueStrategiesOf(first);
    await rebuilt.start();
    const signals = await runLive(rebuilt, clock, [aapl[k - 1], ...aapl.slice(k, k + 60)]);
    const reference = await backtest(new InMemoryTradingStore(), aapl.slice(k - 49, k + 60));
    expect(signals).toEqual(reference.signals);
    await rebuilt.stop();
  });
});
