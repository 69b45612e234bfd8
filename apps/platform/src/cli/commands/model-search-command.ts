import { isInterval, openDatabase, ValidationError, type FieldProblem, type Interval } from '@rrr/core';
import { loadSeries } from '@rrr/neural-network';
import type { Argv, CommandModule } from 'yargs';
import type { CliIo } from '../cli-io';
import { ensureBundledBars } from '../ensure-bundled-bars';
import { formatPredictorSearch } from '../format-predictor-search';
import { loadCliConfig, type GlobalArgs } from '../global-options';
import { parseParams } from '../parse-params';
import {
  FEATURE_METHODS,
  HYPERPARAMETER_METHODS,
  searchFeatures,
  searchHyperparameters,
  type FeatureMethod,
  type HyperparameterMethod,
} from '../predictor-search';
import { SEARCHABLE_KINDS, type SearchableKind } from '../predictor-search-spaces';
import { createProgressReporter } from '../progress-reporter';

const SEARCH_ACTIONS = ['tune', 'select-features'] as const;
type SearchAction = (typeof SEARCH_ACTIONS)[number];

const METHODS: Record<SearchAction, readonly string[]> = {
  tune: HYPERPARAMETER_METHODS,
  'select-features': FEATURE_METHODS,
};
const DEFAULT_BUDGET: Record<SearchAction, number> = { tune: 30, 'select-features': 40 };
const SEARCH_FLAGS = ['budget', 'method', 'seed', 'json', 'holdout'] as const;

/** The flags of `rrr model` that this file reads (the rest belong to train|evaluate|list). */
interface ModelSearchArgs extends GlobalArgs {
  action: string;
  symbol?: string;
  model?: string;
  interval?: string;
  horizon?: string;
  param?: string[];
  folds?: number;
  budget?: number;
  method?: string[];
  seed?: number;
  json?: boolean;
  holdout?: number;
}

function isSearchAction(action: string): action is SearchAction {
  return (SEARCH_ACTIONS as readonly string[]).includes(action);
}

function checkSearchArgs(args: ModelSearchArgs, action: SearchAction): void {
  const problems: FieldProblem[] = [];
  const command = `rrr model ${action}`;
  if (!args.symbol) problems.push({ field: '--symbol', message: `is required for \`${command}\`` });
  if (!(SEARCHABLE_KINDS as readonly string[]).includes(args.model ?? 'logistic')) {
    problems.push({
      field: '--model',
      message: `\`${command}\` searches ${SEARCHABLE_KINDS.join(', ')} (an ensemble is tuned through its members)`,
      value: args.model,
    });
  }
  for (const flag of ['interval', 'horizon'] as const) {
    const value = args[flag];
    if (value !== undefined && !isInterval(value)) {
      problems.push({ field: `--${flag}`, message: 'must be one of 1m, 5m, 15m, 1h, 4h, 1d', value });
    }
  }
  const unknown = (args.method ?? []).filter((m) => !METHODS[action].includes(m));
  if (unknown.length > 0) {
    problems.push({
      field: '--method',
      message: `must be among ${METHODS[action].join(', ')}`,
      value: unknown.join(','),
    });
  }
  if (args.budget !== undefined && !(Number.isInteger(args.budget) && args.budget >= 1)) {
    problems.push({
      field: '--budget',
      message: 'must be a positive integer (evaluations per method)',
      value: args.budget,
    });
  }
  if (args.seed !== undefined && !Number.isInteger(args.seed)) {
    problems.push({ field: '--seed', message: 'must be an integer', value: args.seed });
  }
  if (args.folds !== undefined && !(Number.isInteger(args.folds) && args.folds >= 1)) {
    problems.push({ field: '--folds', message: 'must be a positive integer', value: args.folds });
  }
  if (args.holdout !== undefined && !(args.holdout > 0 && args.holdout < 1)) {
    problems.push({ field: '--holdout', message: 'must be a fraction between 0 and 1', value: args.holdout });
  }
  if (problems.length > 0) throw new ValidationError(command, problems);
}

