import type { Bar } from '@rrr/core';
import { StreamingInference, type TrainedModel } from '@rrr/neural-network';
import type { PredictionLike, Predictor } from '@rrr/trading-engine';

/**
 * The `predictor` strategy's model from a trained @rrr/neural-network model (`loadTrainedModel`, or the registry):
 * one StreamingInference per symbol, fed every bar the strategy hands over — the bars of its history window it has
 * not seen yet first (warm-up), then the bar being decided on — so features are computed exactly as in live
 * inference and never from a later bar. Undefined (no view) while the model is still warming up.
 */
export function predictorFromModel(model: TrainedModel): Predictor {
  const streams = new Map<string, StreamingInference>();
  return (bar: Bar, history: readonly Bar[]): PredictionLike | undefined => {
    let stream = streams.get(bar.symbol);
    if (stream === undefined) {
      stream = new StreamingInference(model);
      streams.set(bar.symbol, stream);
    }
    for (const earlier of history) if (earlier.ts < bar.ts && earlier.ts > stream.lastTs) stream.warm(earlier);
    const forecast = stream.update(bar);
    return forecast === null
      ? undefined
      : { probabilities: forecast.probabilities, confidence: forecast.confidence, model: model.id };
  };
}
