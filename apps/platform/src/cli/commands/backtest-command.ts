import { openDatabase, toIso, ValidationError } from '@rrr/core';
import {
  backtestSummaryJson,
  exportRun,
  parseParameterAssignments,
  parseParameterSpace,
  runBacktest,
  runMonteCarlo,
  runWalkForward,
  type BacktestProgress,
  type BacktestRequest,
  type FillTiming,
} from '@rrr/backtesting';
import type { Argv, CommandModule } from 'yargs';
import type { CliIo } from '../cli-io';
import { formatMetricsTable } from '../format-metrics-table';
import { loadCliConfig, withGlobalOptions, type GlobalArgs } from '../global-options';
import { createProgressReporter } from '../progress-reporter';

interface BacktestArgs extends GlobalArgs {
  mode: 'run' | 'walk-forward' | 'monte-carlo';
  strategy: string;
  symbol: string;
  from?: string;
  to?: string;
  param?: string[];
  fill: FillTiming;
  short: boolean;
  json: boolean;
  report?: string;
  export?: string;
  search: 'grid' | 'random';
  space?: string[];
  splits?: number;
  windows: 'rolling' | 'expanding';
  runs?: number;
  method: 'trades' | 'blocks';
  seed?: number;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)} %`);

export function backtestCommand(io: CliIo): CommandModule<object, BacktestArgs> {
  return {
    command: 'backtest [mode]',
    describe: 'replay history through the live strategy, risk and OMS code: run, walk-forward, or monte-carlo',
    builder: (yargs) =>
      (withGlobalOptions(yargs) as Argv<GlobalArgs>)
        .positional('mode', { choices: ['run', 'walk-forward', 'monte-carlo'] as const, default: 'run' })
        .option('strategy', {
          type: 'string',
          demandOption: true,
          describe: 'sma-cross, bollinger, buy-and-hold or predictor',
        })
        .option('symbol', {
          type: 'string',
          demandOption: true,
          describe: 'one symbol or a comma-separated list (SPX,AAPL)',
        })
        .option('from', { type: 'string', describe: 'first day (ISO, UTC); default where the data starts' })
        .option('to', { type: 'string', describe: 'last day (ISO, UTC), included; default where the data ends' })
        .option('param', { type: 'string', array: true, describe: 'strategy parameter name=value (repeatable)' })
        .option('fill', {
          type: 'string',
          choices: ['next-open', 'close'] as const,
          default: 'next-open',
          describe: 'when a signal on bar t fills',
        })
        .option('short', { type: 'boolean', default: false, describe: 'allow short positions' })
        .option('json', { type: 'boolean', default: false, describe: 'print the metrics as JSON' })
        .option('report', { type: 'string', describe: 'write a self-contained HTML report to this file' })
        .option('export', {
          type: 'string',
          describe: 'write JSON, trades CSV, equity CSV and the HTML report into this folder',
        })
        .option('search', {
          type: 'string',
          choices: ['grid', 'random'] as const,
          default: 'grid',
          describe: 'walk-forward: search method',
        })
        .option('space', {
          type: 'string',
          array: true,
          describe: 'walk-forward: parameter range name=from:to:step or name=a,b,c',
        })
        .option('splits', { type: 'number', describe: 'walk-forward: number of splits (default 5)' })
        .option('windows', {
          type: 'string',
          choices: ['rolling', 'expanding'] as const,
          default: 'rolling',
          describe: 'walk-forward windows',
        })
        .option('runs', { type: 'number', describe: 'monte-carlo: simulated paths (default 1000)' })
        .option('method', {
          type: 'string',
          choices: ['trades', 'blocks'] as const,
          default: 'trades',
          describe: 'monte-carlo: trade bootstrap or block bootstrap of returns',
        })
        .option('seed', {
          type: 'number',
          describe: 'monte-carlo / random search seed',
        }) as unknown as Argv<BacktestArgs>,
    handler: async (args) => {
      const { params, problems } = parseParameterAssignments(args.param ?? []);
      if (problems.length > 0) throw new ValidationError('rrr backtest', problems);
      const config = loadCliConfig(args);
      const db = await openDatabase(config.database);
      const progress = args.json
        ? { update: () => undefined, stop: () => undefined }
        : createProgressReporter('backtest');
      const onProgress = (p: BacktestProgress) => progress.update(p.total > 0 ? p.done / p.total : 0, p.message);
      const request: BacktestRequest = {
        strategy: args.strategy,
        symbols: args.symbol,
        from: args.from,
        to: args.to,
        params,
        fillTiming: args.fill,
        allowShort: args.short,
      };
      const deps = { db, config: config.backtest, riskLimits: config.risk };
      try {
        if (args.mode === 'walk-forward') {
          const space = parseParameterSpace(args.space ?? []);
          const result = await runWalkForward(
            {
              ...request,
              search: { method: args.search, space, seed: args.seed },
              splits: args.splits,
              mode: args.windows,
            },
            deps,
            onProgress,
          ).finally(() => progress.stop());
          if (args.json) {
            io.out(JSON.stringify(result, null, 2));
            return;
          }
          for (const split of result.windows) {
            io.out(
              `split ${split.index + 1}: IS ${toIso(split.inSample.from).slice(0, 10)}..${toIso(split.inSample.to).slice(0, 10)} ` +
                `best ${JSON.stringify(split.best)} IS ${split.inSampleObjective?.toFixed(3) ?? '—'} ` +
                `OOS ${split.outOfSampleObjective?.toFixed(3) ?? '—'}`,
            );
          }
          io.out(
            `robustness (OOS/IS ${result.objective}) ${result.robustness?.toFixed(3) ?? '—'}, consistency ${pct(result.consistency)} of splits profitable out of sample`,
          );
          return;
        }
        if (args.mode === 'monte-carlo') {
          const result = await runMonteCarlo(
            { ...request, monteCarlo: { runs: args.runs, method: args.method, seed: args.seed } },
            deps,
            onProgress,
          ).finally(() => progress.stop());
          const mc = result.monteCarlo;
          if (args.json) {
            io.out(JSON.stringify(mc, null, 2));
            return;
          }
          io.out(`${mc.runs} ${mc.method} bootstrap paths (seed ${mc.seed}) of ${result.backtest.strategyId}:`);
          io.out(
            `  probability of profit ${pct(mc.probabilityOfProfit)}, of ruin (${pct(mc.ruinDrawdown)} drawdown) ${pct(mc.probabilityOfRuin)}`,
          );
          io.out(
            `  total return p5 ${pct(mc.totalReturn.p5)} · p50 ${pct(mc.totalReturn.p50)} · p95 ${pct(mc.totalReturn.p95)}`,
          );
          io.out(
            `  max drawdown p5 ${pct(mc.maxDrawdown.p5)} · p50 ${pct(mc.maxDrawdown.p50)} · p95 ${pct(mc.maxDrawdown.p95)}`,
          );
          return;
        }
        const result = await runBacktest(request, deps, onProgress).finally(() => progress.stop());
        const written = exportRun(result, {
          ...(args.export ? { dir: args.export } : {}),
          ...(args.report ? { html: args.report } : {}),
        });
        if (args.json) {
          io.out(JSON.stringify(backtestSummaryJson(result), null, 2));
        } else {
          io.out(
            `${result.strategyId} on ${result.settings.symbols.join(', ')} ${result.settings.interval}, run ${result.id}`,
          );
          io.out(formatMetricsTable(result.metrics, result.benchmark));
        }
        for (const file of written) io.err(`wrote ${file}`);
      } finally {
        await db.close();
      }
    },
  };
}
