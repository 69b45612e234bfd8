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
} from '@rrr/core';
import type { ClassForecast, PredictorKind } from '../models/predictor';
import type { TfBackendName } from '../models/tf-backend';
import { ModelRegistry, type RegisteredModel } from '../registry/model-registry';
import { loadBarsFromDatabase } from '../training/load-bars';
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
  /** Loads a registered model (`name@version` or `name` for the latest) and serves it for its symbol; replaces one serving the same series. */
  loadModel(ref: string): Promise<LoadedModelInfo>;
  /** Stops serving a model; false when it was not loaded. */
  unloadModel(modelId: string): boolean;
  loadedModels(): LoadedModelInfo[];
  /** What the bar subscription does: the predictions published for this bar (usable directly in a backtest). */
  handleBar(bar: Bar): Promise<Prediction[]>;
}

interface Session {
  record: RegisteredModel;
  inference: StreamingInference;
  predictions: number;
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

  const sessions = new Map<string, Session>();
  /** Bars that arrived while a model for their series was warming up, replayed once it is ready. */
  const pending = new Map<string, Bar[]>();
  const failures = new Map<string, string>();
  let subscription: BusSubscription | undefined;
  let started = false;
  let skippedBars = 0;
  let lastPredictionTs: number | undefined;

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

  async function handleBar(bar: Bar): Promise<Prediction[]> {
    const out: Prediction[] = [];
    for (const [key, queue] of pending) {
      if (key.startsWith(`${bar.symbol} ${bar.interval} `)) queue.push(bar);
    }
    for (const session of sessions.values()) {
      if (session.record.symbol !== bar.symbol || session.record.interval !== bar.interval) continue;
      const prediction = await predictFor(session, bar);
      if (prediction !== null) out.push(prediction);
    }
    return out;
  }

  async function loadModel(ref: string): Promise<LoadedModelInfo> {
    const record = await registry.get(ref);
    const key = seriesKey(record.symbol, record.interval, record.horizonMs);
    pending.set(key, []);
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
      const session: Session = { record, inference, predictions: 0 };
      const previous = sessions.get(key);
      sessions.set(key, session);
      previous?.inference.model.predictor.dispose();
      failures.delete(record.modelId);
      const queued = pending.get(key) ?? [];
      pending.delete(key);
      for (const bar of queued) if (bar.ts > inference.lastTs) await predictFor(session, bar);
      logger.info(
        { model: record.modelId, symbol: record.symbol, warmupBars: history.length, ready: inference.ready },
        'model loaded',
      );
      return info(session);
    } catch (err) {
      pending.delete(key);
      failures.set(record.modelId, errorMessage(err));
      throw err;
    }
  }

  function unloadModel(modelId: string): boolean {
    for (const [key, session] of sessions) {
      if (session.record.modelId === modelId) {
        sessions.delete(key);
        session.inference.model.predictor.dispose();
        return true;
      }
    }
    return false;
  }

  return {
    async start() {
      if (started) return;
      subscription = await deps.bus.subscribe('bar', async (bar) => {
        await handleBar(bar);
      });
      started = true;
      const active = await registry.list({ status: 'active' });
      for (const record of active) {
        if (config.symbols !== undefined && !config.symbols.includes(record.symbol)) continue;
        try {
          await loadModel(record.modelId);
        } catch (err) {
          // One unusable model must not keep the others from serving; health() reports it.
          logger.error({ err, model: record.modelId }, 'model failed to load');
        }
      }
    },
    async stop() {
      await subscription?.unsubscribe();
      subscription = undefined;
      started = false;
      for (const session of sessions.values()) session.inference.model.predictor.dispose();
      sessions.clear();
      pending.clear();
    },
    health(): HealthReport {
      const details = {
        models: [...sessions.values()].map(info),
        skippedBars,
        lastPredictionTs,
        failures: Object.fromEntries(failures),
      };
      if (!started) return { status: 'down', details };
      return { status: failures.size > 0 ? 'degraded' : 'up', details };
    },
    loadModel,
    unloadModel,
    loadedModels: () => [...sessions.values()].map(info),
    handleBar,
  };
}
