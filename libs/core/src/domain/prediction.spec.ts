import fc from 'fast-check';
import { ValidationError } from '../errors';
import {
  PREDICTION_CLASSES,
  assertValidPrediction,
  mostProbableClass,
  validatePrediction,
  type Prediction,
} from './prediction';

const prediction: Prediction = {
  symbol: 'BTC-USD',
  ts: 1_700_000_000_000,
  horizon: '15m',
  model: 'lstm-classifier@1.2.0',
  probabilities: { down: 0.2, flat: 0.3, up: 0.5 },
  predicted: 'up',
  confidence: 0.5,
};
const messages = (input: unknown) => validatePrediction(input).map((p) => `${p.field}: ${p.message}`);

describe('mostProbableClass', () => {
  it('picks the highest probability and resolves ties towards flat, then down', () => {
    expect(mostProbableClass({ down: 0.2, flat: 0.3, up: 0.5 })).toBe('up');
    expect(mostProbableClass({ down: 0.6, flat: 0.3, up: 0.1 })).toBe('down');
    expect(mostProbableClass({ down: 0.4, flat: 0.2, up: 0.4 })).toBe('down');
    expect(mostProbableClass({ down: 0.25, flat: 0.375, up: 0.375 })).toBe('flat');
  });
});

describe('validatePrediction', () => {
  it('accepts a consistent prediction, with float-rounded probabilities', () => {
    expect(validatePrediction(prediction)).toEqual([]);
    expect(
      validatePrediction({ ...prediction, probabilities: { down: 0.1, flat: 0.2, up: 0.7000000001 }, confidence: 0.7 }),
    ).toEqual([]);
  });

  it('requires probabilities summing to 1', () => {
    expect(messages({ ...prediction, probabilities: { down: 0.2, flat: 0.3, up: 0.6 } })).toEqual([
      `probabilities: must sum to 1 (got down + flat + up = ${0.2 + 0.3 + 0.6})`,
    ]);
  });

  it('checks each probability on its own path', () => {
    expect(messages({ ...prediction, probabilities: { down: -0.1, flat: 'x', up: 1.1 } })).toEqual([
      'probabilities.down: must be >= 0 and <= 1 (got -0.1)',
      'probabilities.flat: must be a finite number (got "x")',
      'probabilities.up: must be >= 0 and <= 1 (got 1.1)',
    ]);
    expect(messages({ ...prediction, probabilities: { down: 0.5, up: 0.5 } })).toEqual([
      'probabilities.flat: is required',
    ]);
  });

  it('requires the predicted class to be a most probable one', () => {
    expect(messages({ ...prediction, predicted: 'flat' })).toEqual([
      'predicted: must be the most probable class "up" (0.5), not "flat" (0.3)',
    ]);
    const tie = { ...prediction, probabilities: { down: 0.4, flat: 0.2, up: 0.4 } };
    expect(validatePrediction({ ...tie, predicted: 'up' })).toEqual([]);
    expect(validatePrediction({ ...tie, predicted: 'down' })).toEqual([]);
  });

  it('checks horizon, model id and confidence', () => {
    expect(messages({ ...prediction, horizon: '30m', model: 'lstm', confidence: 2 })).toEqual([
      'horizon: must be one of "1m", "5m", "15m", "1h", "4h", "1d" (got "30m")',
      'model: must be name@version, e.g. "lstm-classifier@1.2.0" (got "lstm")',
      'confidence: must be >= 0 and <= 1 (got 2)',
    ]);
  });

  it('reports all problems at once', () => {
    expect(validatePrediction({ symbol: 'BTC-USD', probabilities: 'up' }).map((p) => p.field)).toEqual([
      'ts',
      'horizon',
      'model',
      'predicted',
      'confidence',
      'probabilities',
    ]);
  });

  it('assertValidPrediction throws VALIDATION_FAILED', () => {
    expect(assertValidPrediction(prediction)).toBe(prediction);
    expect(() => assertValidPrediction({ ...prediction, predicted: 'down' })).toThrow(ValidationError);
    expect(() => assertValidPrediction({ ...prediction, predicted: 'down' })).toThrow(
      /^prediction: predicted: must be/,
    );
  });

  it('accepts every softmax output labelled with its argmax (property)', () => {
    const logit = fc.double({ min: -20, max: 20, noNaN: true });
    fc.assert(
      fc.property(logit, logit, logit, (a, b, c) => {
        const exps = [a, b, c].map(Math.exp);
        const total = exps[0] + exps[1] + exps[2];
        const [down, flat, up] = exps.map((e) => e / total);
        const probabilities = { down, flat, up };
        const predicted = mostProbableClass(probabilities);
        const candidate = { ...prediction, probabilities, predicted, confidence: probabilities[predicted] };
        expect(validatePrediction(candidate)).toEqual([]);
        for (const other of PREDICTION_CLASSES) {
          const flagged = validatePrediction({ ...candidate, predicted: other }).length > 0;
          expect(flagged).toBe(probabilities[predicted] - probabilities[other] > 1e-6);
        }
      }),
    );
  });
});
