import {
  assertValidPrediction,
  assertValidSignal,
  createLogger,
  createMetricsRegistry,
  errorMessage,
  intervalMs,
  systemClock,
  type Bar,
  type BusSubscription,
  type Clock,
  type Database,
  type EventBus,
  type HealthReport,
  type MetricsRegistry,
  type PlatformTopics,
  type Prediction,
  type RrrLogger,
  type Service,
  type Signal,
  type SignalDirection,
  ValidationError,
} from '@rrr/core';
import type { ClassForecast, PredictorKind } from '../models/predictor';
import type { TfBackendName } from '../models/tf-backend';
import { ModelRegistry, type RegisteredModel } from '../registry/model-registry';
import { loadBarsFromDatabase } from '../training/load-bars';
import {
  createModelTrainingJobs,
  type ModelTrainingJobs,
  type ModelTrainingJobsConfig,
} from '../training/model-training-jobs';
import type { TrainingDatabaseOptions } from '../training/training-worker-protocol';
import { StreamingInference } from './streaming-inference';

export interface NeuralNetworkServiceDeps {
  db: Database;
  bus: EventBus<PlatformTopics>;
  logger?: RrrLogger;
  metrics?: MetricsRegistry;
  clock?: Clock;
}

export interface NeuralNetworkServiceConfig {
  /** Directory of the model files (as given to trainModel). */
  modelsDir: string;
  /** Load active models only for these symbols at start; default: every symbol with an active model. */
  symbols?: readonly string[];
  /** A forecast less confident than this becomes a flat signal. Default 0.4 (a uniform guess is 0.33). */
  minConfidence?: number;
  /** Stored bars replayed to warm a model's features when it is loaded. Default 300. */
  warmupBars?: number;
  /** Write every prediction to the predictions table. Default true. */
  persistPredictions?: boolean;
  backend?: TfBackendName;
  /**
   * How often (ms) the active models in ml_models are compared with the served ones, so a model activated, replaced
   * or retired by any process sharing the database is served or dropped without a restart. 0: only at start and on
   * `syncActiveModels()`. Default 2,000.
   */
  refreshMs?: number;
  /**
   * Training jobs (`training` on the service) on worker threads; they need the database's options, since each worker
   * opens its own connection. Absent: the service runs no training jobs.
   */
  training?: ModelTrainingJobsConfig & { database: TrainingDatabaseOptions; workerScript?: string };
}

/** What one comparison of the active models with the served ones changed. */
export interface ActiveModelsSync {
  /** Models now served (`name@version`), newly or in place of another version of their series. */
  loaded: string[];
  /** Models no longer served: retired or deactivated, or replaced by a newer active version. */
  unloaded: string[];
  /** Active models that could not be loaded (health names why); their series keeps what it served. */
  failed: string[];
}

export interface LoadedModelInfo {
  model: string;
  kind: PredictorKind;
  symbol: string;
  interval: string;
  horizonMs: number;
  /** True once enough bars were seen to predict. */
  ready: boolean;
  barsSeen: number;
  predictions: number;
}

export interface NeuralNetworkService extends Service {
  /**
   * Loads a registered model (`name@version` or `name` for the latest) and serves it for its symbol; replaces one
   * serving the same series. Such a model is pinned: the active-model checks leave its series alone until it is
   * unloaded.
   */
  loadModel(ref: string): Promise<LoadedModelInfo>;
  /** Stops serving a model; false when it was not loaded. */
  unloadModel(modelId: string): Promise<boolean>;
  /**
   * Compares the active models in ml_models with the served ones now and loads, swaps or unloads accordingly (what the
   * periodic check does); checks run one at a time, and a call made during one runs after it.
   */
  syncActiveModels(): Promise<ActiveModelsSync>;
  loadedModels(): LoadedModelInfo[];
  /**
   * `rrr model train` as jobs off the main thread (when configured): a job that activates its model has it served
   * here before it completes.
   */
  readonly training?: ModelTrainingJobs;
  /** What the bar subscription does: the predictions published for this bar (usable directly in a backtest). */
  handleBar(bar: Bar): Promise<Prediction[]>;
}

interface Session {
  record: RegisteredModel;
  inference: StreamingInference;
  predictions: number;
  /** Open time of the newest bar this session published a prediction for. */
  lastServedTs: number;
  /** Loaded by loadModel: the active-model checks leave its series alone. */
  pinned: boolean;
}

const INFERENCE_BUCKETS = [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25];

function signalDirection(forecast: ClassForecast, minConfidence: number): SignalDirection {
  if (forecast.confidence < minConfidence || forecast.predicted === 'flat') return 'flat';
  return forecast.predicted === 'up' ? 'long' : 'short';
}

