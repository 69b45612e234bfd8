import { ValidationError, type Bar } from '@rrr/core';
import { resolveFeatureSubset, projectRow, type FeatureColumns } from '../features/feature-subset';
import { StreamingFeatures } from '../features/streaming-features';
import type { ClassForecast } from '../models/predictor';
import type { TrainedModel } from '../models/trained-model';

/**
 * One series' live path: streaming features → the columns the model was trained on → the model's training scaler → the newest `lookback` rows → predictor.
 * Costs O(indicator windows) per bar, never a recomputation over history.
 */
export class StreamingInference {
  private readonly features = new StreamingFeatures();
  private readonly rows: Float64Array[] = [];
  private last = Number.NEGATIVE_INFINITY;
  private readonly subset: FeatureColumns;

  constructor(readonly model: TrainedModel) {
    const stored = model.metadata.features;
    this.subset = resolveFeatureSubset(stored, `${model.id} features`);
    if (stored !== undefined && stored.join(',') !== this.subset.names.join(',')) {
      // Columns are picked in feature-set order; a model whose scaler saw another order would read shuffled inputs.
      throw new ValidationError('trained model', [
        { field: `${model.id} features`, message: 'must follow FEATURE_NAMES order', value: stored },
      ]);
    }
  }

  /** Open time of the last bar consumed. */
  get lastTs(): number {
    return this.last;
  }

  /** True once a bar would produce a forecast. */
  get ready(): boolean {
    return this.rows.length === this.model.predictor.lookback;
  }

  get barsSeen(): number {
    return this.features.bars;
  }

  /** Consumes a bar without predicting (warm-up from history). False when the bar is not newer than the last one. */
  warm(bar: Bar): boolean {
    if (!(bar.ts > this.last)) return false;
    this.last = bar.ts;
    const row = this.features.update(bar);
    if (row !== null) {
      this.rows.push(this.model.scaler.transform(projectRow(row, this.subset)));
      if (this.rows.length > this.model.predictor.lookback) this.rows.shift();
    }
    return true;
  }

  /**
   * Consumes a bar and forecasts the move over the model's horizon from its close; null while warming up. Throws a
   * RangeError for a bar that is not newer than the last one (streaming state cannot go back).
   */
  update(bar: Bar): ClassForecast | null {
    if (!this.warm(bar))
      throw new RangeError(`bar at ${bar.ts} is not after the last bar (${this.last}) of ${bar.symbol}`);
    return this.ready ? this.model.predictor.predict([this.rows])[0] : null;
  }
}
