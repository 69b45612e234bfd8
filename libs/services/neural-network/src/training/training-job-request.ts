import {
  INTERVALS,
  isInterval,
  isValidSymbol,
  SYMBOL_EXPECTATION,
  ValidationError,
  type FieldProblem,
  type Interval,
} from '@rrr/core';
import type { FeatureName } from '../features/feature-set';
import { resolveFeatureSubset } from '../features/feature-subset';
import { createLabelSpec } from '../features/labels';
import { checkPredictorHyperparameters } from '../models/create-predictor';
import { PREDICTOR_KINDS, type PredictorKind } from '../models/predictor';
import { defaultModelName, MODEL_NAME_EXPECTATION, MODEL_NAME_PATTERN } from '../registry/model-registry';

/** What `rrr model train` takes, as a training job carries it: checked, with every default filled in. */
export interface TrainingJobRequest {
  symbol: string;
  kind: PredictorKind;
  interval: Interval;
  horizon: Interval;
  /** The flat band of the labels (a fraction). */
  threshold: number;
  hyperparameters: Record<string, unknown>;
  /** The feature subset; absent: all features. */
  features?: FeatureName[];
  /** Serve the new version live for its symbol/interval/horizon once registered. */
  activate: boolean;
  /** Registry name. */
  name: string;
}

/** The fields a training request may have (the route's schema lists the same). */
export const TRAINING_REQUEST_FIELDS = [
  'symbol',
  'kind',
  'interval',
  'horizon',
  'threshold',
  'hyperparameters',
  'features',
  'activate',
  'name',
] as const;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The problems of a ValidationError thrown by `check`, their fields under `prefix`; other errors go on up. */
function problemsOf(check: () => void, prefix = ''): FieldProblem[] {
  try {
    check();
    return [];
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return err.problems.map((p) => ({ ...p, field: `${prefix}${p.field}` }));
  }
}

/**
 * Checks a training request in full — every field named in its problem, all problems in one ValidationError — and
 * fills in the CLI's defaults: kind logistic, interval 1d, horizon one bar, the horizon's default threshold, all
 * features, activate true, name `<symbol>-<kind>-<horizon>`. Whether the symbol has enough stored bars is the
 * caller's check (it needs the database).
 */
export function resolveTrainingJobRequest(input: unknown): TrainingJobRequest {
  if (!isPlainObject(input)) {
    throw new ValidationError('training request', [{ field: '', message: 'must be a JSON object', value: input }]);
  }
  const known = new Set<string>(TRAINING_REQUEST_FIELDS);
  const problems: FieldProblem[] = Object.keys(input)
    .filter((key) => !known.has(key))
    .map((key) => ({ field: key, message: `is not a training option (known: ${TRAINING_REQUEST_FIELDS.join(', ')})` }));

  const { symbol, kind = 'logistic', interval = '1d', horizon, threshold, hyperparameters = {}, features } = input;
  const activate = input['activate'] ?? true;
  if (!isValidSymbol(symbol)) problems.push({ field: 'symbol', message: SYMBOL_EXPECTATION, value: symbol });
  const kindOk = (PREDICTOR_KINDS as readonly unknown[]).includes(kind);
  if (!kindOk) problems.push({ field: 'kind', message: `must be one of ${PREDICTOR_KINDS.join(', ')}`, value: kind });
  const intervalOk = isInterval(interval);
  if (!intervalOk)
    problems.push({ field: 'interval', message: `must be one of ${INTERVALS.join(', ')}`, value: interval });
  const horizonOk = horizon === undefined || isInterval(horizon);
  if (!horizonOk)
    problems.push({ field: 'horizon', message: `must be one of ${INTERVALS.join(', ')}`, value: horizon });
  const thresholdOk = threshold === undefined || (typeof threshold === 'number' && Number.isFinite(threshold));
  if (!thresholdOk)
    problems.push({ field: 'threshold', message: 'must be a number, e.g. 0.005 for 0.5 %', value: threshold });
  let label: ReturnType<typeof createLabelSpec> | undefined;
  if (intervalOk && horizonOk && thresholdOk) {
    problems.push(
      ...problemsOf(() => {
        label = createLabelSpec({
          interval,
          horizon: horizon as Interval | undefined,
          threshold: threshold as number | undefined,
        });
      }),
    );
  }
  if (!isPlainObject(hyperparameters)) {
    problems.push({ field: 'hyperparameters', message: 'must be an object of name: value', value: hyperparameters });
  } else if (kindOk) {
    problems.push(
      ...problemsOf(() => checkPredictorHyperparameters(kind as PredictorKind, hyperparameters), 'hyperparameters.'),
    );
  }
  if (features !== undefined) {
    if (!Array.isArray(features) || !features.every((f) => typeof f === 'string')) {
      problems.push({ field: 'features', message: 'must be a list of feature names', value: features });
    } else {
      problems.push(...problemsOf(() => resolveFeatureSubset(features as string[])));
    }
  }
  if (typeof activate !== 'boolean')
    problems.push({ field: 'activate', message: 'must be true or false', value: activate });
  const name =
    input['name'] ??
    (isValidSymbol(symbol) && kindOk && label !== undefined
      ? defaultModelName(symbol, kind as PredictorKind, label.horizon)
      : undefined);
  if (input['name'] !== undefined && (typeof name !== 'string' || !MODEL_NAME_PATTERN.test(name)))
    problems.push({ field: 'name', message: MODEL_NAME_EXPECTATION, value: name });

  if (problems.length > 0 || label === undefined) throw new ValidationError('training request', problems);
  return {
    symbol: symbol as string,
    kind: kind as PredictorKind,
    interval: label.interval,
    horizon: label.horizon,
    threshold: label.threshold,
    hyperparameters: hyperparameters as Record<string, unknown>,
    ...(features === undefined ? {} : { features: resolveFeatureSubset(features as string[]).names }),
    activate: activate as boolean,
    name: name as string,
  };
}
