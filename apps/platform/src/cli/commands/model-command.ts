import { isInterval, openDatabase, toIso, ValidationError, type FieldProblem, type Interval } from '@rrr/core';
import {
  evaluateModel,
  formatComparison,
  formatWalkForwardReport,
  listModels,
  PREDICTOR_KINDS,
  trainModel,
  type FeatureName,
  type PredictorKind,
  type TrainingProgress,
} from '@rrr/neural-network';
import type { Argv, CommandModule } from 'yargs';
import type { CliIo } from '../cli-io';
import { ensureBundledBars } from '../ensure-bundled-bars';
import { loadCliConfig, withGlobalOptions, type GlobalArgs } from '../global-options';
import { parseParams } from '../parse-params';
import { createProgressReporter } from '../progress-reporter';

interface ModelArgs extends GlobalArgs {
  action: 'train' | 'evaluate' | 'list';
  symbol?: string;
  model?: string;
  interval?: string;
  horizon?: string;
  param?: string[];
  folds?: number;
  features?: string;
}

/** `--features rsi,macd` → the names; validated (unknown names, repeats) by the training code, which names each. */
function featureList(value: string | undefined): FeatureName[] | undefined {
  if (value === undefined) return undefined;
  return value
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name.length > 0) as FeatureName[];
}

function checkArgs(args: ModelArgs): void {
  const problems: FieldProblem[] = [];
  if (args.action !== 'list' && !args.symbol) {
    problems.push({ field: '--symbol', message: `is required for \`rrr model ${args.action}\`` });
  }
  for (const flag of ['interval', 'horizon'] as const) {
    const value = args[flag];
    if (value !== undefined && !isInterval(value)) {
      problems.push({ field: `--${flag}`, message: 'must be one of 1m, 5m, 15m, 1h, 4h, 1d', value });
    }
  }
  if (problems.length > 0) throw new ValidationError(`rrr model ${args.action}`, problems);
}

function progressLine(progress: TrainingProgress): number {
  if (progress.folds && progress.fold !== undefined) return progress.fold / progress.folds;
  return progress.stage === 'done' ? 1 : progress.stage === 'save' ? 0.95 : 0.1;
}

export function modelCommand(io: CliIo): CommandModule<object, ModelArgs> {
  return {
    command: 'model <action>',
    describe:
      'predictors: train and register a model version, evaluate walk-forward against naive baselines, list versions',
    builder: (yargs) =>
      (withGlobalOptions(yargs) as Argv<GlobalArgs>)
        .positional('action', { choices: ['train', 'evaluate', 'list'] as const, demandOption: true })
        .option('symbol', { type: 'string', describe: 'the series to learn from, e.g. SPX' })
        .option('model', { type: 'string', choices: [...PREDICTOR_KINDS], default: 'logistic', describe: 'model kind' })
        .option('interval', { type: 'string', describe: 'bar interval (default 1d)' })
        .option('horizon', { type: 'string', describe: 'label horizon (default one bar)' })
        .option('param', { type: 'string', array: true, describe: 'hyperparameter name=value (repeatable)' })
        .option('folds', { type: 'number', describe: 'evaluate: walk-forward folds (default 5)' })
        .option('features', {
          type: 'string',
          describe:
            'train|evaluate: comma-separated feature subset (default all; `rrr model select-features` finds one)',
        }) as Argv<ModelArgs>,
    handler: async (args) => {
      checkArgs(args);
      const hyperparameters = parseParams(args.param);
      const config = loadCliConfig(args);
      const db = await openDatabase(config.database);
      try {
        const modelsDir = config.models.dir;
        if (args.action === 'list') {
          const models = await listModels({ db, modelsDir }, args.symbol ? { symbol: args.symbol } : {});
          if (models.length === 0) io.out('no models registered yet: `rrr model train --symbol SPX --model logistic`');
          for (const m of models) {
            io.out(
              `${m.modelId.padEnd(28)} ${m.kind.padEnd(9)} ${m.symbol.padEnd(8)} ${m.interval.padEnd(4)} ${m.status.padEnd(9)} ` +
                `trained ${toIso(m.trainedFrom).slice(0, 10)}..${toIso(m.trainedTo).slice(0, 10)}`,
            );
          }
          return;
        }
        const symbol = args.symbol as string;
        await ensureBundledBars(db, [symbol]);
        const request = {
          symbol,
          kind: args.model as PredictorKind,
          interval: args.interval as Interval | undefined,
          horizon: args.horizon as Interval | undefined,
          hyperparameters,
          features: featureList(args.features),
        };
        const progress = createProgressReporter(args.action);
        const onProgress = (p: TrainingProgress) => progress.update(progressLine(p), p.message);
        if (args.action === 'train') {
          const result = await trainModel({ db, modelsDir }, request, onProgress).finally(() => progress.stop());
          io.out(`registered ${result.model} (${result.record.status}) in ${result.dir}`);
          if (result.holdout) io.out(formatComparison(result.model, result.holdout));
        } else {
          const report = await evaluateModel({ db }, { ...request, folds: args.folds }, onProgress).finally(() =>
            progress.stop(),
          );
          io.out(formatWalkForwardReport(report));
        }
      } finally {
        await db.close();
      }
    },
  };
}
