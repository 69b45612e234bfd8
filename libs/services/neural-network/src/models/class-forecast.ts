import { mostProbableClass, type PredictionProbabilities } from '@rrr/core';
import type { ClassForecast } from './predictor';

/**
 * A forecast from raw class scores (down, flat, up), renormalised in double precision: float32 softmax outputs can
 * sum to 1 ± 1e-7, and downstream validation checks the sum.
 */
export function forecastFromProbabilities(down: number, flat: number, up: number): ClassForecast {
  const sum = down + flat + up;
  const probabilities: PredictionProbabilities = { down: down / sum, flat: flat / sum, up: up / sum };
  const predicted = mostProbableClass(probabilities);
  return { probabilities, predicted, confidence: probabilities[predicted] };
}
