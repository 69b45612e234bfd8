import { FEATURE_NAMES, type BaselineComparison, type ClassificationMetrics } from '@rrr/neural-network';
import { formatPredictorSearch, verdict } from './format-predictor-search';
import type { PredictorSearchReport, SearchRun } from './predictor-search';

function metrics(logLoss: number, accuracy: number): ClassificationMetrics {
  return {
    samples: 100,
    accuracy,
    logLoss,
    directionalAccuracy: null,
    directionalCalls: 0,
    confusion: [],
    labelShares: [],
    predictedShares: [],
  };
}

function holdout(logLoss: number, accuracy: number): BaselineComparison {
  const model = metrics(logLoss, accuracy);
  const majorityClass = metrics(1.1, 0.35);
  const lastDirection = metrics(1.09, 0.38);
  const beats = (b: ClassificationMetrics) => ({
    accuracy: accuracy > b.accuracy,
    logLoss: logLoss < b.logLoss,
    accuracyZ: 0,
  });
  const verdicts = { majorityClass: beats(majorityClass), lastDirection: beats(lastDirection) };
  return {
    model,
    baselines: { majorityClass, lastDirection },
    beats: verdicts,
    beatsAll: Object.values(verdicts).every((v) => v.accuracy && v.logLoss),
    verdict: [],
  };
}

function run(method: string, cv: number, onHoldout: [number, number], evaluations = 10): SearchRun {
  return {
    method,
    cv: metrics(cv, 0.44),
    hyperparameters: { learningRate: 0.0123456, l2: 0.001 },
    features: [],
    evaluations,
    wallTimeMs: 1234,
    bestSoFar: [cv],
    holdout: holdout(...onHoldout),
  };
}

function report(runs: SearchRun[]): PredictorSearchReport {
  const ranked = [...runs].sort((a, b) => a.cv.logLoss - b.cv.logLoss);
  return {
    search: 'hyperparameters',
    kind: 'logistic',
    symbol: 'SPX',
    interval: '1d',
    horizon: '1d',
    objective: 'walk-forward log loss',
    budget: 10,
    seed: 1,
    folds: 5,
    fixed: {},
    tuning: { from: '2011-06-21T00:00:00.000Z', to: '2016-04-12T00:00:00.000Z', samples: 1210 },
    holdout: { from: '2016-04-14T00:00:00.000Z', to: '2020-04-16T00:00:00.000Z', samples: 1009 },
    runs,
    defaults: { ...run('defaults', 1.073, [1.0192, 0.502], 1), features: [...FEATURE_NAMES] },
    cvBaselines: { majorityClass: metrics(1.0983, 0.362), lastDirection: metrics(1.0914, 0.325) },
    winner: ranked[0].cv.logLoss === ranked[1]?.cv.logLoss ? null : ranked[0].method,
  };
}

describe('formatPredictorSearch', () => {
  it('names the winner with its margins, the gain over the defaults and the holdout verdict', () => {
    const lines = verdict(
      report([
        run('anneal', 1.0704, [1.0286, 0.487]),
        run('random', 1.0723, [1.0196, 0.5]),
        run('grid', 1.0708, [1.0179, 0.501]),
      ]),
    );
    expect(lines).toEqual([
      'anneal won: best walk-forward log loss 1.0704, against grid 1.0708 (+0.0004), random 1.0723 (+0.0019), at 10 evaluations each.',
      'Searching improved on the defaults (1.0730) by 0.0026 on the walk-forward.',
      "On the holdout, anneal's choice scores log loss 1.0286 and accuracy 48.7 % against majority class 1.1000 / 35.0 % and last direction 1.0900 / 38.0 %: it beats both naive baselines on log loss and accuracy.",
      'The defaults score 1.0192 on the holdout: the searched choice is 0.0094 WORSE there.',
    ]);
  });

  it('reports a tie between only the tied methods, a short budget, and a baseline the choice does not beat', () => {
    const lines = verdict(
      report([
        run('anneal', 1.159, [1.095, 0.363]),
        run('random', 1.159, [1.095, 0.363]),
        run('grid', 1.1655, [1.07, 0.4], 9),
      ]),
    );
    expect(lines[0]).toBe(
      'No winner: anneal and random tie at walk-forward log loss 1.1590 (10 evaluations each, except grid (9)).',
    );
    expect(lines[1]).toBe('Searching did NOT improve on the defaults (1.0730) on the walk-forward.');
    expect(lines[2]).toMatch(/: it does NOT beat last direction on both log loss and accuracy\.$/);
  });

  it('prints one table row per method, the defaults and both baselines', () => {
    const text = formatPredictorSearch(
      report([run('anneal', 1.0704, [1.0286, 0.487]), run('random', 1.0723, [1.0196, 0.5])]),
    );
    expect(text).toContain(
      '| anneal | 1.0704 | 44.0 % | 1.0286 | 48.7 % | learningRate=0.0123, l2=0.00100 | 10 | 1.2 s |',
    );
    expect(text).toContain(
      '| defaults (no search) | 1.0730 | 44.0 % | 1.0192 | 50.2 % | the logistic defaults, all 33 features | 1 |',
    );
    expect(text).toContain('| baseline: majority class | 1.0983 | 36.2 % | 1.1000 | 35.0 % | | | |');
    expect(text).toContain('| baseline: last direction | 1.0914 | 32.5 % | 1.0900 | 38.0 % | | | |');
  });
});
