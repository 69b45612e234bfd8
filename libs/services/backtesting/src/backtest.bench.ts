/*
 * (1) Event-driven bars/s: SMA cross 20/50 over the bundled S&P 500 (5,105 daily bars) through the trading engine
 *     (strategy → SignalExecutor → pre-trade risk → OrderManager → PaperExchange, legacy costs), against the peer
 *     grademark 0.3.0 running the same rules on the same bars in the same process; plus the engine with a strategy
 *     that never signals (the per-bar floor of the OMS path). Target (issue 6): ≥ 1,000,000 bars/s on one thread.
 * (2) A sweep of 1,000 SMA parameter sets over 5,000 bars on one worker thread vs one per core, results compared.
 * Run with `npm run bench -- backtesting`.
 */
import { SmaCrossStrategy, type Strategy } from '@rrr/trading-engine';
import { isDeepStrictEqual } from 'node:util';
import os from 'node:os';
import { Bench, type Task } from 'tinybench';
import { resolveBacktestRequest } from './api/backtest-request';
import { settingsOf } from './api/simulate-backtest';
import { runEventBacktest } from './engine/event-backtest';
import type { StrategyParameters } from './strategies/strategy-catalog';
import { SweepPool } from './sweep/sweep-pool';
import type { SweepJob } from './sweep/sweep-job';
import { readBundledBars } from './testing/bundled-bars';
import { grademarkSmaCross } from './testing/grademark-sma-cross';

const TARGET_BARS_PER_SECOND = 1_000_000;
const SWEEP_SETS = 1_000;
const SWEEP_BARS = 5_000;

const fmt = (n: number, digits = 0): string =>
  n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const met = (ok: boolean): string => (ok ? '**met**' : '**NOT met**');

function meanMs(task: Task | undefined): { mean: number; samples: number } {
  const result = task?.result;
  if (result === undefined || !('latency' in result)) {
    const error = result !== undefined && 'error' in result ? String(result.error) : 'no result';
    throw new Error(`benchmark task "${task?.name}" did not complete: ${error}`);
  }
  return { mean: result.latency.mean, samples: result.latency.samplesCount };
}

const quiet: () => Strategy = () => ({ id: 'quiet', warmupBars: 1, onBar: () => [] });

async function barsPerSecond(): Promise<string[]> {
  const spx = readBundledBars('SPX');
  const run = (strategy: Strategy) =>
    runEventBacktest({
      symbols: ['SPX'],
      interval: '1d',
      feeds: [spx],
      strategies: [strategy],
      initialCapital: 100_000,
    });
  const trades = (await run(new SmaCrossStrategy())).trades.length;
  const peerTrades = grademarkSmaCross(spx, 20, 50).length;
  const bench = new Bench({ time: 3_000, iterations: 15, warmupIterations: 3 });
  bench
    .add('ours: SMA 20/50 through the trading engine', async () => {
      await run(new SmaCrossStrategy({ fast: 20, slow: 50 }));
    })
    .add('grademark 0.3.0: SMA 20/50', () => {
      grademarkSmaCross(spx, 20, 50);
    })
    .add('ours: a strategy that never signals', async () => {
      await run(quiet());
    });
  await bench.run();
  const [ours, peer, floor] = bench.tasks.map(meanMs);
  const rate = (ms: number): number => (spx.length * 1_000) / ms;
  return [
    '### Backtest: event-driven bars/s, SMA cross 20/50 on the S&P 500 (5,105 daily bars), one thread',
    '',
    `Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)} on ${os.cpus().length} cores. Ours runs every bar through`,
    'the strategy, SignalExecutor, PreTradeRiskEngine, OrderManager (in-memory store) and PaperExchange with 0.1 % fees',
    `and 5 bps slippage (${trades} round trips); grademark runs the same rules without costs (${peerTrades} trades) and its SMA columns`,
    'are computed inside the measured call.',
    '',
    '| engine | samples | mean per run | bars/s |',
    '| --- | ---: | ---: | ---: |',
    `| ours (trading engine, SMA 20/50) | ${ours.samples} | ${fmt(ours.mean, 1)} ms | ${fmt(rate(ours.mean))} |`,
    `| grademark 0.3.0 (SMA 20/50) | ${peer.samples} | ${fmt(peer.mean, 1)} ms | ${fmt(rate(peer.mean))} |`,
    `| ours, strategy that never signals | ${floor.samples} | ${fmt(floor.mean, 1)} ms | ${fmt(rate(floor.mean))} |`,
    '',
    `Ours / grademark: **${fmt(peer.mean / ours.mean, 2)}×** the bars/s.`,
    `Target ≥ ${fmt(TARGET_BARS_PER_SECOND)} bars/s on one thread: ${fmt(rate(ours.mean))} bars/s — ${met(rate(ours.mean) >= TARGET_BARS_PER_SECOND)}` +
      ` (the OMS path alone, with no signal at all, reaches ${fmt(rate(floor.mean))} bars/s).`,
  ];
}

