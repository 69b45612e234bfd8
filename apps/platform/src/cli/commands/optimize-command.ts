import { openDatabase, ValidationError, type Database, type FieldProblem } from '@rrr/core';
import {
  estimateInputsFromPrices,
  formatOptimizationReport,
  optimizePortfolio,
  PORTFOLIO_METHODS,
  readAlignedCloses,
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

/**
 * Daily closes of each symbol on the dates every one of them traded, oldest first: the optimisation service's own
 * alignment, its problems addressed to `--symbols`, and a symbol without bars told how to load some.
 */
async function alignedDailyCloses(db: Database, symbols: readonly string[]): Promise<Record<string, number[]>> {
  try {
    return (await readAlignedCloses(db, symbols, '1d', null, null)).closesBySymbol;
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      'rrr optimize portfolio',
      error.problems.map((problem) => ({
        ...problem,
        field: '--symbols',
        // A problem about one symbol (rather than the set) is a symbol without bars.
        message:
          typeof problem.value === 'string'
            ? `${problem.message}: load some first, e.g. \`rrr data backfill --source synthetic --symbol ${problem.value} --interval 1d --from 2023-01-01 --to 2024-01-01\``
            : problem.message,
      })),
    );
  }
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
        const inputs = estimateInputsFromPrices(await alignedDailyCloses(db, symbols));
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
