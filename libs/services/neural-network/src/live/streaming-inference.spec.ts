import { computeFeatureRows } from '../features/compute-features';
import { FEATURE_SET } from '../features/feature-set';
import { FeatureScaler } from '../features/feature-scaler';
import { createLabelSpec, labelSeries } from '../features/labels';
import { createPredictor } from '../models/create-predictor';
import { createTrainedModel } from '../models/trained-model';
import { loadSp500Bars } from '../testing/daily-csv-bars';
import { StreamingInference } from './streaming-inference';

describe('StreamingInference', () => {
  it('feeds an LSTM the same scaled windows, bar by bar, that batch features give', async () => {
    const bars = loadSp500Bars().slice(2000, 2400);
    const rows = computeFeatureRows(bars);
    const complete = rows.slice(57, 300) as Float64Array[];
    const scaler = FeatureScaler.fit(complete);
    const lstm = await createPredictor({
      kind: 'lstm',
      inputSize: 33,
      hyperparameters: { lookback: 5, units: 4, maxEpochs: 1, seed: 1 },
    });
    const labels = labelSeries(
      Float64Array.from(bars, (b) => b.close),
      { horizonBars: 1, threshold: 0.003 },
    );
    const windows = [];
    const y: (0 | 1 | 2)[] = [];
    for (let t = 61; t < 300; t += 1) {
      windows.push(rows.slice(t - 4, t + 1).map((r) => scaler.transform(r as Float64Array)));
      y.push(labels[t] as 0 | 1 | 2);
    }
    await lstm.fit({ windows, labels: y });
    const model = createTrainedModel(lstm, scaler, {
      name: 'spx-lstm-1d',
      version: 1,
      symbol: 'SPX',
      label: createLabelSpec({ interval: '1d' }),
      featureSet: FEATURE_SET,
      scaler: scaler.toJSON(),
      trainedFrom: bars[61].ts,
      trainedTo: bars[299].ts,
    });

    const live = new StreamingInference(model);
    const forecasts = bars.map((bar) => live.update(bar));
    // First forecast once the 5th complete feature row exists: bar 57 + 4.
    expect(forecasts.findIndex((f) => f !== null)).toBe(61);
    for (const t of [61, 200, 399]) {
      const batch = lstm.predict([rows.slice(t - 4, t + 1).map((r) => scaler.transform(r as Float64Array))])[0];
      expect(forecasts[t]).toEqual(batch);
    }
    expect(() => live.update(bars[399])).toThrow(RangeError);
    lstm.dispose();
  });
});