async function runSearch(io: CliIo, args: ModelSearchArgs, action: SearchAction): Promise<void> {
  checkSearchArgs(args, action);
  const config = loadCliConfig(args);
  const db = await openDatabase(config.database);
  try {
    const symbol = args.symbol as string;
    await ensureBundledBars(db, [symbol]);
    const series = await loadSeries(db, {
      symbol,
      interval: args.interval as Interval | undefined,
      horizon: args.horizon as Interval | undefined,
    });
    const progress = createProgressReporter(`model ${action}`);
    const request = {
      series,
      kind: (args.model ?? 'logistic') as SearchableKind,
      budget: args.budget ?? DEFAULT_BUDGET[action],
      seed: args.seed ?? 1,
      folds: args.folds ?? 5,
      holdoutFraction: args.holdout ?? 0.2,
      hyperparameters: parseParams(args.param),
      onProgress: (done: number, total: number, label: string) => progress.update(done / total, label),
    };
    const methods = [...new Set(args.method ?? METHODS[action])];
    const report = await (
      action === 'tune'
        ? searchHyperparameters(request, methods as HyperparameterMethod[])
        : searchFeatures(request, methods as FeatureMethod[])
    ).finally(() => progress.stop());
    io.out(args.json === true ? JSON.stringify(report, null, 2) : formatPredictorSearch(report));
  } finally {
    await db.close();
  }
}

/**
 * Adds `rrr model tune` (hyperparameters: annealing vs random vs grid search) and `rrr model select-features`
 * (genetic vs random subsets) to the `model` command, sharing its --symbol/--model/--interval/--horizon/--param/
 * --folds flags. yargs keys commands by their first word, so the two actions join the existing `model <action>`
 * command instead of registering a second `model` command (which would replace it).
 */
export function withModelSearchActions<A extends ModelSearchArgs>(
  base: CommandModule<object, A>,
  io: CliIo,
): CommandModule<object, A> {
  const baseBuilder = base.builder;
  if (typeof baseBuilder !== 'function') throw new TypeError('the model command must have a builder function');
  return {
    ...base,
    describe: `${String(base.describe)}; tune hyperparameters or select features, each search against random search at an equal budget`,
    builder: (yargs) =>
      (baseBuilder(yargs) as Argv<A>)
        .choices('action', [...SEARCH_ACTIONS])
        .describe('folds', 'evaluate|tune|select-features: walk-forward folds (default 5)')
        .option('budget', {
          type: 'number',
          describe: 'tune|select-features: walk-forward evaluations per method (default 30 | 40)',
        })
        .option('method', {
          type: 'string',
          array: true,
          coerce: (v: string[]) => v.flatMap((s) => s.split(',')).filter(Boolean),
          describe: `tune: ${HYPERPARAMETER_METHODS.join('|')}; select-features: ${FEATURE_METHODS.join('|')}; comma-separated (default all)`,
        })
        .option('seed', { type: 'number', describe: 'tune|select-features: seed of every search method (default 1)' })
        .option('holdout', {
          type: 'number',
          describe:
            'tune|select-features: share of the newest samples kept from the search for a final check (default 0.2)',
        })
        .option('json', { type: 'boolean', describe: 'tune|select-features: print the report as JSON' }) as Argv<A>,
    handler: async (args) => {
      if (isSearchAction(args.action)) return runSearch(io, args, args.action);
      const misplaced = SEARCH_FLAGS.filter((flag) => args[flag] !== undefined);
      if (misplaced.length > 0) {
        throw new ValidationError(
          `rrr model ${args.action}`,
          misplaced.map((flag) => ({
            field: `--${flag}`,
            message: 'only applies to `rrr model tune|select-features`',
          })),
        );
      }
      return base.handler(args);
    },
  };
}
