import { createLabelSpec } from '../features/labels';
import { loadSp500Bars } from '../testing/daily-csv-bars';
import { buildSupervisedSeries, usableRange } from './supervised-series';
import { planWalkForward, prepareFold, walkForward } from './walk-forward';
import type { TrainingProgress } from './training-progress';

describe('walk-forward evaluation', () => {
  const spx = loadSp500Bars();
  const spec = createLabelSpec({ interval: '1d' });
  const recent = spx.slice(-1400);
  const series = buildSupervisedSeries(recent, spec);

  it('plans test blocks at the end, each after a gap of at least the horizon', () => {
    expect(planWalkForward({ start: 100, end: 1100 }, 2, { folds: 2, testSize: 100, trainSize: 500 })).toEqual([
      { trainStart: 398, trainEnd: 898, testStart: 900, testEnd: 1000 },
      { trainStart: 498, trainEnd: 998, testStart: 1000, testEnd: 1100 },
    ]);
    expect(planWalkForward({ start: 0, end: 1000 }, 1, { folds: 3, expanding: true })).toEqual([
      { trainStart: 0, trainEnd: 699, testStart: 700, testEnd: 800 },
      { trainStart: 0, trainEnd: 799, testStart: 800, testEnd: 900 },
      { trainStart: 0, trainEnd: 899, testStart: 900, testEnd: 1000 },
    ]);
    expect(() => planWalkForward({ start: 0, end: 1000 }, 5, { gap: 2 })).toThrow(
      'walk-forward options: gap: must be an integer ≥ the label horizon (5 bars), or test labels leak into training',
    );
    expect(() => planWalkForward({ start: 0, end: 100 }, 1, { folds: 5, testSize: 30, trainSize: 50 })).toThrow(
      'walk-forward options: folds: 5 folds of 30 test and 50 training samples (gap 1) need 201 usable samples; the series has 100',
    );
    expect(() => planWalkForward({ start: 0, end: 100 }, 1, { folds: 5, testSize: 30 })).toThrow(
      'trainSize: must be an integer ≥ 10',
    );
  });

  it('fits the scaler on the training window only: changing test-period bars never changes it', () => {
    const [plan] = planWalkForward(usableRange(series, 1), 1, { folds: 1, testSize: 300 });
    const before = JSON.stringify(prepareFold(series, plan).scaler.toJSON());
    const shocked = recent.map((bar, t) =>
      t >= plan.testStart
        ? {
            ...bar,
            close: bar.close * 3,
            high: bar.high * 3,
            low: bar.low * 3,
            open: bar.open * 3,
            volume: bar.volume * 9,
          }
        : bar,
    );
    expect(JSON.stringify(prepareFold(buildSupervisedSeries(shocked, spec), plan).scaler.toJSON())).toBe(before);
    const trainShock = recent.map((bar, t) =>
      t === plan.trainEnd - 5 ? { ...bar, close: bar.close * 1.2, high: bar.high * 1.2 } : bar,
    );
    expect(JSON.stringify(prepareFold(buildSupervisedSeries(trainShock, spec), plan).scaler.toJSON())).not.toBe(before);
  });

  it('evaluates the logistic baseline on SPX against the naive baselines, fold by fold and pooled', async () => {
    const progress: TrainingProgress[] = [];
    const report = await walkForward(
      series,
      { kind: 'logistic', hyperparameters: { maxEpochs: 60 } },
      { folds: 2, testSize: 150 },
      (p) => progress.push(p),
    );
    expect(report.folds).toHaveLength(2);
    expect(report.pooled.model.samples).toBe(300);
    for (const fold of report.folds) {
      expect(fold.test.samples).toBe(150);
      expect(fold.train.to < fold.test.from).toBe(true);
      // The majority baseline's accuracy is, by definition, the test share of the training majority class.
      const c = fold.comparison;
      const call = c.baselines.majorityClass.predictedShares.findIndex((s) => s === 1);
      expect(c.baselines.majorityClass.accuracy).toBe(c.model.labelShares[call]);
    }
    expect(report.pooled.verdict).toHaveLength(3);
    expect(report.pooled.verdict[2]).toMatch(/^Overall: logistic (beats|does NOT beat) both naive baselines/);
    expect(report.pooled.model.logLoss).toBeGreaterThan(0.9);
    expect(report.pooled.model.logLoss).toBeLessThan(1.3);
    expect(progress.filter((p) => p.stage === 'fold').map((p) => p.fold)).toEqual([1, 2]);
    expect(progress.some((p) => p.stage === 'epoch')).toBe(true);
  });
});