/**
 * Live inference: keeps streaming features per served series, and on every bar of a symbol with a loaded model
 * publishes a validated 'prediction' and a 'signal' (long / short / flat, strength = confidence, source = model id),
 * records inference latency in `rrr_model_inference_seconds` and stores the prediction.
 */
export function createNeuralNetworkService(
  deps: NeuralNetworkServiceDeps,
  config: NeuralNetworkServiceConfig,
): NeuralNetworkService {
  const logger = deps.logger ?? createLogger({ level: 'silent' });
  const metrics = deps.metrics ?? createMetricsRegistry();
  const clock = deps.clock ?? systemClock;
  const registry = new ModelRegistry({ db: deps.db, modelsDir: config.modelsDir, clock });
  const minConfidence = config.minConfidence ?? 0.4;
  const warmupBars = config.warmupBars ?? 300;
  const persist = config.persistPredictions ?? true;
  const refreshMs = config.refreshMs ?? 2_000;
  if (!(Number.isInteger(refreshMs) && refreshMs >= 0)) {
    throw new ValidationError('neural network service config', [
      {
        field: 'refreshMs',
        message: 'must be an integer >= 0 (milliseconds; 0 = no periodic check)',
        value: refreshMs,
      },
    ]);
  }

  const latency = metrics.histogram({
    name: 'rrr_model_inference_seconds',
    help: 'Time to update streaming features and predict one bar, per model',
    labelNames: ['model'],
    buckets: INFERENCE_BUCKETS,
  });
  const predictionsTotal = metrics.counter({
    name: 'rrr_model_predictions_total',
    help: 'Predictions published, per model and predicted class',
    labelNames: ['model', 'predicted'],
  });

  /** By series (symbol, interval, horizon): the one model serving it. */
  const sessions = new Map<string, Session>();
  /**
   * Every bar handled while a load is under way, from before it reads anything: the loaded model gets those of its
   * series that its stored warm-up bars lacked, whenever they arrived.
   */
  const recordings = new Set<Bar[]>();
  const failures = new Map<string, string>();
  let subscription: BusSubscription | undefined;
  let timer: NodeJS.Timeout | undefined;
  let started = false;
  let skippedBars = 0;
  let lastPredictionTs: number | undefined;
  /** When the served set last changed (a model loaded, swapped or unloaded). */
  let modelsChangedAt: number | undefined;
  let lastCheckAt: number | undefined;
  /** Why the last check of ml_models failed; cleared by the next one that succeeds. */
  let checkFailure: string | undefined;
  /** The checks, one after another. */
  let checks: Promise<unknown> = Promise.resolve();
  let checking = false;
  /**
   * Bar handling and every change of `sessions` run one at a time on this chain: a swap then never lands between a
   * bar's queueing and its prediction, which is what keeps one prediction per bar and series across a swap.
   */
  let exclusive: Promise<unknown> = Promise.resolve();
  function serialized<T>(work: () => Promise<T>): Promise<T> {
    const outcome = exclusive.then(work);
    exclusive = outcome.catch(() => undefined);
    return outcome;
  }

  const seriesKey = (symbol: string, interval: string, horizonMs: number) => `${symbol} ${interval} ${horizonMs}`;

  function info(session: Session): LoadedModelInfo {
    const { record, inference } = session;
    return {
      model: record.modelId,
      kind: record.kind,
      symbol: record.symbol,
      interval: record.interval,
      horizonMs: record.horizonMs,
      ready: inference.ready,
      barsSeen: inference.barsSeen,
      predictions: session.predictions,
    };
  }

  async function predictFor(session: Session, bar: Bar): Promise<Prediction | null> {
    const { record, inference } = session;
    if (!(bar.ts > inference.lastTs)) {
      skippedBars += 1;
      logger.warn(
        { symbol: bar.symbol, ts: bar.ts, last: inference.lastTs, model: record.modelId },
        'bar not newer than the last one; skipped',
      );
      return null;
    }
    const start = process.hrtime.bigint();
    const forecast = inference.update(bar);
    if (forecast === null) return null;
    latency.observe({ model: record.modelId }, Number(process.hrtime.bigint() - start) / 1e9);

    const barMs = intervalMs(bar.interval);
    const madeAt = bar.ts + barMs;
    const prediction = assertValidPrediction({
      symbol: bar.symbol,
      ts: madeAt,
      horizon: inference.model.metadata.label.horizon,
      model: record.modelId,
      probabilities: forecast.probabilities,
      predicted: forecast.predicted,
      confidence: forecast.confidence,
    });
    const direction = signalDirection(forecast, minConfidence);
    const p = forecast.probabilities;
    const signal: Signal = assertValidSignal({
      symbol: bar.symbol,
      ts: madeAt,
      direction,
      strength: direction === 'flat' ? 0 : forecast.confidence,
      source: record.modelId,
      reason: `p(down)=${p.down.toFixed(3)} p(flat)=${p.flat.toFixed(3)} p(up)=${p.up.toFixed(3)}; ${record.kind} ${inference.model.metadata.label.horizon} ahead`,
      price: bar.close,
    });
    session.predictions += 1;
    session.lastServedTs = bar.ts;
    lastPredictionTs = madeAt;
    predictionsTotal.inc({ model: record.modelId, predicted: forecast.predicted });
    await deps.bus.publish('prediction', prediction);
    await deps.bus.publish('signal', signal);
    if (persist) {
      await deps.db.insertMany(
        'predictions',
        [
          {
            model_id: record.id,
            symbol: bar.symbol,
            interval: bar.interval,
            ts: madeAt,
            label: forecast.predicted,
            probabilities: { ...forecast.probabilities },
            confidence: forecast.confidence,
            created_at: clock.now(),
          },
        ],
        { onConflict: { target: ['model_id', 'symbol', 'interval', 'ts'], action: 'ignore' } },
      );
    }
    return prediction;
  }

  function handleBar(bar: Bar): Promise<Prediction[]> {
    return serialized(async () => {
      const out: Prediction[] = [];
      for (const recording of recordings) recording.push(bar);
      for (const session of sessions.values()) {
        if (session.record.symbol !== bar.symbol || session.record.interval !== bar.interval) continue;
        const prediction = await predictFor(session, bar);
        if (prediction !== null) out.push(prediction);
      }
      return out;
    });
  }

  /**
   * Loads `ref` and serves it for its series. The model warms up from stored bars while the one serving the series
   * (if any) goes on predicting; the swap then happens between two bars: bars that arrived meanwhile warm the new
   * model where the old one already predicted them and are predicted by it otherwise, and the old one is disposed.
   * `recorded` holds the bars handled since before the caller looked the model up (see `recordings`). Returns the
   * served model and the one it replaced.
   */
  async function serve(
    ref: string,
    pinned: boolean,
    recorded: readonly Bar[],
  ): Promise<{ info: LoadedModelInfo; replaced?: string }> {
    const record = await registry.get(ref);
    const key = seriesKey(record.symbol, record.interval, record.horizonMs);
    try {
      const { model } = await registry.load(record, { backend: config.backend });
      const inference = new StreamingInference(model);
      const history = await loadBarsFromDatabase(deps.db, {
        symbol: record.symbol,
        interval: record.interval as Bar['interval'],
        newest: true,
        limit: warmupBars,
      });
      for (const bar of history) inference.warm(bar);
      const session: Session = {
        record,
        inference,
        predictions: 0,
        lastServedTs: Number.NEGATIVE_INFINITY,
        pinned,
      };
      const previous = await serialized(async () => {
        const replaced = sessions.get(key);
        sessions.set(key, session);
        for (const bar of recorded) {
          if (bar.symbol !== record.symbol || bar.interval !== record.interval || !(bar.ts > inference.lastTs))
            continue;
          if (replaced !== undefined && bar.ts <= replaced.lastServedTs) inference.warm(bar);
          else await predictFor(session, bar);
        }
        replaced?.inference.model.predictor.dispose();
        failures.delete(record.modelId);
        modelsChangedAt = clock.now();
        return replaced;
      });
      logger.info(
        {
          model: record.modelId,
          symbol: record.symbol,
          warmupBars: history.length,
          ready: inference.ready,
          replaced: previous?.record.modelId,
        },
        'model loaded',
      );
      return { info: info(session), replaced: previous?.record.modelId };
    } catch (err) {
      failures.set(record.modelId, errorMessage(err));
      throw err;
    }
  }

  function unload(modelId: string): Promise<boolean> {
    return serialized(async () => {
      for (const [key, session] of sessions) {
        if (session.record.modelId === modelId) {
          sessions.delete(key);
          session.inference.model.predictor.dispose();
          modelsChangedAt = clock.now();
          return true;
        }
      }
      return false;
    });
  }

  /** Runs `work` with a recording of the bars handled meanwhile (see `recordings`). */
  async function recording<T>(work: (recorded: readonly Bar[]) => Promise<T>): Promise<T> {
    const recorded: Bar[] = [];
    recordings.add(recorded);
    try {
      return await work(recorded);
    } finally {
      recordings.delete(recorded);
    }
  }

  /** One comparison of ml_models' active set with the served models, and the loads and unloads it calls for. */
  async function reconcile(recorded: readonly Bar[]): Promise<ActiveModelsSync> {
    const outcome: ActiveModelsSync = { loaded: [], unloaded: [], failed: [] };
    const active = (await registry.activeModels()).filter(
      (ref) => config.symbols === undefined || config.symbols.includes(ref.symbol),
    );
    lastCheckAt = clock.now();
    checkFailure = undefined;
    if (!started) return outcome;
    // A model that failed to load is tried again once it has left the active set and come back, not at every check.
    for (const modelId of failures.keys()) {
      if (!active.some((ref) => ref.modelId === modelId)) failures.delete(modelId);
    }
    const wanted = new Map(active.map((ref) => [seriesKey(ref.symbol, ref.interval, ref.horizonMs), ref]));
    for (const [key, ref] of wanted) {
      const session = sessions.get(key);
      if (session?.pinned === true || session?.record.id === ref.id || failures.has(ref.modelId)) continue;
      try {
        const { replaced } = await serve(ref.modelId, false, recorded);
        outcome.loaded.push(ref.modelId);
        if (replaced !== undefined) outcome.unloaded.push(replaced);
      } catch (err) {
        // One unusable model must not keep the others from serving; health() reports it.
        logger.error({ err, model: ref.modelId }, 'model failed to load');
        outcome.failed.push(ref.modelId);
      }
      if (!started) return outcome;
    }
    for (const [key, session] of [...sessions]) {
      if (session.pinned || wanted.has(key)) continue;
      if (await unload(session.record.modelId)) {
        outcome.unloaded.push(session.record.modelId);
        logger.info(
          { model: session.record.modelId, symbol: session.record.symbol },
          'model no longer active; unloaded',
        );
      }
    }
    return outcome;
  }

  function syncActiveModels(): Promise<ActiveModelsSync> {
    const outcome = checks.then(async () => {
      checking = true;
      try {
        return await recording(reconcile);
      } catch (err) {
        checkFailure = errorMessage(err);
        throw err;
      } finally {
        checking = false;
      }
    });
    checks = outcome.catch(() => undefined);
    return outcome;
  }

  function periodicCheck(): void {
    // A check still running (a model warming up) covers this tick.
    if (checking || !started) return;
    syncActiveModels().catch((err: unknown) =>
      logger.warn({ err }, 'could not compare the active models with the served ones; next check in refreshMs'),
    );
  }

  const training =
    config.training === undefined
      ? undefined
      : createModelTrainingJobs(
          {
            db: deps.db,
            database: config.training.database,
            modelsDir: config.modelsDir,
            logger,
            clock,
            ...(config.training.workerScript === undefined ? {} : { workerScript: config.training.workerScript }),
            onActivated: async (model) => {
              await syncActiveModels();
              return [...sessions.values()].some((session) => session.record.modelId === model);
            },
          },
          config.training,
        );

  return {
    training,
    async start() {
      if (started) return;
      subscription = await deps.bus.subscribe('bar', async (bar) => {
        await handleBar(bar);
      });
      started = true;
      await syncActiveModels();
      if (refreshMs > 0) {
        timer = setInterval(periodicCheck, refreshMs);
        // The check must not keep a process alive that is otherwise done.
        timer.unref();
      }
      await training?.start();
    },
    async stop() {
      // Running training workers are terminated (their jobs end cancelled) before the models go.
      await training?.stop();
      started = false;
      clearInterval(timer);
      timer = undefined;
      await subscription?.unsubscribe();
      subscription = undefined;
      // A check under way returns at its next step; what it loaded is disposed below with the rest.
      await checks;
      await serialized(async () => {
        for (const session of sessions.values()) session.inference.model.predictor.dispose();
        sessions.clear();
      });
    },
    health(): HealthReport {
      const details = {
        models: [...sessions.values()].map(info),
        modelsChangedAt,
        lastCheckAt,
        refreshMs,
        ...(training === undefined ? {} : { training: training.healthDetails() }),
        skippedBars,
        lastPredictionTs,
        failures: Object.fromEntries(failures),
        ...(checkFailure === undefined ? {} : { checkFailure }),
      };
      if (!started) return { status: 'down', details };
      return { status: failures.size > 0 || checkFailure !== undefined ? 'degraded' : 'up', details };
    },
    loadModel: async (ref) => (await recording((recorded) => serve(ref, true, recorded))).info,
    unloadModel: unload,
    syncActiveModels,
    loadedModels: () => [...sessions.values()].map(info),
    handleBar,
  };
}
