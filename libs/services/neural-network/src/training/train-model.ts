import {
  NotFoundError,
  ValidationError,
  systemClock,
  type Bar,
  type Clock,
  type Database,
  type Interval,
} from '@rrr/core';
import { FEATURE_SET, type FeatureName } from '../features/feature-set';
import { resolveFeatureSubset } from '../features/feature-subset';
import { createLabelSpec } from '../features/labels';
import { createPredictor } from '../models/create-predictor';
import type { FitReport, PredictorKind } from '../models/predictor';
import type { TfBackendName } from '../models/tf-backend';
import { createTrainedModel } from '../models/trained-model';
import { defaultModelName, ModelRegistry, type RegisteredModel } from '../registry/model-registry';
import type { BaselineComparison } from './compare-with-baselines';
import { loadBarsFromDatabase } from './load-bars';
import {
  buildSupervisedSeries,
  labelsAt,
  projectSeries,
  scaledWindows,
  usableRange,
  type SupervisedSeries,
} from './supervised-series';
import type { TrainingProgressCallback } from './training-progress';
import { baselineForecasts, planWalkForward, prepareFold } from './walk-forward';
import { compareWithBaselines } from './compare-with-baselines';

export interface ModelJobDeps {
  db: Database;
  /** Directory of the model files (e.g. `data/models`). */
  modelsDir: string;
  clock?: Clock;
}

/** Where the bars come from and how they are labelled; shared by trainModel and evaluateModel. */
export interface SeriesRequest {
  symbol: string;
  /** Bar interval. Default '1d'. */
  interval?: Interval;
  /** Label horizon. Default: one bar. */
  horizon?: Interval;
  /** Flat band; default per horizon (see DEFAULT_LABEL_THRESHOLDS). */
  threshold?: number;
  /** The bars themselves; default: read from the `bars` table. */
  bars?: readonly Bar[];
  /** Only bars with open time in [from, to] (epoch ms). */
  from?: number;
  to?: number;
}

export interface TrainModelRequest extends SeriesRequest {
  kind: PredictorKind;
  hyperparameters?: Record<string, unknown>;
  /**
   * Feature columns the model reads (put in FEATURE_NAMES order); default all. Stored with the model, so live
   * inference feeds it exactly these columns.
   */
  features?: readonly FeatureName[];
  /** Registry name; default `<symbol>-<kind>-<horizon>` in lower case. */
  name?: string;
  /** Share of the newest samples held out to measure the model against the baselines. Default 0.2; 0 = none. */
  testFraction?: number;
  /** Early-stopping split from the end of the training part. Default 0.15. */
  validationFraction?: number;
  /** Serve the new version live for its symbol. Default true. */
  activate?: boolean;
  backend?: TfBackendName;
}

export interface TrainModelResult {
  /** `name@version`. */
  model: string;
  record: RegisteredModel;
  fit: FitReport;
  /** Holdout comparison with the naive baselines; undefined when testFraction is 0. */
  holdout?: BaselineComparison;
  /** Directory holding model.json and weights.bin. */
  dir: string;
}

/** The labelled series a request describes (bars given, or read from the database). */
export async function loadSeries(db: Database | undefined, request: SeriesRequest): Promise<SupervisedSeries> {
  const interval = request.interval ?? '1d';
  const spec = createLabelSpec({ interval, horizon: request.horizon, threshold: request.threshold });
  let bars: readonly Bar[];
  if (request.bars !== undefined) {
    bars = request.bars.filter(
      (b) => (request.from === undefined || b.ts >= request.from) && (request.to === undefined || b.ts <= request.to),
    );
  } else if (db !== undefined) {
    bars = await loadBarsFromDatabase(db, { symbol: request.symbol, interval, from: request.from, to: request.to });
  } else {
    throw new ValidationError('series request', [
      { field: 'bars', message: 'give the bars or a database to read them from' },
    ]);
  }
  if (bars.length === 0) throw new NotFoundError(`bars for ${request.symbol} ${interval}`, request.symbol);
  return buildSupervisedSeries(bars, spec);
}

/**
 * Trains one model on a symbol's history and registers it: features and labels, a scaler fit on the training part
 * only, early stopping on the end of the training part, a holdout at the end compared with the naive baselines,
 * then model files + an ml_models row (version = previous + 1). Progress goes to `onProgress`.
 */
