import {
  FEATURE_SET,
  FeatureScaler,
  StreamingInference,
  computeFeatureRows,
  createLabelSpec,
  createPredictor,
  createTrainedModel,
  labelSeries,
  type TrainedModel,
} from '@rrr/neural-network';
import { runBacktest } from '../api/run-backtest';
import { memoryBarLoader } from '../data/bar-loader';
import { readBundledBars } from '../testing/bundled-bars';
import { predictorFromModel } from './model-predictor';

/** A small logistic model on 2005–2006 S&P 500 features (one training epoch: only the plumbing is under test). */
async function trainSmallModel(): Promise<TrainedModel> {
  const bars = readBundledBars('SPX').slice(1_250, 1_750);
  const rows = computeFeatureRows(bars);
  const usable = rows.filter((r): r is Float64Array => r !== null);
  const scaler = FeatureScaler.fit(usable.slice(0, 300));
  const predictor = await createPredictor({ kind: 'logistic', inputSize: 33, hyperparameters: { maxEpochs: 1 } });
  const labels = labelSeries(
    Float64Array.from(bars, (b) => b.close),
    { horizonBars: 1, threshold: 0.003 },
  );
  const start = rows.findIndex((r) => r !== null);
  const windows: Float64Array[][] = [];
  const y: (0 | 1 | 2)[] = [];
  for (let t = start; t < 450; t += 1) {
    windows.push([scaler.transform(rows[t] as Float64Array)]);
    y.push(labels[t] as 0 | 1 | 2);
  }
  await predictor.fit({ windows, labels: y });
  return createTrainedModel(predictor, scaler, {
    name: 'spx-logistic-1d',
    version: 1,
    symbol: 'SPX',
    label: createLabelSpec({ interval: '1d' }),
    featureSet: FEATURE_SET,
    scaler: scaler.toJSON(),
    trainedFrom: bars[start].ts,
    trainedTo: bars[449].ts,
  });
}

describe('predictorFromModel', () => {
  let model: TrainedModel;
  beforeAll(async () => {
    model = await trainSmallModel();
  });
  afterAll(() => model.predictor.dispose());

  it('forecasts what live streaming inference forecasts, fed only the bars up to the one decided on', () => {
    const bars = readBundledBars('SPX').slice(2_000, 2_200);
    const predict = predictorFromModel(model);
    const reference = new StreamingInference(model);
    const historyBars = 80;
    for (let t = 0; t < bars.length; t += 1) {
      const expected = reference.update(bars[t]);
      if (t < historyBars - 1) continue;
      const got = predict(bars[t], bars.slice(t - historyBars + 1, t + 1));
      expect(got === undefined ? null : got).toEqual(
        expected === null
          ? null
          : { probabilities: expected.probabilities, confidence: expected.confidence, model: 'spx-logistic-1d@1' },
      );
    }
  });

  it('drives the predictor strategy of a backtest', async () => {
    const bars = readBundledBars('SPX').slice(2_000, 2_300);
    const result = await runBacktest(
      { strategy: 'predictor', symbols: 'SPX', params: { historyBars: 80, entryEdge: 0.05 } },
      { loader: memoryBarLoader(bars), predict: predictorFromModel(model) },
    );
    expect(result.strategyId).toBe('predictor(model)');
    expect(result.activity.signals).toBeGreaterThan(0);
    expect(result.fills.every((f) => f.ts >= bars[80].ts)).toBe(true);
  });
});
