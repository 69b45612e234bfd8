import { ValidationError, type FieldProblem } from '@rrr/core';

export interface FeatureScalerState {
  mean: number[];
  deviation: number[];
  /** Scaled values are clipped to ±clip, so one crash day cannot dominate a model's inputs. */
  clip: number;
  /** Rows the statistics were computed from. */
  rows: number;
}

export const DEFAULT_SCALER_CLIP = 5;

/**
 * Z-scoring with statistics from the training window only. Fit it on training rows, then apply it unchanged to
 * validation, test and live rows: statistics that saw the test window would leak its distribution into training.
 */
export class FeatureScaler {
  private constructor(private readonly state: FeatureScalerState) {}

  static fit(rows: readonly Float64Array[], clip = DEFAULT_SCALER_CLIP): FeatureScaler {
    if (rows.length < 2) {
      throw new ValidationError('feature scaler', [
        { field: 'rows', message: `needs at least 2 training rows to estimate a spread (got ${rows.length})` },
      ]);
    }
    const width = rows[0].length;
    const mean = new Array<number>(width).fill(0);
    for (const row of rows) for (let j = 0; j < width; j += 1) mean[j] += row[j];
    for (let j = 0; j < width; j += 1) mean[j] /= rows.length;
    const deviation = new Array<number>(width).fill(0);
    for (const row of rows) {
      for (let j = 0; j < width; j += 1) deviation[j] += (row[j] - mean[j]) ** 2;
    }
    // A constant column carries no information; dividing by 1 keeps it at 0 instead of NaN.
    for (let j = 0; j < width; j += 1) deviation[j] = Math.sqrt(deviation[j] / rows.length) || 1;
    return new FeatureScaler({ mean, deviation, clip, rows: rows.length });
  }

  static fromJSON(state: unknown, source = 'scaler'): FeatureScaler {
    const problems: FieldProblem[] = [];
    const s = state as Partial<FeatureScalerState> | null;
    const numbers = (v: unknown): v is number[] =>
      Array.isArray(v) && v.every((x) => typeof x === 'number' && Number.isFinite(x));
    if (s === null || typeof s !== 'object') {
      problems.push({ field: source, message: 'must be an object with mean, deviation, clip and rows' });
    } else {
      if (!numbers(s.mean)) problems.push({ field: `${source}.mean`, message: 'must be an array of finite numbers' });
      if (!numbers(s.deviation) || s.deviation.some((d) => d <= 0)) {
        problems.push({ field: `${source}.deviation`, message: 'must be an array of positive numbers' });
      }
      if (numbers(s.mean) && numbers(s.deviation) && s.mean.length !== s.deviation.length) {
        problems.push({
          field: `${source}.deviation`,
          message: `must have as many entries as mean (${s.mean.length})`,
        });
      }
      if (typeof s.clip !== 'number' || !(s.clip > 0))
        problems.push({ field: `${source}.clip`, message: 'must be > 0' });
      if (typeof s.rows !== 'number' || !Number.isInteger(s.rows)) {
        problems.push({ field: `${source}.rows`, message: 'must be an integer' });
      }
    }
    if (problems.length > 0) throw new ValidationError('feature scaler', problems);
    const valid = s as FeatureScalerState;
    return new FeatureScaler({
      mean: [...valid.mean],
      deviation: [...valid.deviation],
      clip: valid.clip,
      rows: valid.rows,
    });
  }

  get width(): number {
    return this.state.mean.length;
  }

  transform(row: ArrayLike<number>): Float64Array {
    if (row.length !== this.width) {
      throw new ValidationError('feature row', [
        { field: 'row', message: `has ${row.length} features; the scaler was fit on ${this.width}` },
      ]);
    }
    const { mean, deviation, clip } = this.state;
    const out = new Float64Array(row.length);
    for (let j = 0; j < row.length; j += 1) {
      const z = (row[j] - mean[j]) / deviation[j];
      out[j] = z > clip ? clip : z < -clip ? -clip : z;
    }
    return out;
  }

  toJSON(): FeatureScalerState {
    return {
      mean: [...this.state.mean],
      deviation: [...this.state.deviation],
      clip: this.state.clip,
      rows: this.state.rows,
    };
  }
}
