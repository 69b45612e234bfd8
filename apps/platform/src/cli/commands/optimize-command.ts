import { openDatabase, ValidationError, type Database, type FieldProblem } from '@rrr/core';
import {
  estimateInputsFromPrices,
  formatOptimizationReport,
  optimizePortfolio,
  PORTFOLIO_METHODS,
  type PortfolioMethod,
} from '@rrr/quantum-optimization';
import type { Argv, CommandModule } from 'yargs';
import type { CliIo } from '../cli-io';
import { ensureBundledBars } from '../ensure-bundled-bars';
import { loadCliConfig, withGlobalOptions, type GlobalArgs } from '../global-options';

interface OptimizeArgs extends GlobalArgs {
  target: 'portfolio';
  symbols: string[];
  method: string;
  k?: number;
  'risk-aversion': number;
  seed: number;
}

/** Daily closes of each symbol on the dates every one of them traded, oldest first. */
async function alignedCloses(db: Database, symbols: readonly string[]): Promise<Record<string, number[]>> {
  const bySymbol = new Map<string, Map<number, number>>();
  for (const symbol of symbols) {
    const rows = await db.query<{ ts: number; close: number }>(
      `SELECT ts, close FROM bars WHERE symbol = ? AND interval = '1d' ORDER BY ts`,
      [symbol],
    );
    bySymbol.set(symbol, new Map(rows.map((r) => [r.ts, r.close])));
  }
  const missing = symbols.filter((s) => (bySymbol.get(s)?.size ?? 0) === 0);
  if (missing.length > 0) {
    throw new ValidationError(
      'rrr optimize portfolio',
      missing.map((s) => ({
        field: '--symbols',
        message: `${s} has no daily bars stored: load some first, e.g. \`rrr data backfill --source synthetic --symbol ${s} --interval 1d --from 2023-01-01 --to 2024-01-01\``,
        value: s,
      })),
    );
  }
  const [first, ...rest] = symbols.map((s) => bySymbol.get(s) as Map<number, number>);
  const common = [...first.keys()].filter((ts) => rest.every((m) => m.has(ts))).sort((a, b) => a - b);
  if (common.length < 3) {
    throw new ValidationError('rrr optimize portfolio', [
      {
        field: '--symbols',
        message: `the symbols share ${common.length} trading days; at least 3 are needed`,
        value: symbols.join(','),
      },
    ]);
  }
  return Object.fromEntries(symbols.map((s) => [s, common.map((ts) => bySymbol.get(s)?.get(ts) as number)]));
}

export function optimizeCommand(io: CliIo): CommandModule<object, OptimizeArgs> {
  return {
    command: 'optimize <target>',
    describe: 'portfolio selection: choose k of N assets by exact search, QAOA simulation, annealing, or mean-variance',
    builder: (yargs) =>
      (withGlobalOptions(yargs) as Argv<GlobalArgs>)
        .positional('target', { choices: ['portfolio'] as const, demandOption: true })
        .option('symbols', {
          type: 'string',
          array: true,
          demandOption: true,
          coerce: (v: string[]) => v.flatMap((s) => s.split(',')).filter(Boolean),
          describe: 'assets, comma-separated',
        })
        .option('method', {
          type: 'string',
          default: 'all',
          choices: [...PORTFOLIO_METHODS, 'all'],
          describe: 'solver',
        })
        .option('k', { type: 'number', describe: 'assets to select (default half of them, rounded up)' })
        .option('risk-aversion', { type: 'number', default: 1, describe: 'λ in return − λ·variance' })
        .option('seed', {
          type: 'number',
          default: 1,
          describe: 'seed of QAOA, annealing and tempering',
        }) as Argv<OptimizeArgs>,
    handler: async (args) => {
      const problems: FieldProblem[] = [];
      const symbols = [...new Set(args.symbols)];
      if (symbols.length < 2)
        problems.push({ field: '--symbols', message: 'name at least two assets', value: args.symbols.join(',') });
      const k = args.k ?? Math.ceil(symbols.length / 2);
      if (!(Number.isInteger(k) && k >= 1 && k <= symbols.length)) {
        problems.push({ field: '--k', message: `must be an integer from 1 to ${symbols.length}`, value: args.k });
      }
      if (problems.length > 0) throw new ValidationError('rrr optimize portfolio', problems);
      const config = loadCliConfig(args);
      const db = await openDatabase(config.database);
      try {
        await ensureBundledBars(db, symbols);
        const inputs = estimateInputsFromPrices(await alignedCloses(db, symbols));
        const result = optimizePortfolio({
          symbols,
          expectedReturns: inputs.expectedReturns,
          covariance: inputs.covariance,
          k,
          method: args.method as PortfolioMethod | 'all',
          riskAversion: args['risk-aversion'],
          seed: args.seed,
        });
        io.out(formatOptimizationReport(result));
      } finally {
        await db.close();
      }
    },
  };
}