export async function trainModel(
  deps: ModelJobDeps,
  request: TrainModelRequest,
  onProgress?: TrainingProgressCallback,
): Promise<TrainModelResult> {
  const clock = deps.clock ?? systemClock;
  const subset = resolveFeatureSubset(request.features);
  const series = projectSeries(await loadSeries(deps.db, request), subset);
  const { spec } = series;
  onProgress?.({
    stage: 'data',
    message: `${series.bars.length} ${spec.interval} bars of ${request.symbol}, labels ${spec.horizon} ahead at ±${(spec.threshold * 100).toFixed(2)} %${subset.all ? '' : `, ${subset.names.length} of ${FEATURE_SET.names.length} features`}`,
  });
  const predictor = await createPredictor({
    kind: request.kind,
    inputSize: subset.names.length,
    hyperparameters: request.hyperparameters,
    backend: request.backend,
  });
  try {
    const usable = usableRange(series, predictor.lookback);
    const testFraction = request.testFraction ?? 0.2;
    if (!(testFraction >= 0 && testFraction < 1)) {
      throw new ValidationError('train request', [
        { field: 'testFraction', message: 'must be in [0, 1)', value: testFraction },
      ]);
    }
    const testSize = Math.floor((usable.end - usable.start) * testFraction);
    const plan =
      testSize > 0
        ? planWalkForward(usable, spec.horizonBars, { folds: 1, testSize })[0]
        : { trainStart: usable.start, trainEnd: usable.end, testStart: usable.end, testEnd: usable.end };
    const { scaler, trainIndices, testIndices } = prepareFold(series, plan);
    onProgress?.({
      stage: 'fold',
      message: `training on ${trainIndices.length} samples, holding out ${testIndices.length}`,
    });
    const fit = await predictor.fit(
      {
        windows: scaledWindows(series, scaler, trainIndices, predictor.lookback),
        labels: labelsAt(series, trainIndices),
      },
      {
        validationFraction: request.validationFraction ?? 0.15,
        gap: spec.horizonBars,
        onEpoch: (epoch) =>
          onProgress?.({
            stage: 'epoch',
            epoch,
            message: `${epoch.member ?? request.kind} epoch ${epoch.epoch}/${epoch.maxEpochs}`,
          }),
      },
    );
    let holdout: BaselineComparison | undefined;
    if (testIndices.length > 0) {
      const forecasts = predictor.predict(scaledWindows(series, scaler, testIndices, predictor.lookback));
      holdout = compareWithBaselines(
        request.kind,
        forecasts,
        baselineForecasts(series, trainIndices, testIndices),
        labelsAt(series, testIndices),
        testIndices.map((t) => series.forwardReturns[t]),
      );
      for (const line of holdout.verdict) onProgress?.({ stage: 'evaluate', message: line });
    }
    const name = request.name ?? defaultModelName(request.symbol, request.kind, spec.horizon);
    const registry = new ModelRegistry({ db: deps.db, modelsDir: deps.modelsDir, clock });
    const trained = createTrainedModel(predictor, scaler, {
      name,
      version: 0,
      symbol: request.symbol,
      label: spec,
      featureSet: FEATURE_SET,
      features: subset.names,
      scaler: scaler.toJSON(),
      trainedFrom: series.bars[trainIndices[0]].ts,
      trainedTo: series.bars[trainIndices[trainIndices.length - 1]].ts,
    });
    onProgress?.({ stage: 'save', message: `registering ${name}` });
    const record = await registry.register({
      name,
      model: trained,
      hyperparameters: predictor.describe().hyperparameters,
      metrics: {
        fit,
        ...(holdout === undefined
          ? {}
          : {
              holdout: {
                model: holdout.model,
                baselines: holdout.baselines,
                beats: holdout.beats,
                beatsAll: holdout.beatsAll,
                verdict: holdout.verdict,
              },
            }),
      },
      activate: request.activate ?? true,
    });
    onProgress?.({ stage: 'done', message: `registered ${record.modelId} (${record.status})` });
    return { model: record.modelId, record, fit, holdout, dir: registry.artifactDir(record) };
  } finally {
    predictor.dispose();
  }
}
