import type { ClassForecast } from '../models/predictor';
import { classificationMetrics, meanLogLoss } from './classification-metrics';

const f = (down: number, flat: number, up: number, predicted: ClassForecast['predicted']): ClassForecast => ({
  probabilities: { down, flat, up },
  predicted,
  confidence: { down, flat, up }[predicted],
});

describe('classificationMetrics', () => {
  it('computes accuracy, log loss, directional accuracy and the confusion matrix by hand', () => {
    const forecasts = [
      f(0.6, 0.3, 0.1, 'down'),
      f(0.2, 0.3, 0.5, 'up'),
      f(0.2, 0.5, 0.3, 'flat'),
      f(0.1, 0.2, 0.7, 'up'),
    ];
    const labels = [0, 1, 1, 0] as const;
    const returns = [-0.01, 0.001, 0, -0.02];
    const m = classificationMetrics(forecasts, [...labels], returns);
    expect(m.accuracy).toBe(0.5);
    expect(m.logLoss).toBeCloseTo(-(Math.log(0.6) + Math.log(0.3) + Math.log(0.5) + Math.log(0.1)) / 4, 12);
    // Directional calls: down (right: −1 %), up (right: +0.1 %), up (wrong: −2 %) → 2 of 3.
    expect(m.directionalCalls).toBe(3);
    expect(m.directionalAccuracy).toBeCloseTo(2 / 3, 12);
    expect(m.confusion).toEqual([
      [1, 0, 1],
      [0, 1, 1],
      [0, 0, 0],
    ]);
    expect(m.labelShares).toEqual([0.5, 0.5, 0]);
    expect(m.predictedShares).toEqual([0.25, 0.25, 0.5]);
  });

  it('has no directional accuracy when the model never calls a direction, and clips log loss at ε', () => {
    const m = classificationMetrics([f(0, 1, 0, 'flat')], [2], [0.05]);
    expect(m.directionalAccuracy).toBeNull();
    expect(m.logLoss).toBeCloseTo(-Math.log(1e-7), 9);
    expect(meanLogLoss([0.2, 0.3, 0.5, 0.1, 0.1, 0.8], [2, 0])).toBeCloseTo(-(Math.log(0.5) + Math.log(0.1)) / 2, 12);
  });

  it('refuses mismatched lengths', () => {
    expect(() => classificationMetrics([f(0.2, 0.3, 0.5, 'up')], [], [])).toThrow(
      /need one forecast, label and forward return per sample/,
    );
  });
});
