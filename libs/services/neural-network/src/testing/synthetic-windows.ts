import type { ClassIndex } from '../features/labels';
import type { LabelledWindows } from '../models/predictor';
import { createSeededRandom } from '../models/seeded-random';

export interface SyntheticWindowsOptions {
  samples: number;
  features: number;
  lookback: number;
  seed: number;
  /** Which row of the window (0 = oldest) decides the label. Default: the newest. */
  signalRow?: number;
}

/**
 * Windows of uniform noise in [−1, 1] whose label is decided by feature 0 of one row: < −0.33 down, > 0.33 up, else
 * flat. Learnable to near 100 %, so a predictor that trains at all separates clearly from one that does not.
 */
export function syntheticWindows(options: SyntheticWindowsOptions): LabelledWindows {
  const random = createSeededRandom(options.seed);
  const signalRow = options.signalRow ?? options.lookback - 1;
  const windows: Float64Array[][] = [];
  const labels: ClassIndex[] = [];
  for (let i = 0; i < options.samples; i += 1) {
    const window = Array.from({ length: options.lookback }, () =>
      Float64Array.from({ length: options.features }, () => random() * 2 - 1),
    );
    const v = window[signalRow][0];
    windows.push(window);
    labels.push(v < -0.33 ? 0 : v > 0.33 ? 2 : 1);
  }
  return { windows, labels };
}

export function accuracyOf(predicted: readonly string[], labels: readonly ClassIndex[]): number {
  const names = ['down', 'flat', 'up'];
  return predicted.filter((p, i) => p === names[labels[i]]).length / labels.length;
}
