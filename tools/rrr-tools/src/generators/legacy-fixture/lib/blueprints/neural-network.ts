import type { ServiceBlueprint } from '../service-blueprint';

export const neuralNetworkBlueprint: ServiceBlueprint = {
  folder: 'neural_network',
  title: 'Neural network',
  port: 8000,
  dependsOn: [],
  aliasImport: {
    specifier: '@services/neural_network/features/feature_engineering',
    name: 'zScore',
    call: 'zScore([1, 2, 3])[0]',
  },
  commits: [
    {
      message: 'nn: feature engineering',
      files: {
        'src/features/feature_engineering.ts': `import type { Bar } from '@shared/types';
import { mean, stddev } from '@shared/math_utils';

export function logReturns(bars: readonly Bar[]): number[] {
  const out: number[] = [];
  for (let i = 1; i < bars.length; i++) out.push(Math.log(bars[i].close / bars[i - 1].close));
  return out;
}

export function zScore(values: readonly number[]): number[] {
  const m = mean(values);
  const s = stddev(values);
  return values.map((value) => (s === 0 ? 0 : (value - m) / s));
}

/** The last window log returns, oldest first. */
export function momentumFeatures(bars: readonly Bar[], window = 5): number[] {
  return logReturns(bars).slice(-window);
}
`,
        'src/index.ts': `export * from './features/feature_engineering';
`,
      },
    },
    {
      message: 'nn: first predictor (sum of momentum)',
      files: {
        'src/models/predictor.ts': `import type { Signal } from '@shared/types';

export interface PredictorInput {
  symbol: string;
  time: number;
  features: readonly number[];
}

/** Buys on positive summed momentum, sells on negative, abstains below the threshold. */
export class Predictor {
  constructor(private readonly threshold = 0.001) {}

  predict(input: PredictorInput): Signal | null {
    const score = input.features.reduce((sum, value) => sum + value, 0);
    if (Math.abs(score) < this.threshold) return null;
    return { symbol: input.symbol, time: input.time, side: score > 0 ? 'buy' : 'sell', strength: Math.min(1, Math.abs(score) * 10) };
  }
}
`,
        'src/index.ts': `export * from './features/feature_engineering';
export * from './models/predictor';
`,
      },
    },
    {
      message: 'nn: linear training loop',
      files: {
        'src/training/trainLoop.ts': `import { zScore } from '../features/feature_engineering.js';

export interface LinearFit {
  slope: number;
  intercept: number;
}

/** Ordinary least squares on one feature. */
export function fitLinear(xs: readonly number[], ys: readonly number[]): LinearFit {
  if (xs.length !== ys.length || xs.length < 2) throw new Error('fitLinear needs two or more paired points');
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  const slope = sxx === 0 ? 0 : sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

export function meanSquaredError(fit: LinearFit, xs: readonly number[], ys: readonly number[]): number {
  return xs.reduce((sum, x, i) => sum + (fit.slope * x + fit.intercept - ys[i]) ** 2, 0) / xs.length;
}

/** Fits on standardised inputs so the slope reads as an effect size. */
export function fitStandardised(xs: readonly number[], ys: readonly number[]): LinearFit {
  return fitLinear(zScore(xs), ys);
}
`,
        'src/index.ts': `export * from './features/feature_engineering';
export * from './models/predictor';
export * from './training/trainLoop';
`,
      },
    },
    {
      message: 'nn: unit tests',
      files: {
        'tests/train_loop.test.ts': `import { fitLinear, fitStandardised, meanSquaredError } from '../src/training/trainLoop';

describe('fitLinear', () => {
  it('recovers an exact line', () => {
    const xs = [0, 1, 2, 3];
    const ys = xs.map((x) => 3 * x - 2);
    const fit = fitLinear(xs, ys);
    expect(fit.slope).toBeCloseTo(3);
    expect(fit.intercept).toBeCloseTo(-2);
    expect(meanSquaredError(fit, xs, ys)).toBeCloseTo(0);
  });

  it('standardises inputs before fitting', () => {
    expect(fitStandardised([10, 20, 30], [1, 2, 3]).slope).toBeCloseTo(1);
  });

  it('needs two points', () => {
    expect(() => fitLinear([1], [1])).toThrow('two or more');
  });
});
`,
        'tests/predictor.test.ts': `import { Predictor } from '../src/models/predictor';
import { momentumFeatures } from '../src/features/feature_engineering';

const bars = [100, 101, 102, 104, 107, 111].map((close, i) => ({ symbol: 'BTC-USD', time: i * 60_000, open: close, high: close, low: close, close, volume: 1 }));

describe('Predictor', () => {
  it('buys on rising momentum', () => {
    const signal = new Predictor().predict({ symbol: 'BTC-USD', time: 1, features: momentumFeatures(bars) });
    expect(signal?.side).toBe('buy');
    expect(signal?.strength).toBeCloseTo(Math.min(1, Math.log(111 / 100) * 10));
  });

  it('abstains on flat input', () => {
    expect(new Predictor().predict({ symbol: 'BTC-USD', time: 1, features: [0.0001, -0.0001] })).toBeNull();
  });
});
`,
      },
    },
    {
      message: 'nn: predictor_v2 weights recent momentum',
      files: {
        'src/models/predictor_v2.ts': `import type { Signal } from '@shared/types';
import type { PredictorInput } from './predictor';

/** Like Predictor, but later features weigh more (linear weights 1..n). */
export class PredictorV2 {
  constructor(private readonly threshold = 0.002) {}

  predict(input: PredictorInput): Signal | null {
    const score = input.features.reduce((sum, value, i) => sum + value * (i + 1), 0) / Math.max(1, input.features.length);
    if (Math.abs(score) < this.threshold) return null;
    return { symbol: input.symbol, time: input.time, side: score > 0 ? 'buy' : 'sell', strength: Math.min(1, Math.abs(score) * 10) };
  }
}
`,
      },
    },
    {
      message: 'nn: predictorFinal for production',
      files: {
        'src/models/predictorFinal.ts': `import type { Signal } from '@shared/types';
import type { PredictorInput } from './predictor';

/** The production predictor: PredictorV2 with configurable weights and a strength cap. */
export class PredictorFinal {
  constructor(
    private readonly threshold = 0.002,
    private readonly maxStrength = 0.9,
  ) {}

  predict(input: PredictorInput): Signal | null {
    const score = input.features.reduce((sum, value, i) => sum + value * (i + 1), 0) / Math.max(1, input.features.length);
    if (Math.abs(score) < this.threshold) return null;
    return { symbol: input.symbol, time: input.time, side: score > 0 ? 'buy' : 'sell', strength: Math.min(this.maxStrength, Math.abs(score) * 10) };
  }
}
`,
        'src/index.ts': `export * from './features/feature_engineering';
export * from './models/predictor';
export * from './models/predictor_v2';
export * from './models/predictorFinal';
export * from './training/trainLoop';
`,
        'tests/predictor_versions.test.ts': `import { Predictor, PredictorFinal, PredictorV2 } from '../src';

describe('predictor versions', () => {
  const input = { symbol: 'ETH-USD', time: 0, features: [-0.01, 0.002, 0.02] };

  it('agree on direction for strong momentum', () => {
    expect([new Predictor(), new PredictorV2(), new PredictorFinal()].map((p) => p.predict(input)?.side)).toEqual(['buy', 'buy', 'buy']);
  });

  it('the final version caps strength', () => {
    const strong = { ...input, features: [0.5, 0.5] };
    expect(new PredictorV2().predict(strong)?.strength).toBe(1);
    expect(new PredictorFinal().predict(strong)?.strength).toBe(0.9);
  });
});
`,
      },
    },
  ],
};