async function sweep(): Promise<string[]> {
  const bars = readBundledBars('SPX').slice(0, SWEEP_BARS);
  const settings = settingsOf(resolveBacktestRequest({ strategy: 'sma-cross', symbols: 'SPX' }));
  const job: SweepJob = {
    settings: { ...settings, from: bars[0].ts, to: bars[bars.length - 1].ts + 86_400_000 },
    bars: { range: { SPX: bars }, warmup: { SPX: [] } },
  };
  const sets: StrategyParameters[] = [];
  for (let fast = 5; fast < 55; fast += 1) for (let slow = 60; slow < 260; slow += 10) sets.push({ fast, slow });
  const cores = os.availableParallelism();
  const one = new SweepPool({ workers: 1 });
  const all = new SweepPool({ workers: cores });
  try {
    // Start the workers (and bundle their script) before timing: that cost is paid once per pool.
    await Promise.all([one.run(job, sets.slice(0, 1)), all.run(job, sets.slice(0, cores))]);
    const results: Record<string, unknown> = {};
    // CPU time of the whole process (all its threads) per wall second: below the worker count, other processes on the
    // machine took the cores the workers were meant to have.
    const cpuShare: Record<string, number> = {};
    const timed = (key: string, work: () => Promise<unknown>) => async () => {
      const cpu = process.cpuUsage();
      const wall = performance.now();
      results[key] = await work();
      const used = process.cpuUsage(cpu);
      cpuShare[key] = (used.user + used.system) / 1_000 / (performance.now() - wall);
    };
    const bench = new Bench({ time: 0, iterations: 1, warmup: false });
    bench
      .add(
        '1 worker',
        timed('one', () => one.run(job, sets)),
      )
      .add(
        `${cores} workers`,
        timed('all', () => all.run(job, sets)),
      );
    await bench.run();
    const [single, parallel] = bench.tasks.map(meanMs);
    const speedUp = single.mean / parallel.mean;
    const stepsPerSecond = (ms: number): number => (SWEEP_SETS * SWEEP_BARS * 1_000) / ms;
    return [
      `### Backtest: sweep of ${fmt(SWEEP_SETS)} SMA parameter sets over ${fmt(SWEEP_BARS)} S&P 500 bars, 1 worker vs ${cores}`,
      '',
      `fast 5…54 × slow 60…250 (step 10), legacy costs; workers started before timing; one timed pass each.`,
      '',
      '| workers | wall time | sets/s | bar-steps/s | CPU cores used (process) |',
      '| --- | ---: | ---: | ---: | ---: |',
      `| 1 | ${fmt(single.mean / 1_000, 1)} s | ${fmt((SWEEP_SETS * 1_000) / single.mean, 1)} | ${fmt(stepsPerSecond(single.mean))} | ${fmt(cpuShare['one'], 2)} |`,
      `| ${cores} | ${fmt(parallel.mean / 1_000, 1)} s | ${fmt((SWEEP_SETS * 1_000) / parallel.mean, 1)} | ${fmt(stepsPerSecond(parallel.mean))} | ${fmt(cpuShare['all'], 2)} |`,
      '',
      `Speed-up: **${fmt(speedUp, 2)}×** on ${cores} cores (ideal ${cores}×; ${fmt((speedUp / cores) * 100)} % of ideal; ` +
        `load average ${os.loadavg()[0].toFixed(1)} at the end — CPU the workers did not get went to other processes). ` +
        `Results identical across worker counts: ${isDeepStrictEqual(results['one'], results['all']) ? '**yes**' : '**NO**'}.`,
    ];
  } finally {
    await Promise.all([one.close(), all.close()]);
  }
}

async function main(): Promise<void> {
  const lines = [...(await barsPerSecond()), '', ...(await sweep())];
  process.stdout.write(`${lines.join('\n')}\n`);
}

void main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exit(1);
});
