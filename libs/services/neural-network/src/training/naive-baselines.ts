import { PREDICTION_CLASSES } from '@rrr/core';
import { CLASS_COUNT, type ClassIndex } from '../features/labels';
import type { ClassForecast } from '../models/predictor';

function frequencies(labels: readonly ClassIndex[]): number[] {
  // Laplace smoothing: a class never seen in training still gets a finite log loss.
  const counts = [1, 1, 1];
  for (const label of labels) counts[label] += 1;
  const total = counts[0] + counts[1] + counts[2];
  return counts.map((c) => c / total);
}

function forecast(probabilities: number[], predicted: ClassIndex): ClassForecast {
  const [down, flat, up] = probabilities;
  const cls = PREDICTION_CLASSES[predicted];
  return { probabilities: { down, flat, up }, predicted: cls, confidence: probabilities[predicted] };
}

/** Always the training window's most frequent class, with the training class frequencies as probabilities. */
export function majorityClassBaseline(trainLabels: readonly ClassIndex[]): ClassForecast {
  const p = frequencies(trainLabels);
  let best: ClassIndex = 1;
  for (let c = 0 as ClassIndex; c < CLASS_COUNT; c = (c + 1) as ClassIndex) if (p[c] > p[best]) best = c;
  return forecast(p, best);
}

/**
 * "The last move continues": predicts the class of the move over the previous horizon. Its probabilities are the
 * training window's label frequencies given that call, so its log loss is a fair comparison, not a penalty for
 * being a hard rule.
 */
export function lastDirectionBaseline(
  trainLastMoves: readonly ClassIndex[],
  trainLabels: readonly ClassIndex[],
): (lastMove: ClassIndex) => ClassForecast {
  const byCall = [0, 1, 2].map((call) => frequencies(trainLabels.filter((_, i) => trainLastMoves[i] === call)));
  return (lastMove) => forecast(byCall[lastMove], lastMove);
}
