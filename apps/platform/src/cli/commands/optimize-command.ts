import { INTERVALS, openDatabase, ValidationError, type Database, type Interval } from '@rrr/core';
import {
  estimateInputsFromPrices,
  formatOptimizationReport,
  optimizePortfolio,
  OPTIMIZATION_METHOD_CHOICES,
  OPTIMIZATION_REQUEST_DEFAULTS,
  readAlignedCloses,
  resolveOptimizationRequest,
  type ResolvedOptimizationRequest,
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
  interval: string;
  from?: string;
  to?: string;
}

/** The request's field names as this command's flags, so a refusal names what the user typed. */
const FLAG_OF_FIELD: Readonly<Record<string, string>> = {
  symbols: '--symbols',
  k: '--k',
  method: '--method',
  riskAversion: '--risk-aversion',
  seed: '--seed',
  interval: '--interval',
  from: '--from',
  to: '--to',
};

/** The API's own request check (bounds, defaults, every problem at once), its fields named as flags. */
function resolveArgs(args: OptimizeArgs): ResolvedOptimizationRequest {
  try {
    return resolveOptimizationRequest({
      symbols: args.symbols,
      ...(args.k === undefined ? {} : { k: args.k }),
      method: args.method as ResolvedOptimizationRequest['method'],
      riskAversion: args['risk-aversion'],
      seed: args.seed,
      interval: args.interval as Interval,
      ...(args.from === undefined ? {} : { from: args.from }),
      ...(args.to === undefined ? {} : { to: args.to }),
    });
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error;
    throw new ValidationError(
      'rrr optimize portfolio',
      error.problems.map((problem) => ({ ...problem, field: FLAG_OF_FIELD[problem.field] ?? problem.field })),
    );
  }
}

/**
 * Daily closes of each symbol on the dates every one of them traded, oldest first: the optimisation service's own
 * alignment, its problems addressed to `--symbols`, and a symbol without bars told how to load some.
 */
async function alignedCloses(db: Database, request: ResolvedOptimizationRequest): Promise<Record<string, number[]>> {
  const { symbols, interval, from, to } = request;
  try {
    return (await readAlignedCloses(db, symbols, interval, from, to)).closesBySymbol;
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
            ? `${problem.message}: load some first, e.g. \`rrr data backfill --source synthetic --symbol ${problem.value} --interval ${interval} --from 2023-01-01 --to 2024-01-01\``
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
          default: OPTIMIZATION_REQUEST_DEFAULTS.method,
          choices: [...OPTIMIZATION_METHOD_CHOICES],
          describe: 'solver',
        })
        .option('k', { type: 'number', describe: 'assets to select (default half of them, rounded up)' })
        .option('risk-aversion', {
          type: 'number',
          default: OPTIMIZATION_REQUEST_DEFAULTS.riskAversion,
          describe: 'λ in return − λ·variance',
        })
        .option('seed', {
          type: 'number',
          default: OPTIMIZATION_REQUEST_DEFAULTS.seed,
          describe: 'seed of QAOA, annealing and tempering',
        })
        .option('interval', {
          type: 'string',
          default: OPTIMIZATION_REQUEST_DEFAULTS.interval,
          choices: [...INTERVALS],
          describe: 'bars whose closes give the returns',
        })
        .option('from', {
          type: 'string',
          describe: 'first bar used (ISO date or date-time; default the first stored)',
        })
        .option('to', {
          type: 'string',
          describe: 'last bar used (ISO date or date-time; default the last stored)',
        }) as Argv<OptimizeArgs>,
    handler: async (args) => {
      const request = resolveArgs(args);
      const config = loadCliConfig(args);
      const db = await openDatabase(config.database);
      try {
        await ensureBundledBars(db, request.symbols);
        const inputs = estimateInputsFromPrices(await alignedCloses(db, request));
        const result = optimizePortfolio({
          symbols: request.symbols,
          expectedReturns: inputs.expectedReturns,
          covariance: inputs.covariance,
          k: request.k,
          method: request.method,
          riskAversion: request.riskAversion,
          seed: request.seed,
        });
        io.out(formatOptimizationReport(result));
      } finally {
        await db.close();
      }
    },
  };
}
