import { ValidationError, type FieldProblem } from '../errors';
import { DOMAIN_LIMITS } from './domain-limits';
import { FieldReader } from './field-reader';
import { INTERVALS, type Interval } from './interval';

/** Direction of the move over the horizon, labelled against the per-horizon thresholds (0.2 % / 0.5 % / 1 %). */
export const PREDICTION_CLASSES = ['down', 'flat', 'up'] as const;
export type PredictionClass = (typeof PREDICTION_CLASSES)[number];

export type PredictionProbabilities = Record<PredictionClass, number>;

/** A classifier's output for one symbol at one instant. */
export interface Prediction {
  symbol: string;
  /** When the prediction was made; it speaks about (ts, ts + horizon]. */
  ts: number;
  horizon: Interval;
  /** `name@version`, e.g. `lstm-classifier@1.2.0`, so a prediction can be traced to the weights that made it. */
  model: string;
  /** Sum to 1. */
  probabilities: PredictionProbabilities;
  /** The most probable class. */
  predicted: PredictionClass;
  /** In [0, 1]; usually probabilities[predicted], but calibrated models may report their own figure. */
  confidence: number;
}

export const MODEL_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*@[A-Za-z0-9][A-Za-z0-9._+-]*$/;

/** Ties go to 'flat' first: an even split is no evidence of a move. Then 'down' over 'up'. */
const TIE_ORDER: readonly PredictionClass[] = ['flat', 'down', 'up'];

/** The class with the highest probability. */
export function mostProbableClass(probabilities: PredictionProbabilities): PredictionClass {
  let best: PredictionClass = TIE_ORDER[0];
  for (const cls of TIE_ORDER) if (probabilities[cls] > probabilities[best]) best = cls;
  return best;
}

const UNIT_RANGE = { min: 0, minInclusive: true, max: 1, maxInclusive: true } as const;

/**
 * Every problem with a prediction: probabilities each in [0, 1] summing to 1 (within 1e-6), `predicted` one of the
 * most probable classes, confidence in [0, 1], model named `name@version`.
 */
export function validatePrediction(input: unknown): FieldProblem[] {
  const r = new FieldReader(input);
  r.symbol('symbol');
  r.timestamp('ts');
  r.oneOf('horizon', INTERVALS);
  r.matching('model', MODEL_ID_PATTERN, 'must be name@version, e.g. "lstm-classifier@1.2.0"');
  const predicted = r.oneOf('predicted', PREDICTION_CLASSES);
  r.number('confidence', UNIT_RANGE);

  const probs = r.nested('probabilities');
  if (probs) {
    const values = PREDICTION_CLASSES.map((cls) => probs.number(cls, UNIT_RANGE));
    if (values.every((v): v is number => v !== undefined)) {
      const [down, flat, up] = values;
      const sum = down + flat + up;
      if (Math.abs(sum - 1) > DOMAIN_LIMITS.probabilitySumTolerance) {
        r.report('probabilities', `must sum to 1 (got down + flat + up = ${sum})`);
      } else if (predicted !== undefined) {
        const byClass: PredictionProbabilities = { down, flat, up };
        const top = Math.max(down, flat, up);
        if (top - byClass[predicted] > DOMAIN_LIMITS.probabilitySumTolerance) {
          r.report(
            'predicted',
            `must be the most probable class "${mostProbableClass(byClass)}" (${top}), not "${predicted}" (${byClass[predicted]})`,
          );
        }
      }
    }
  }
  return r.problems;
}

/** The input typed as a Prediction, or a ValidationError (VALIDATION_FAILED) listing every problem. */
export function assertValidPrediction(input: unknown): Prediction {
  const problems = validatePrediction(input);
  if (problems.length > 0) throw new ValidationError('prediction', problems);
  return input as Prediction;
}
